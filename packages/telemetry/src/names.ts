// The telemetry schema of the shop (spec §10): every attribute and metric name
// a service sets, kept in one module so nobody retypes a string.
// Names that are OpenTelemetry semantic conventions come from the
// semantic-conventions package (stable entry) or its checked incubating copies.

import {
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_TRANSPORT,
} from '@opentelemetry/semantic-conventions';
import {
  ATTR_ENDUSER_ID,
  ATTR_EVENT_NAME,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_DESTINATION_PARTITION,
  ATTR_MESSAGING_KAFKA_MESSAGE_OFFSET,
  ATTR_MESSAGING_OPERATION,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_PEER_SERVICE,
  ATTR_SERVER_SERVICE_NAME,
  ATTR_SESSION_ID,
  ATTR_USER_AGENT_SYNTHETIC_TYPE,
  ATTR_USER_EMAIL,
  ATTR_USER_ID,
} from './semconv-incubating.ts';

export const ATTR = {
  adCategory: 'demo.ad.category',
  adCount: 'demo.ad.count',
  adContextKeys: 'demo.ad.context_keys',
  adContextKeysCount: 'demo.ad.context_keys.count',
  adRequestType: 'demo.ad.request_type',
  adResponseType: 'demo.ad.response_type',
  // Label of demo.ad.served, named as the original's demo_ad_served_total{category}.
  adServedCategory: 'category',
  cartItemsCount: 'demo.cart.items.count',
  exchangeFrom: 'demo.exchange.from',
  exchangeTo: 'demo.exchange.to',
  featureFlagRecommendationCache: 'demo.feature_flag.recommendation_cache',
  orderId: 'demo.order.id',
  orderAmount: 'demo.order.amount',
  orderItemsCount: 'demo.order.items.count',
  paymentAmount: 'demo.payment.amount',
  paymentCardCvv: 'demo.payment.card_cvv',
  paymentCardNumber: 'demo.payment.card_number',
  paymentCardType: 'demo.payment.card_type',
  paymentCardValid: 'demo.payment.card_valid',
  paymentCharged: 'demo.payment.charged',
  paymentTransactionId: 'demo.payment.transaction.id',
  paymentCurrency: 'demo.payment.currency',
  productId: 'demo.product.id',
  productName: 'demo.product.name',
  productQuantity: 'demo.product.quantity',
  productCount: 'demo.product.count',
  productRecommendedCount: 'demo.product.recommended.count',
  productFilteredCount: 'demo.product.filtered.count',
  productFilteredList: 'demo.product.filtered.list',
  productSearchCount: 'demo.product.search.count',
  recommendationCacheHit: 'demo.recommendation.cache_hit',
  recommendationType: 'recommendation.type',
  syntheticRequest: 'demo.synthetic_request',
  shippingAmount: 'demo.shipping.amount',
  shippingCostTotal: 'demo.shipping.cost.total',
  shippingTrackingId: 'demo.shipping.tracking.id',
  shippingQuoteItemsCount: 'demo.shipping.quote.items_count',
  shippingQuoteCostTotal: 'demo.shipping.quote.cost.total',
  // On the `quotes` metric only, as the original emits it (not in the schema).
  quoteNumberOfItems: 'number_of_items',
  // OTel messaging semantic conventions, for the Kafka consumer lag gauge
  // (messagingDestinationName is below, with checkout's producer attributes).
  messagingConsumerGroup: ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  messagingPartitionId: ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  userId: ATTR_USER_ID,
  userEmail: ATTR_USER_EMAIL,
  userSelectedCurrency: 'demo.user_context.selected_currency',
  userLoyaltyLevel: 'demo.user_context.loyalty_level',
  userAgentSyntheticType: ATTR_USER_AGENT_SYNTHETIC_TYPE,
  sessionId: ATTR_SESSION_ID,
  // Deprecated (moved to the client-side conventions, no successor here); kept: the original sets it.
  enduserId: ATTR_ENDUSER_ID,
  // checkout's Kafka publish span (spec §2.1), beside the instrumentation's own producer span.
  // Deprecated names the original sets are kept for parity, each with its current name beside it.
  peerService: ATTR_PEER_SERVICE,
  serverServiceName: ATTR_SERVER_SERVICE_NAME,
  networkTransport: ATTR_NETWORK_TRANSPORT,
  messagingSystem: ATTR_MESSAGING_SYSTEM,
  messagingDestinationName: ATTR_MESSAGING_DESTINATION_NAME,
  messagingOperation: ATTR_MESSAGING_OPERATION,
  messagingOperationType: ATTR_MESSAGING_OPERATION_TYPE,
  messagingOperationName: ATTR_MESSAGING_OPERATION_NAME,
  messagingKafkaDestinationPartition: ATTR_MESSAGING_KAFKA_DESTINATION_PARTITION,
  messagingKafkaProducerSuccess: 'messaging.kafka.producer.success',
  messagingKafkaProducerDurationMs: 'messaging.kafka.producer.duration_ms',
  messagingKafkaMessageOffset: ATTR_MESSAGING_KAFKA_MESSAGE_OFFSET,
  kafkaOffset: ATTR_KAFKA_OFFSET,
  // General ones the services set on spans, events and log records.
  errorType: ATTR_ERROR_TYPE,
  exceptionMessage: ATTR_EXCEPTION_MESSAGE,
  eventName: ATTR_EVENT_NAME,
  httpRoute: ATTR_HTTP_ROUTE,
} as const;

export const METRIC = {
  adRequests: 'demo.ad.requests',
  // Stands in for the original's Prometheus-client demo_ad_served_total (same name once exported).
  adServed: 'demo.ad.served',
  cartAddItemLatency: 'demo.cart.add_item.latency',
  cartGetCartLatency: 'demo.cart.get_cart.latency',
  exchangeConversions: 'demo.exchange.conversions',
  notificationConfirmations: 'demo.notification.confirmations',
  paymentTransactions: 'demo.payment.transactions',
  recommendationRequests: 'demo.recommendation.requests',
  shippingItemsShipped: 'demo.shipping.items_shipped',
  /** Ours (not in the original schema): 1 while a gRPC service reports SERVING. */
  serviceServing: 'demo.service.serving',
  /** Ours: request-scoped failures a server caught and survived, by `error.type` (a fixed set). */
  requestFailures: 'demo.server.request_failures',
  // Emitted by quote, not in the schema (spec §10).
  quotes: 'quotes',
  // Ours: committed-offset lag per partition, so kafkaQueueProblems shows in Prometheus.
  kafkaConsumerLag: 'kafka.consumer.lag',
} as const;

/** Baggage keys that cross service boundaries. */
export const BAGGAGE = {
  sessionId: ATTR_SESSION_ID,
  // Deprecated (moved to the client-side conventions, no successor here); kept: the original sets it.
  enduserId: ATTR_ENDUSER_ID,
  syntheticRequest: 'synthetic_request',
} as const;

/**
 * A metric label value from a fixed set: `value` when it is one of `allowed`,
 * else `other`. Anything a client controls goes through this (or a bucket
 * function) before it becomes a label, so series cannot grow without bound.
 */
export function boundedLabel(value: string, allowed: ReadonlySet<string>, other = 'other'): string {
  return allowed.has(value) ? value : other;
}
