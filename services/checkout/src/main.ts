import { booleanFlag, closeFlags, FLAG, numberFlag, startFlags } from '@astroshop/flags';
import { OrderProducer, parseBrokers } from '@astroshop/kafka';
import { runService, startGrpcServer } from '@astroshop/service-kit';
import { trace } from '@opentelemetry/api';
import { loadConfig, neighbourConfigs } from './config.ts';
import { grpcNeighbours } from './grpc-neighbours.ts';
import { httpNeighbours } from './http-neighbours.ts';
import { OutboxOrderPublisher } from './order-publisher.ts';
import { checkoutService } from './server.ts';

await runService('checkout', async (logger) => {
  const config = loadConfig();
  startFlags();
  const neighbours = neighbourConfigs(config);
  const grpc = grpcNeighbours(neighbours);
  const http = httpNeighbours(neighbours);
  const publisher = config.KAFKA_ADDR
    ? new OutboxOrderPublisher(
        new OrderProducer({
          clientId: 'checkout',
          brokers: parseBrokers(config.KAFKA_ADDR),
          topic: config.KAFKA_TOPIC,
          logger,
        }),
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
    resources: [server, ...(publisher ? [publisher] : []), grpc, { close: closeFlags }],
  };
});
