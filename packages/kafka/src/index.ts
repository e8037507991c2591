// Kafka plumbing shared by the order consumers (accounting, fraud-detection)
// and checkout's producer: one client setup, trace context in headers,
// OrderResult coding, a consumer that survives outages, and the lag gauge.
export { createKafka, type KafkaTimeouts, parseBrokers } from './client.ts';
export {
  type ConsumedOrder,
  type OrderConsumer,
  type OrderConsumerOptions,
  startOrderConsumer,
} from './consumer.ts';
export { startConsumerService } from './consumer-service.ts';
export { consumerParentContext, contextFromHeaders, headerGetter, headersFromContext } from './headers.ts';
export { consumerHealth } from './health.ts';
export { computeLag, type PartitionLag, startLagGauge } from './lag.ts';
export { decodeOrderResult, encodeOrderResult, PoisonMessageError } from './order.ts';
export { OrderProducer, type OrderProducerOptions } from './producer.ts';
export { AbortedError, abortableSleep, backoffDelay, retryUntilDone } from './retry.ts';
