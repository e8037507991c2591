// The telemetry schema of the shop (spec §10): every attribute and metric name
// a service sets, kept in one module so nobody retypes a string.

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
  messagingConsumerGroup: 'messaging.consumer.group.name',
  messagingPartitionId: 'messaging.destination.partition.id',
  userId: 'user.id',
  userEmail: 'user.email',
  userSelectedCurrency: 'demo.user_context.selected_currency',
  userLoyaltyLevel: 'demo.user_context.loyalty_level',
  userAgentSyntheticType: 'user_agent.synthetic.type',
  sessionId: 'session.id',
  enduserId: 'enduser.id',
  // checkout's Kafka publish span (spec §2.1), beside the instrumentation's own producer span.
  peerService: 'peer.service',
  networkTransport: 'network.transport',
  messagingSystem: 'messaging.system',
  messagingDestinationName: 'messaging.destination.name',
  messagingOperation: 'messaging.operation',
  messagingKafkaDestinationPartition: 'messaging.kafka.destination.partition',
  messagingKafkaProducerSuccess: 'messaging.kafka.producer.success',
  messagingKafkaProducerDurationMs: 'messaging.kafka.producer.duration_ms',
  messagingKafkaMessageOffset: 'messaging.kafka.message.offset',
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
  sessionId: 'session.id',
  enduserId: 'enduser.id',
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
