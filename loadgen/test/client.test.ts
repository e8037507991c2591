import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baggageHeader, ShopClient, StoppedError } from '../src/client.ts';
import { Stats } from '../src/stats.ts';
import { fakeShop } from './helpers.ts';

test('the baggage header marks synthetic traffic and carries the session id', () => {
  assert.equal(
    baggageHeader('6f1c1b9e-1111-4c4c-8888-123456789abc'),
    'synthetic_request=true,session.id=6f1c1b9e-1111-4c4c-8888-123456789abc',
  );
});

test('every request carries exactly one baggage header; POSTs are JSON', async () => {
  const shop = await fakeShop();
  try {
    const stats = new Stats();
    const client = new ShopClient({ base: shop.base, stats, timeoutMs: 2000 });
    await client.request({ path: '/api/products/OLJCESPC7Z', name: '/api/products/[id]' }, 'session-1');
    await client.request(
      {
        method: 'POST',
        path: '/api/cart',
        name: '/api/cart',
        body: { item: { productId: 'X', quantity: 1 }, userId: 'u' },
      },
      'session-1',
    );
    assert.equal(shop.seen.length, 2);
    for (const req of shop.seen) {
      const baggage = req.rawHeaders.filter(
        (_, i) => i % 2 === 0 && req.rawHeaders[i]?.toLowerCase() === 'baggage',
      );
      assert.equal(baggage.length, 1, 'one baggage header');
      assert.equal(req.headers.baggage, 'synthetic_request=true,session.id=session-1');
    }
    assert.equal(shop.seen[1]?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(shop.seen[1]?.body ?? ''), {
      item: { productId: 'X', quantity: 1 },
      userId: 'u',
    });
    assert.equal(stats.aggregated().count, 2);
    assert.equal(stats.aggregated().failures, 0);
  } finally {
    await shop.close();
  }
});

test('HTTP errors and unreachable targets are recorded as failures with a reason', async () => {
  const shop = await fakeShop(() => ({ status: 500, body: { error: 'payment service unreachable' } }));
  const stats = new Stats();
  try {
    const client = new ShopClient({ base: shop.base, stats, timeoutMs: 2000 });
    const res = await client.request(
      { method: 'POST', path: '/api/checkout', name: '/api/checkout', body: {} },
      's',
    );
    assert.equal(res.ok, false);
    assert.equal(res.status, 500);
  } finally {
    await shop.close();
  }
  // The server is gone now: connection refused.
  const client = new ShopClient({ base: shop.base, stats, timeoutMs: 2000 });
  await client.request({ path: '/', name: '/' }, 's');
  const errors = stats.failureList().map((f) => f.error);
  assert.ok(errors.includes('HTTP 500: payment service unreachable'), errors.join('|'));
  assert.ok(
    errors.some((e) => /network error: ECONNREFUSED/.test(e)),
    errors.join('|'),
  );
});

test('a stopped user aborts its request without counting a failure', async () => {
  const stats = new Stats();
  const client = new ShopClient({
    base: new URL('http://127.0.0.1:9'),
    stats,
    timeoutMs: 5000,
    fetchImpl: (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      ),
  });
  const controller = new AbortController();
  const pending = client.request({ path: '/', name: '/' }, 's', controller.signal);
  controller.abort();
  await assert.rejects(pending, StoppedError);
  assert.equal(stats.aggregated().count, 0);
});

test('a path cannot escape the configured origin', async () => {
  const client = new ShopClient({
    base: new URL('http://127.0.0.1:8080'),
    stats: new Stats(),
    timeoutMs: 1000,
  });
  await assert.rejects(client.request({ path: '//example.com/x', name: 'x' }, 's'), /off-target/);
});
