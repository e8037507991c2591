// The outbox in front of Kafka: nothing accepted is dropped while the broker
// is away, the backlog goes out oldest first once it is back, a full outbox
// refuses before the card is charged, and shutdown names what it could not deliver.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcStatus } from '@astroshop/service-kit';
import { Outbox, OutboxFullError } from '../src/outbox.ts';
import { placeOrder } from '../src/place-order.ts';
import { captureLogger, deps, fakeShop, orderRequest } from './fakes.ts';

/** A destination that can be switched off; records every delivered item. */
function destination() {
  const state = { up: true, delivered: [] as string[], attempts: 0 };
  const deliver = async (batch: string[]) => {
    state.attempts++;
    if (!state.up) throw new Error('broker not connected');
    state.delivered.push(...batch);
  };
  return { state, deliver };
}

const settleSoon = () => new Promise((resolve) => setTimeout(resolve, 5));

async function until(what: string, predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`never happened: ${what}`);
}

function outbox(deliver: (batch: string[]) => Promise<void>, capacity = 100) {
  const { logger, lines } = captureLogger();
  const box = new Outbox<string>({
    capacity,
    deliver,
    retryDelayMs: 20,
    maxBatch: 3,
    idOf: (id) => id,
    logger,
    what: 'kafka',
  });
  return { box, lines };
}

describe('Outbox', () => {
  test('while the destination answers, an offer is published at once', async () => {
    const { state, deliver } = destination();
    const { box } = outbox(deliver);
    assert.equal(await box.offer('o-1'), 'published');
    assert.deepEqual(state.delivered, ['o-1']);
    assert.equal(box.size, 0);
  });

  test('while it is away orders are queued, then delivered once each, oldest first', async () => {
    const { state, deliver } = destination();
    const { box, lines } = outbox(deliver);
    state.up = false;
    const ids = Array.from({ length: 8 }, (_, i) => `o-${i}`);
    const outcomes = await Promise.all(ids.map((id) => box.offer(id)));
    assert.deepEqual(new Set(outcomes), new Set(['queued']));
    assert.equal(box.size, 8);
    assert.ok(lines.some((l) => /kafka unavailable .*keeping orders in the outbox/.test(l.message)));
    await settleSoon();
    assert.deepEqual(state.delivered, []);

    state.up = true;
    await until('backlog delivered', () => box.size === 0);
    assert.deepEqual(state.delivered, ids, 'each order exactly once, in order');
    assert.equal(await box.offer('o-new'), 'published');
  });

  test('a full outbox refuses, naming the destination, and takes orders again once drained', async () => {
    const { state, deliver } = destination();
    const { box } = outbox(deliver, 2);
    state.up = false;
    await box.offer('a');
    await box.offer('b');
    assert.match(
      box.refusal() ?? '',
      /kafka unavailable: 2 orders already wait in the outbox \(capacity 2\)/,
    );
    await assert.rejects(box.offer('c'), OutboxFullError);
    state.up = true;
    await until('drained', () => box.size === 0);
    assert.equal(box.refusal(), undefined);
    assert.deepEqual(state.delivered, ['a', 'b']);
  });

  test('an attempt that failed after the broker took it is repeated: the consumer must dedupe', async () => {
    let calls = 0;
    const delivered: string[] = [];
    const { box } = outbox(async (batch) => {
      delivered.push(...batch);
      calls++;
      if (calls === 1) throw new Error('acknowledgement lost');
    });
    assert.equal(await box.offer('o-1'), 'queued');
    await until('retried', () => box.size === 0);
    assert.deepEqual(delivered, ['o-1', 'o-1']);
  });

  test('close delivers what it can, then names every order it could not', async () => {
    const { state, deliver } = destination();
    const { box, lines } = outbox(deliver);
    state.up = false;
    await box.offer('o-1');
    await box.offer('o-2');
    await box.close(50);
    const lost = lines.find((l) =>
      /shutting down with 2 orders not delivered to kafka: o-1, o-2/.test(l.message),
    );
    assert.ok(lost, 'the lost orders are logged by id');
    assert.match(box.refusal() ?? '', /closed/);
  });
});

describe('placeOrder with a full outbox', () => {
  test('fails UNAVAILABLE naming kafka before the card is charged', async () => {
    const shop = fakeShop([{ productId: 'OLJCESPC7Z', quantity: 1 }]);
    const publisher = { ...shop.publisher, refusal: () => 'kafka unavailable: 1000 orders already wait' };
    await assert.rejects(placeOrder(orderRequest(), deps(shop.neighbours, publisher)), (error: unknown) => {
      const e = error as { code?: number; message?: string };
      assert.equal(e.code, GrpcStatus.UNAVAILABLE);
      assert.match(e.message ?? '', /kafka unavailable/);
      return true;
    });
    assert.equal(shop.calls.charged.length, 0, 'nothing charged');
    assert.equal(shop.calls.published.length, 0);
  });
});
