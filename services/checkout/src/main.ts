import { booleanFlag, closeFlags, FLAG, numberFlag, startFlags } from '@astroshop/flags';
import { runService, startGrpcServer } from '@astroshop/service-kit';
import { trace } from '@opentelemetry/api';
import { loadConfig } from './config.ts';
import { grpcNeighbours } from './grpc-neighbours.ts';
import { httpNeighbours } from './http-neighbours.ts';
import { KafkaOrderPublisher, OutboxOrderPublisher } from './kafka-publisher.ts';
import { checkoutService } from './server.ts';

await runService('checkout', async (logger) => {
  const config = loadConfig();
  startFlags();
  const grpc = grpcNeighbours({
    cart: config.CART_ADDR,
    currency: config.CURRENCY_ADDR,
    payment: config.PAYMENT_ADDR,
    productCatalog: config.PRODUCT_CATALOG_ADDR,
  });
  const http = httpNeighbours({ shipping: config.SHIPPING_ADDR, email: config.EMAIL_ADDR });
  const publisher = config.KAFKA_ADDR
    ? new OutboxOrderPublisher(
        new KafkaOrderPublisher({ brokers: config.KAFKA_ADDR.split(','), topic: config.KAFKA_TOPIC, logger }),
        { logger, capacity: config.CHECKOUT_OUTBOX_CAPACITY },
      )
    : undefined;
  publisher?.start();
  if (!publisher) logger.warn('KAFKA_ADDR not set: placed orders will not be published');

  const server = await startGrpcServer({
    host: config.LISTEN_HOST,
    port: config.CHECKOUT_PORT,
    services: [
      checkoutService({
        neighbours: { ...grpc, ...http },
        publisher,
        flags: {
          paymentUnreachable: () => booleanFlag(FLAG.paymentUnreachable, false),
          kafkaQueueProblems: () => numberFlag(FLAG.kafkaQueueProblems, 0),
        },
        logger,
        tracer: trace.getTracer('checkout'),
      }),
    ],
    logger,
  });
  // Server first (finish in-flight orders), then the clients those orders used.
  return {
    resources: [
      server,
      ...(publisher ? [publisher] : []),
      { close: async () => grpc.close() },
      { close: closeFlags },
    ],
  };
});
