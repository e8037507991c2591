import type { Cart, CartItem } from '@astroshop/proto';
import { GrpcStatus, StatusError, unavailable } from '@astroshop/service-kit';
import type { Histogram } from '@opentelemetry/api';
import { emptyCart, mergeItem, requireItem, requireUserId } from './cart.ts';
import { KeyedQueue } from './keyed-queue.ts';
import type { CartStore } from './store.ts';

/** Where the cartFailure flag pretends the storage lives (the original's bad host). */
export const SIMULATED_BAD_STORE = 'badhost:1234';

/**
 * The flag-made failure: the original's FAILED_PRECONDITION and wording
 * (a 4xx-class status, so the frontend answers 400), recognisable in logs and spans.
 */
export class CartFailureInjected extends StatusError {
  override name = 'CartFailureInjected';
  readonly probability: number;
  constructor(message: string, probability: number) {
    super(GrpcStatus.FAILED_PRECONDITION, message);
    this.probability = probability;
  }
}

export interface CartServiceDependencies {
  store: CartStore;
  addItemLatency: Pick<Histogram, 'record'>;
  getCartLatency: Pick<Histogram, 'record'>;
  /** cartFailure: probability (0..1) that EmptyCart fails as if storage were unreachable. */
  failureProbability: () => Promise<number>;
  random?: () => number;
}

/**
 * Redis away is an outage, UNAVAILABLE (503 at the frontend, retried by
 * callers' reads), not the original's FAILED_PRECONDITION: with one status
 * mapping that is a 4xx, which would blame the caller for our storage.
 */
function storageError(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return unavailable(`Can't access cart storage. ${reason}`, error);
}

/** Times `work` in seconds into `histogram`, failures included (they are the slow ones). */
async function timed<T>(histogram: Pick<Histogram, 'record'>, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    histogram.record((performance.now() - start) / 1000);
  }
}

export class CartService {
  private readonly deps: CartServiceDependencies;
  private readonly random: () => number;
  private readonly writes = new KeyedQueue();

  constructor(deps: CartServiceDependencies) {
    this.deps = deps;
    this.random = deps.random ?? Math.random;
  }

  async addItem(rawUserId: string, rawItem: CartItem | undefined): Promise<Cart> {
    const userId = requireUserId(rawUserId);
    const item = requireItem(rawItem);
    const { store } = this.deps;
    let stored: Cart | undefined;
    await timed(this.deps.addItemLatency, () =>
      this.writes.run(userId, async () => {
        try {
          stored = await store.get(userId);
        } catch (error) {
          throw storageError(error);
        }
        // Validation of the merged cart is a client error, not a storage one.
        stored = mergeItem(stored, userId, item);
        try {
          await store.save(userId, stored);
        } catch (error) {
          throw storageError(error);
        }
      }),
    );
    return stored ?? emptyCart();
  }

  async getCart(rawUserId: string): Promise<Cart> {
    const userId = requireUserId(rawUserId);
    try {
      return (await timed(this.deps.getCartLatency, () => this.deps.store.get(userId))) ?? emptyCart();
    } catch (error) {
      throw storageError(error);
    }
  }

  async emptyCart(rawUserId: string): Promise<void> {
    const userId = requireUserId(rawUserId);
    const probability = await this.deps.failureProbability();
    if (probability > 0 && this.random() < probability)
      throw new CartFailureInjected(
        `Can't access cart storage. cartFailure flag: ${SIMULATED_BAD_STORE} is unreachable`,
        probability,
      );
    try {
      await this.writes.run(userId, () => this.deps.store.save(userId, emptyCart()));
    } catch (error) {
      throw storageError(error);
    }
  }
}
