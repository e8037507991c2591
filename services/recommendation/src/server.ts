import { type RecommendationServiceServer, RecommendationServiceService } from '@astroshop/proto';
import { type GrpcService, type Logger, unary } from '@astroshop/service-kit';
import { ATTR, activeSpan, METRIC } from '@astroshop/telemetry';
import { metrics } from '@opentelemetry/api';
import { normalizeRequestedIds } from './product-ids.ts';

export function recommendationService(
  logger: Logger,
  listProducts: (requested: string[]) => Promise<string[]>,
): GrpcService {
  const given = metrics.getMeter('recommendation').createCounter(METRIC.recommendationRequests, {
    unit: '{recommendation}',
    description: 'Counts the total number of given recommendations',
  });

  const implementation: RecommendationServiceServer = {
    listRecommendations: unary(logger, async ({ productIds }) => {
      const requested = normalizeRequestedIds(productIds);
      const recommended = await listProducts(requested);
      activeSpan()?.setAttribute(ATTR.productRecommendedCount, recommended.length);
      given.add(recommended.length, { [ATTR.recommendationType]: 'catalog' });
      logger.info(`Receive ListRecommendations for product ids:[${requested.join(', ')}]`);
      return { productIds: recommended };
    }),
  };

  return {
    definition: RecommendationServiceService,
    implementation,
    name: 'oteldemo.RecommendationService',
  };
}
