import type { Logger } from '@astroshop/service-kit';
import { type Context, context } from '@opentelemetry/api';

/** What became of one offered item by the time `offer` resolves. */
export type Delivery = 'published' | 'queued';

export interface OutboxOptions<T> {
  /** Most items held at once; beyond it `offer` refuses (the caller must not accept the order). */
  capacity: number;
  /** Delivers a batch in order; rejects when any of it may not have been taken. */
  deliver: (batch: T[]) => Promise<void>;
  /** Pause before the next attempt after a failed one. */
  retryDelayMs: number;
  /** Largest batch handed to `deliver` (a backlog drains in a few round trips). */
  maxBatch?: number;
  /** The id of an item, for logs (an order id). */
  idOf: (item: T) => string;
  logger: Logger;
  /** Names the destination in logs and errors ("kafka"). */
  what: string;
}

interface Entry<T> {
  item: T;
  /** The offering request's context: its item is delivered in it, so the publish joins that trace. */
  context: Context;
  settle: ((delivery: Delivery) => void) | undefined;
}

/** Thrown by `offer` when the outbox already holds `capacity` items. */
export class OutboxFullError extends Error {
  override name = 'OutboxFullError';
}

/**
 * A bounded, in-process, first-in-first-out outbox. An accepted order is
 * handed to `offer`; while the destination answers it is delivered at once
 * (`published`), while it is away it waits here (`queued`) and a retry loop
 * delivers the backlog, oldest first, when it returns. Nothing accepted is
 * dropped while the process lives: when the outbox is full the caller is told
 * before it takes another order (`refusal`). A retry after an unanswered
 * attempt may deliver an item twice; the consumer dedupes by id.
 * Not durable: what is still queued when the process ends is logged, by id.
 */
export class Outbox<T> {
  private readonly queue: Entry<T>[] = [];
  private readonly options: Required<OutboxOptions<T>>;
  private flushing: Promise<void> | undefined;
  private failing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: OutboxOptions<T>) {
    this.options = { maxBatch: 100, ...options };
  }

  get size(): number {
    return this.queue.length;
  }

  /** Why a new item would be refused now, or undefined when there is room. */
  refusal(): string | undefined {
    if (this.closed) return `${this.options.what} outbox is closed (shutting down)`;
    if (this.queue.length < this.options.capacity) return undefined;
    return `${this.options.what} unavailable: ${this.queue.length} orders already wait in the outbox (capacity ${this.options.capacity})`;
  }

  /** Takes `item` and resolves once it was delivered or is safely queued behind an outage. */
  offer(item: T): Promise<Delivery> {
    const refused = this.refusal();
    if (refused) return Promise.reject(new OutboxFullError(refused));
    const entry: Entry<T> = { item, context: context.active(), settle: undefined };
    const settled = new Promise<Delivery>((resolve) => {
      entry.settle = resolve;
    });
    this.queue.push(entry);
    // Behind an outage the answer is known at once: do not make the order wait for an attempt.
    if (this.failing) settle(entry, 'queued');
    void this.flush();
    return settled;
  }

  /** One delivery loop at a time; callers share the running one. */
  private flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.drain().finally(() => {
        this.flushing = undefined;
      });
    }
    return this.flushing;
  }

  private async drain(): Promise<void> {
    clearTimeout(this.retryTimer);
    const { logger, what, idOf } = this.options;
    while (this.queue.length > 0) {
      const batch = sameContextRun(this.queue, this.options.maxBatch);
      try {
        // Whichever request started the loop, each item goes out in its own request's
        // context: a batch of several requests' orders would all join the first one's trace.
        await context.with(batch[0]!.context, () => this.options.deliver(batch.map((e) => e.item)));
      } catch (error) {
        if (!this.failing) {
          logger.warn(
            { err: error, 'event.name': 'checkout.outbox.holding', waiting: this.queue.length },
            `${what} unavailable (${(error as Error).message}); keeping orders in the outbox until it is back`,
          );
        }
        this.failing = true;
        for (const e of this.queue) settle(e, 'queued');
        if (!this.closed) {
          this.retryTimer = setTimeout(() => void this.flush(), this.options.retryDelayMs);
          this.retryTimer.unref();
        }
        return;
      }
      this.queue.splice(0, batch.length);
      for (const e of batch) settle(e, 'published');
      if (this.failing) {
        logger.info(
          {
            'event.name': 'checkout.outbox.delivered',
            delivered: batch.map((e) => idOf(e.item)),
            waiting: this.queue.length,
          },
          `${what} is back: delivered ${batch.length} held orders, ${this.queue.length} still waiting`,
        );
      }
    }
    this.failing = false;
  }

  /** Last attempt to deliver (bounded), then names what is lost with the process. */
  async close(timeoutMs = 3000): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.queue.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.flush(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    if (this.queue.length > 0) {
      const ids = this.queue.map((e) => this.options.idOf(e.item));
      this.options.logger.error(
        { 'event.name': 'checkout.outbox.lost', lost: ids },
        `shutting down with ${ids.length} orders not delivered to ${this.options.what}: ${ids.join(', ')}`,
      );
    }
  }
}

/** The leading entries that share the first one's context (at most `max`). */
function sameContextRun<T>(queue: Entry<T>[], max: number): Entry<T>[] {
  const first = queue[0]?.context;
  let end = 0;
  while (end < queue.length && end < max && queue[end]!.context === first) end++;
  return queue.slice(0, end);
}

function settle<T>(entry: Entry<T>, delivery: Delivery): void {
  entry.settle?.(delivery);
  entry.settle = undefined;
}
