import { booleanFlag, type EvaluationContext, FLAG } from '@astroshop/flags';
import { type AdServiceServer, AdServiceService } from '@astroshop/proto';
import { type GrpcService, type Logger, unary, unavailable } from '@astroshop/service-kit';
import { ATTR, activeSpan, BAGGAGE, baggageValue, METRIC } from '@astroshop/telemetry';
import { metrics, trace } from '@opentelemetry/api';
import { adPicker, categoryLabel } from './ad-picker.ts';
import { formatContextKeys, validateContextKeys } from './context-keys.ts';
import type { CpuBurner } from './cpu-burner.ts';
import type { GcStorm } from './gc-storm.ts';

export interface AdServiceDeps {
  logger: Logger;
  cpuBurner: CpuBurner;
  gcStorm: GcStorm;
  random?: () => number;
}

/** adFailure fails this share of GetAds calls (the original's nextInt(10) == 0). */
export const AD_FAILURE_RATE = 0.1;

export function adService(deps: AdServiceDeps): GrpcService {
  const { logger, cpuBurner, gcStorm } = deps;
  const random = deps.random ?? Math.random;
  const meter = metrics.getMeter('ad');
  const requests = meter.createCounter(METRIC.adRequests, {
    unit: '{ad_request}',
    description: 'Counts ad requests by request and response type',
  });
  const served = meter.createCounter(METRIC.adServed, {
    unit: '{ad}',
    description: 'Total number of ads served, labeled by category',
  });
  const pickAds = adPicker({
    tracer: trace.getTracer('ad'),
    random,
    onServed: (category, count) => served.add(count, { [ATTR.adServedCategory]: categoryLabel(category) }),
  });

  /**
   * The session from baggage is the flag targeting key. (session.id and
   * enduser.id reach the span as attributes through the telemetry package's
   * baggage span processor.)
   */
  function requestContext(): EvaluationContext {
    const sessionId = baggageValue(BAGGAGE.sessionId);
    if (sessionId === undefined && baggageValue(BAGGAGE.enduserId) === undefined) {
      logger.debug('no baggage found in context');
      return {};
    }
    return sessionId === undefined ? {} : { targetingKey: sessionId, session: sessionId };
  }

  async function applyHighCpu(flags: EvaluationContext): Promise<void> {
    if (await booleanFlag(FLAG.adHighCpu, false, flags)) {
      if (cpuBurner.start()) logger.warn('High CPU-Load problempattern enabled');
    } else if (await cpuBurner.stop()) {
      logger.info('High CPU-Load problempattern disabled');
    }
  }

  async function applyManualGc(flags: EvaluationContext): Promise<void> {
    if (!gcStorm.due() || !(await booleanFlag(FLAG.adManualGc, false, flags))) return;
    logger.warn('Feature Flag adManualGc enabled, performing a manual gc now');
    logger.info('Triggering a manual garbage collection, next one in 10 seconds.');
    const tookMs = await gcStorm.run();
    if (tookMs !== undefined) logger.warn(`The artificially triggered GCs took: ${Math.round(tookMs)} ms`);
  }

  const implementation: AdServiceServer = {
    getAds: unary(logger, async (request) => {
      const contextKeys = validateContextKeys(request.contextKeys);
      const flags = requestContext();
      await applyHighCpu(flags);

      const span = activeSpan();
      span?.setAttributes({
        [ATTR.adContextKeys]: formatContextKeys(contextKeys),
        [ATTR.adContextKeysCount]: contextKeys.length,
      });
      if (contextKeys.length > 0) {
        logger.info(`Targeted ad request received for ${formatContextKeys(contextKeys)}`);
      } else {
        logger.info('Non-targeted ad request received, preparing random response.');
      }
      const { ads, requestType, responseType } = await pickAds(contextKeys);
      span?.setAttributes({
        [ATTR.adCount]: ads.length,
        [ATTR.adRequestType]: requestType,
        [ATTR.adResponseType]: responseType,
      });
      requests.add(1, { [ATTR.adRequestType]: requestType, [ATTR.adResponseType]: responseType });

      if ((await booleanFlag(FLAG.adFailure, false, flags)) && random() < AD_FAILURE_RATE) {
        const message = 'GetAds Failed with status UNAVAILABLE (feature flag adFailure is on)';
        span?.addEvent('Error', { [ATTR.exceptionMessage]: message });
        throw unavailable(message);
      }
      await applyManualGc(flags);
      return { ads };
    }),
  };

  return { definition: AdServiceService, implementation, name: 'oteldemo.AdService' };
}
