import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type Cart, CartServiceClient, createClient, unary } from '@astroshop/proto';
import { createLogger, type GrpcServerHandle, GrpcStatus, startGrpcServer } from '@astroshop/service-kit';
import { expectStatus } from '@astroshop/service-kit/testing';
import { CartService } from '../src/cart-service.ts';
import { cartGrpcService } from '../src/server.ts';
import type { CartStore } from '../src/store.ts';

process.env.LOG_LEVEL = 'silent';

/** In-memory storage that can be made unreachable, storing carts encoded like Redis would. */
class FakeStore implements CartStore {
  carts = new Map<string, Cart>();
  down = false;
  saves = 0;
  private check() {
    if (this.down) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
  }
  async get(userId: string) {
    this.check();
    const cart = structuredClone(this.carts.get(userId));
    // The reply's trip back over the network: other requests interleave here, as with real Redis.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return cart;
  }
  async save(userId: string, cart: Cart) {
    this.check();
    this.saves++;
    this.carts.set(userId, structuredClone(cart));
  }
  async ping() {
    return !this.down;
  }
}

class FakeHistogram {
  values: number[] = [];
  record(value: number) {
    this.values.push(value);
  }
}

describe('cart over gRPC', () => {
  const store = new FakeStore();
  const addLatency = new FakeHistogram();
  const getLatency = new FakeHistogram();
  let failureProbability = 0;
  let nextRandom = 0.5;
  let server: GrpcServerHandle;
  let client: CartServiceClient;

  before(async () => {
    const carts = new CartService({
      store,
      addItemLatency: addLatency,
      getCartLatency: getLatency,
      failureProbability: async () => failureProbability,
      random: () => nextRandom,
    });
    const logger = createLogger('test');
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [cartGrpcService(carts, logger)],
      logger,
    });
    client = createClient(CartServiceClient, `127.0.0.1:${server.port}`);
  });
  after(async () => {
    client.close();
    await server.close();
  });
  beforeEach(() => {
    store.carts.clear();
    store.down = false;
    store.saves = 0;
    addLatency.values = [];
    getLatency.values = [];
    failureProbability = 0;
    nextRandom = 0.5;
  });

  const addItem = (userId: string, productId: string, quantity: number) =>
    unary(client.addItem, client)({ userId, item: { productId, quantity } });
  const getCart = (userId: string) => unary(client.getCart, client)({ userId });
  const emptyCart = (userId: string) => unary(client.emptyCart, client)({ userId });

  test('a user without a cart gets an empty one', async () => {
    assert.deepEqual(await getCart('nobody'), { userId: '', items: [] });
  });

  test('AddItem twice merges the quantities; GetCart returns them', async () => {
    await addItem('u1', 'OLJCESPC7Z', 2);
    await addItem('u1', 'OLJCESPC7Z', 3);
    await addItem('u1', '66VCHSJNUP', 1);
    assert.deepEqual(await getCart('u1'), {
      userId: 'u1',
      items: [
        { productId: 'OLJCESPC7Z', quantity: 5 },
        { productId: '66VCHSJNUP', quantity: 1 },
      ],
    });
    assert.deepEqual(await getCart('u2'), { userId: '', items: [] }, 'carts are per user');
  });

  test('concurrent adds for one user are all kept', async () => {
    await Promise.all(Array.from({ length: 10 }, () => addItem('u1', 'A', 1)));
    assert.deepEqual((await getCart('u1')).items, [{ productId: 'A', quantity: 10 }]);
  });

  test('EmptyCart leaves an empty cart', async () => {
    await addItem('u1', 'OLJCESPC7Z', 2);
    await emptyCart('u1');
    assert.deepEqual(await getCart('u1'), { userId: '', items: [] });
  });

  test('bad input is INVALID_ARGUMENT and stores nothing', async () => {
    await assert.rejects(addItem('', 'OLJCESPC7Z', 1), expectStatus(GrpcStatus.INVALID_ARGUMENT, /user_id/));
    await assert.rejects(
      addItem('u1', 'OLJCESPC7Z', 0),
      expectStatus(GrpcStatus.INVALID_ARGUMENT, /quantity/),
    );
    await assert.rejects(addItem('u1', '', 1), expectStatus(GrpcStatus.INVALID_ARGUMENT, /product_id/));
    await assert.rejects(
      unary(client.addItem, client)({ userId: 'u1', item: undefined }),
      expectStatus(GrpcStatus.INVALID_ARGUMENT, /item is required/),
    );
    await assert.rejects(getCart(''), expectStatus(GrpcStatus.INVALID_ARGUMENT));
    await assert.rejects(emptyCart('x'.repeat(200)), expectStatus(GrpcStatus.INVALID_ARGUMENT));
    await addItem('u1', 'A', 600);
    await assert.rejects(
      addItem('u1', 'A', 600),
      expectStatus(GrpcStatus.INVALID_ARGUMENT, /would become 1200/),
    );
    assert.equal(store.saves, 1);
  });

  test('storage down is UNAVAILABLE "Can\'t access cart storage." (an outage, not the caller\'s fault) and recovers', async () => {
    store.down = true;
    const storageDown = expectStatus(GrpcStatus.UNAVAILABLE, /^Can't access cart storage\. Stream/);
    await assert.rejects(addItem('u1', 'A', 1), storageDown);
    await assert.rejects(getCart('u1'), storageDown);
    await assert.rejects(emptyCart('u1'), storageDown);
    store.down = false;
    await addItem('u1', 'A', 1);
    assert.equal((await getCart('u1')).items.length, 1);
  });

  test('latency histograms are recorded for successes and failures', async () => {
    await addItem('u1', 'A', 1);
    await getCart('u1');
    store.down = true;
    await assert.rejects(addItem('u1', 'A', 1));
    await assert.rejects(getCart('u1'));
    assert.equal(addLatency.values.length, 2);
    assert.equal(getLatency.values.length, 2);
    assert.ok(
      [...addLatency.values, ...getLatency.values].every((s) => s >= 0 && s < 1),
      'seconds, not ms',
    );
  });

  test('cartFailure fails EmptyCart with the flag probability, without touching storage', async () => {
    await addItem('u1', 'A', 1);
    failureProbability = 0.25;
    nextRandom = 0.1;
    await assert.rejects(
      emptyCart('u1'),
      expectStatus(GrpcStatus.FAILED_PRECONDITION, /^Can't access cart storage\..*cartFailure/),
    );
    assert.equal((await getCart('u1')).items.length, 1, 'cart untouched');
    nextRandom = 0.3;
    await emptyCart('u1');
    assert.equal((await getCart('u1')).items.length, 0);
  });
});
