import { Cart } from '@astroshop/proto';
import type { Drainable, Logger } from '@astroshop/service-kit';
import { Redis } from 'ioredis';
import type { CartStore } from './store.ts';

const CART_FIELD = 'cart';
/** Carts expire 60 minutes after their last write (spec §2.2). */
export const CART_TTL_SECONDS = 60 * 60;

export interface RedisStoreOptions {
  /** host:port */
  address: string;
  commandTimeoutMs: number;
  logger: Logger;
}

/** Reconnect quickly at first, then every 2 s at most, forever: Redis coming back must be noticed. */
const reconnectDelay = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);

/**
 * Carts in a Redis hash: key = user id, field `cart`, value = protobuf
 * `oteldemo.Cart`, the original's layout, so either implementation can read
 * the other's carts. Commands never wait for a connection (no offline queue)
 * and never outlive the command timeout, so an outage fails calls at once.
 */
export class RedisCartStore implements CartStore, Drainable {
  private readonly redis: Redis;
  private readonly logger: Logger;
  private readonly address: string;
  private wasReady = false;
  private outageLogged = false;

  constructor(options: RedisStoreOptions) {
    const [host, port] = splitAddress(options.address);
    this.logger = options.logger;
    this.address = options.address;
    this.logger.debug(
      { 'event.name': 'cart.redis.connecting', address: options.address },
      'connecting to Redis',
    );
    this.redis = new Redis({
      host,
      port,
      connectionName: 'cart',
      connectTimeout: 2000,
      commandTimeout: options.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
      keepAlive: 180_000,
    });
    this.watchConnection();
  }

  /** Waits (bounded) for the first connection so start-up traffic does not fail needlessly. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.redis.once('ready', onReady);
    });
  }

  async get(userId: string): Promise<Cart | undefined> {
    this.requireConnection();
    const raw = await this.redis.hgetBuffer(userId, CART_FIELD);
    // An empty buffer is a valid encoding (of the empty cart EmptyCart writes).
    return raw === null ? undefined : Cart.decode(raw);
  }

  async save(userId: string, cart: Cart): Promise<void> {
    this.requireConnection();
    const value = Buffer.from(Cart.encode(cart).finish());
    // One transaction, so a cart is never left without its expiry.
    const results = await this.redis
      .multi()
      .hset(userId, CART_FIELD, value)
      .expire(userId, CART_TTL_SECONDS)
      .exec();
    if (!results) throw new Error('Redis transaction was aborted');
    for (const [error] of results) if (error) throw error;
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Fails at once with a message naming Redis, rather than ioredis's offline-queue wording. */
  private requireConnection(): void {
    const { status } = this.redis;
    if (status !== 'ready') throw new Error(`Redis at ${this.address} is unreachable (connection ${status})`);
  }

  private watchConnection(): void {
    this.redis.on('ready', () => {
      if (this.wasReady)
        this.logger.info({ 'event.name': 'cart.redis.connection_restored' }, 'Redis connection restored');
      else this.logger.info({ 'event.name': 'cart.redis.connected' }, 'connected to Redis');
      this.wasReady = true;
      this.outageLogged = false;
    });
    this.redis.on('close', () => {
      if (this.wasReady && !this.outageLogged && this.redis.status !== 'end') {
        this.logger.warn(
          { 'event.name': 'cart.redis.connection_lost' },
          'Redis connection lost; reconnecting',
        );
        this.outageLogged = true;
      }
    });
    // Without a listener ioredis prints every failed reconnect; one line per outage is enough.
    this.redis.on('error', (error: Error) => {
      if (this.outageLogged) return;
      this.outageLogged = true;
      this.logger.error(
        { 'event.name': 'cart.redis.connection_failed', err: error },
        `cannot reach Redis: ${error.message}`,
      );
    });
  }
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
