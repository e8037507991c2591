import { OrderResult } from '@astroshop/proto';
import { GrpcStatus, type Logger, StatusError } from '@astroshop/service-kit';
import { ATTR, withSpan } from '@astroshop/telemetry';
import { trace } from '@opentelemetry/api';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { OrderPublisher } from './neighbours.ts';
import { type Delivery, Outbox } from './outbox.ts';

export interface KafkaPublisherOptions {
  brokers: string[];
  topic: string;
  logger: Logger;
  /** Upper bound on how long one publish may hold an order. */
  publishTimeoutMs?: number;
  /** Pause between connection attempts while the broker is away. */
  reconnectDelayMs?: number;
}

const tracer = () => trace.getTracer('checkout');

/**
 * Publishes binary OrderResult records. It never makes an order wait on an
 * absent broker: until the first connection succeeds, publish fails at once
 * while a background loop keeps trying; after that kafkajs reconnects on its
 * own, and every send is cut off at `publishTimeoutMs`. Checkout uses it
 * behind OutboxOrderPublisher, which keeps what could not be sent.
 */
export class KafkaOrderPublisher {
  private readonly producer: Producer;
  private readonly topic: string;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly reconnectDelayMs: number;
  private readonly brokers: string[];
  private connected = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(options: KafkaPublisherOptions) {
    this.topic = options.topic;
    this.logger = options.logger;
    this.brokers = options.brokers;
    this.timeoutMs = options.publishTimeoutMs ?? 2000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 3000;
    const kafkaLogger = options.logger.child({ component: 'kafkajs' });
    const kafka = new Kafka({
      clientId: 'checkout',
      brokers: options.brokers,
      connectionTimeout: 1000,
      requestTimeout: this.timeoutMs,
      // Few, fast retries: the publish bound, not kafkajs, decides when to give up.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
      // kafkajs logs every failed attempt as ERROR; our own state-change lines say it once.
      logLevel: logLevel.WARN,
      logCreator: () => (entry) =>
        kafkaLogger.debug({ kafkaLevel: entry.level, ...entry.log }, entry.log.message),
    });
    // Idempotent: a send kafkajs retries after a lost acknowledgement is written
    // once (the broker drops the repeat by producer id + sequence number).
    this.producer = kafka.producer({
      allowAutoTopicCreation: true,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed || this.connected) return;
    try {
      await this.producer.connect();
      this.connected = true;
      this.logger.info({ brokers: this.brokers, topic: this.topic }, 'connected to kafka');
    } catch (error) {
      this.logger.warn(
        { err: error, brokers: this.brokers, retryInMs: this.reconnectDelayMs },
        'kafka unreachable; orders will not be published until it is back',
      );
      this.retryTimer = setTimeout(() => void this.connect(), this.reconnectDelayMs);
      this.retryTimer.unref();
    }
  }

  publish(order: OrderResult): Promise<void> {
    return this.send([order], 1);
  }

  /** Several orders in one produce request, in order (the outbox's backlog). */
  publishBatch(orders: OrderResult[]): Promise<void> {
    return this.send(orders, 1);
  }

  publishCopies(order: OrderResult, copies: number): Promise<void> {
    return this.send([order], copies);
  }

  private send(orders: OrderResult[], copies: number): Promise<void> {
    return withSpan(tracer(), `${this.topic} publish`, async (span) => {
      span.setAttributes({
        [ATTR.peerService]: 'kafka',
        [ATTR.networkTransport]: 'tcp',
        [ATTR.messagingSystem]: 'kafka',
        [ATTR.messagingDestinationName]: this.topic,
        [ATTR.messagingOperation]: 'publish',
      });
      const started = performance.now();
      try {
        if (!this.connected) {
          throw new StatusError(GrpcStatus.UNAVAILABLE, `kafka at ${this.brokers.join(',')} not connected`);
        }
        const messages = orders.flatMap((order) => {
          const value = Buffer.from(OrderResult.encode(order).finish());
          return Array.from({ length: copies }, () => ({ value }));
        });
        // acks -1 (all in-sync replicas): required by the idempotent producer.
        const [record] = await withTimeout(
          this.producer.send({ topic: this.topic, acks: -1, messages }),
          this.timeoutMs,
          `kafka did not acknowledge within ${this.timeoutMs} ms`,
        );
        span.setAttribute(ATTR.messagingKafkaProducerSuccess, true);
        if (record) {
          span.setAttributes({
            [ATTR.messagingKafkaDestinationPartition]: record.partition,
            [ATTR.messagingKafkaMessageOffset]: Number(record.baseOffset ?? record.offset ?? -1),
          });
        }
      } catch (error) {
        span.setAttribute(ATTR.messagingKafkaProducerSuccess, false);
        throw error;
      } finally {
        span.setAttribute(ATTR.messagingKafkaProducerDurationMs, Math.round(performance.now() - started));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await withTimeout(this.producer.disconnect(), 3000, 'kafka disconnect timed out').catch(() => undefined);
  }
}

/**
 * What checkout publishes through: every accepted order goes into a bounded
 * in-process outbox in front of Kafka, so an order taken while Kafka is down
 * is published (oldest first) once it is back instead of being lost.
 */
export class OutboxOrderPublisher implements OrderPublisher {
  private readonly outbox: Outbox<OrderResult>;
  private readonly kafka: KafkaOrderPublisher;

  constructor(
    kafka: KafkaOrderPublisher,
    options: { logger: Logger; capacity: number; retryDelayMs?: number },
  ) {
    this.kafka = kafka;
    this.outbox = new Outbox<OrderResult>({
      capacity: options.capacity,
      retryDelayMs: options.retryDelayMs ?? 1000,
      deliver: (batch) => kafka.publishBatch(batch),
      idOf: (order) => order.orderId,
      logger: options.logger,
      what: 'kafka',
    });
  }

  publish(order: OrderResult): Promise<Delivery> {
    return this.outbox.offer(order);
  }

  /** The flag's deliberate duplicates bypass the outbox: they are load, not orders. */
  publishCopies(order: OrderResult, copies: number): Promise<void> {
    return this.kafka.publishCopies(order, copies);
  }

  refusal(): string | undefined {
    return this.outbox.refusal();
  }

  get waiting(): number {
    return this.outbox.size;
  }

  start(): void {
    this.kafka.start();
  }

  async close(): Promise<void> {
    await this.outbox.close();
    await this.kafka.close();
  }
}

/** Rejects after `ms`; the losing promise's rejection is swallowed so it cannot go unhandled. */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StatusError(GrpcStatus.DEADLINE_EXCEEDED, message)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
