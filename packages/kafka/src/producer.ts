import type { OrderResult } from '@astroshop/proto';
import { GrpcStatus, type Logger, StatusError } from '@astroshop/service-kit';
import { ATTR, withSpan } from '@astroshop/telemetry';
import { trace } from '@opentelemetry/api';
import type { Producer } from 'kafkajs';
import { createKafka } from './client.ts';
import { encodeOrderResult } from './order.ts';

export interface OrderProducerOptions {
  clientId: string;
  brokers: string[];
  topic: string;
  logger: Logger;
  /** Upper bound on how long one publish may hold an order. */
  publishTimeoutMs?: number;
  /** Pause between connection attempts while the broker is away. */
  reconnectDelayMs?: number;
}

/**
 * Publishes binary OrderResult records. It never makes an order wait on an
 * absent broker: until the first connection succeeds, publish fails at once
 * while a background loop keeps trying; after that kafkajs reconnects on its
 * own, and every send is cut off at `publishTimeoutMs`. checkout uses it
 * behind its outbox, which keeps what could not be sent.
 */
export class OrderProducer {
  private readonly producer: Producer;
  private readonly options: OrderProducerOptions;
  private readonly timeoutMs: number;
  private readonly reconnectDelayMs: number;
  private connected = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(options: OrderProducerOptions) {
    this.options = options;
    this.timeoutMs = options.publishTimeoutMs ?? 2000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 3000;
    const kafka = createKafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logger: options.logger,
      // Few, fast retries: the publish bound, not kafkajs, decides when to give up.
      timeouts: {
        connectionTimeout: 1000,
        requestTimeout: this.timeoutMs,
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
      },
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
    const { brokers, topic, logger } = this.options;
    try {
      await this.producer.connect();
      this.connected = true;
      logger.info({ brokers, topic }, 'connected to kafka');
    } catch (error) {
      logger.warn(
        { err: error, brokers, retryInMs: this.reconnectDelayMs },
        'kafka unreachable; orders will not be published until it is back',
      );
      this.retryTimer = setTimeout(() => void this.connect(), this.reconnectDelayMs);
      this.retryTimer.unref();
    }
  }

  publish(order: OrderResult): Promise<void> {
    return this.send([order], 1);
  }

  /** Several orders in one produce request, in order (an outbox's backlog). */
  publishBatch(orders: OrderResult[]): Promise<void> {
    return this.send(orders, 1);
  }

  /** kafkaQueueProblems: `copies` records of the same order. */
  publishCopies(order: OrderResult, copies: number): Promise<void> {
    return this.send([order], copies);
  }

  // The span keeps the upstream checkout's `<topic> publish` shape with its
  // messaging.kafka.producer.* attributes (the instrumentation adds its own send span).
  private send(orders: OrderResult[], copies: number): Promise<void> {
    const { topic, brokers, clientId } = this.options;
    return withSpan(trace.getTracer(clientId), `${topic} publish`, async (span) => {
      span.setAttributes({
        // peer.service and messaging.operation as the original sets them (deprecated),
        // each with its current semantic-convention name beside it.
        [ATTR.peerService]: 'kafka',
        [ATTR.serverServiceName]: 'kafka',
        [ATTR.networkTransport]: 'tcp',
        [ATTR.messagingSystem]: 'kafka',
        [ATTR.messagingDestinationName]: topic,
        [ATTR.messagingOperation]: 'publish',
        [ATTR.messagingOperationType]: 'send',
        [ATTR.messagingOperationName]: 'publish',
      });
      const started = performance.now();
      try {
        if (!this.connected) {
          throw new StatusError(GrpcStatus.UNAVAILABLE, `kafka at ${brokers.join(',')} not connected`);
        }
        const messages = orders.flatMap((order) => {
          const value = encodeOrderResult(order);
          return Array.from({ length: copies }, () => ({ value }));
        });
        // acks -1 (all in-sync replicas): required by the idempotent producer.
        const [record] = await withTimeout(
          this.producer.send({ topic, acks: -1, messages }),
          this.timeoutMs,
          `kafka did not acknowledge within ${this.timeoutMs} ms`,
        );
        span.setAttribute(ATTR.messagingKafkaProducerSuccess, true);
        if (record) {
          const offset = Number(record.baseOffset ?? record.offset ?? -1);
          span.setAttributes({
            [ATTR.messagingKafkaDestinationPartition]: record.partition,
            [ATTR.messagingPartitionId]: String(record.partition),
            [ATTR.messagingKafkaMessageOffset]: offset,
            [ATTR.kafkaOffset]: offset,
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

/** Rejects after `ms`; the losing promise's rejection is swallowed so it cannot go unhandled. */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StatusError(GrpcStatus.DEADLINE_EXCEEDED, message)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
