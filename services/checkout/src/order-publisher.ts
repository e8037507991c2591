import type { OrderProducer } from '@astroshop/kafka';
import type { OrderResult } from '@astroshop/proto';
import type { Logger } from '@astroshop/service-kit';
import type { OrderPublisher } from './neighbours.ts';
import { type Delivery, Outbox } from './outbox.ts';

/**
 * What checkout publishes through: every accepted order goes into a bounded
 * in-process outbox in front of Kafka, so an order taken while Kafka is down
 * is published (oldest first) once it is back instead of being lost.
 */
export class OutboxOrderPublisher implements OrderPublisher {
  private readonly outbox: Outbox<OrderResult>;
  private readonly kafka: OrderProducer;

  constructor(kafka: OrderProducer, options: { logger: Logger; capacity: number; retryDelayMs?: number }) {
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
