import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FLAG, InMemoryProvider, OpenFeature } from '@astroshop/flags';
import { formatAmount, fromNanos, type Money } from '@astroshop/money';
import { createLogger } from '@astroshop/service-kit';
import { isDomestic } from '../src/domestic.ts';
import { createQuoteClient, parseQuoteAmount } from '../src/quote-client.ts';

const quoteAt = (address: string, timeoutMs: number) =>
  createQuoteClient({ name: 'quote', address, timeoutMs });

import { ShippingRequest } from '../src/request.ts';
import { shippingApp } from '../src/server.ts';

const logger = createLogger('shipping-test');
logger.level = 'silent';

const slowdown = (seconds: number) =>
  OpenFeature.setProviderAndWait(
    new InMemoryProvider({
      [FLAG.intlShippingSlowdown]: {
        variants: { on: seconds, off: 0 },
        defaultVariant: 'on',
        disabled: false,
      },
    }),
  );

describe('quote amounts', () => {
  test('parse exactly, without float drift', () => {
    assert.deepEqual(parseQuoteAmount('26.97'), { currencyCode: 'USD', units: 26, nanos: 970_000_000 });
    assert.deepEqual(parseQuoteAmount('0.01'), { currencyCode: 'USD', units: 0, nanos: 10_000_000 });
    assert.deepEqual(parseQuoteAmount('899'), { currencyCode: 'USD', units: 899, nanos: 0 });
    assert.deepEqual(parseQuoteAmount('89900.00'), { currencyCode: 'USD', units: 89900, nanos: 0 });
    assert.throws(() => parseQuoteAmount('-1'), /non-negative decimal/);
    assert.throws(() => parseQuoteAmount('"abc"'), /non-negative decimal/);
  });

  test('the cost attribute is zero-padded to two decimals', () => {
    assert.equal(formatAmount(parseQuoteAmount('17.98')), '17.98');
    assert.equal(formatAmount(parseQuoteAmount('0.01')), '0.01');
    assert.equal(formatAmount(parseQuoteAmount('8.9')), '8.90');
  });
});

describe('request bodies', () => {
  test('snake_case and camelCase spellings both parse', () => {
    const snake = ShippingRequest.parse({
      address: { street_address: '1 Main', city: 'C', state: 'S', country: 'US', zip_code: '1' },
      items: [{ product_id: 'A', quantity: 2 }],
    });
    const camel = ShippingRequest.parse({
      address: { streetAddress: '1 Main', city: 'C', state: 'S', country: 'US', zipCode: '1' },
      items: [{ productId: 'A', quantity: 2 }],
    });
    assert.deepEqual(camel, snake);
    assert.equal(snake.address?.zip_code, '1');
  });

  test('omitted empty address fields default to empty strings', () => {
    assert.deepEqual(ShippingRequest.parse({ address: { country: 'FR' } }).address, {
      street_address: '',
      city: '',
      state: '',
      country: 'FR',
      zip_code: '',
    });
  });

  test('US spellings are domestic, trimmed and case-insensitive', () => {
    for (const c of ['US', ' usa ', 'United States', 'UNITED STATES OF AMERICA', '', undefined])
      assert.equal(isDomestic(c), true, String(c));
    for (const c of ['FR', 'Canada', 'U.S.']) assert.equal(isDomestic(c), false, c);
  });
});

describe('HTTP routes', () => {
  const quoted: number[] = [];
  const fakeQuotes = {
    async quote(n: number): Promise<Money> {
      quoted.push(n);
      return fromNanos('USD', 8_990_000_000n * BigInt(n));
    },
  };
  const shutdown = new AbortController();
  /** The slowdowns the app asked for, each held until the test releases it (or shutdown aborts it). */
  const waits: { ms: number; release: () => void }[] = [];
  const app = shippingApp({
    logger,
    quotes: fakeQuotes,
    shutdown: shutdown.signal,
    quoteAddress: 'http://fake',
    wait: (ms, signal) =>
      new Promise((resolve, reject) => {
        waits.push({ ms, release: () => resolve(undefined) });
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  });
  /** Resolves once the app has asked for one more wait than `seen`; bounded only against a hang. */
  const nextWait = async (seen: number) => {
    for (const deadline = Date.now() + 10_000; waits.length <= seen; ) {
      if (Date.now() > deadline) throw new Error('the app never started the slowdown');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return waits[seen] as { ms: number; release: () => void };
  };
  const post = (url: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  test('get-quote sums quantities and answers exact snake_case money', async () => {
    const response = await post('/get-quote', {
      address: { country: 'US' },
      items: [
        { product_id: 'A', quantity: 2 },
        { productId: 'B', quantity: 1 },
      ],
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { cost_usd: { currency_code: 'USD', units: 26, nanos: 970_000_000 } });
    assert.equal(quoted.at(-1), 3);
  });

  test('ship-order answers a uuid tracking id', async () => {
    const response = await post('/ship-order', {
      address: { country: 'US' },
      items: [{ product_id: 'A', quantity: 1 }],
    });
    assert.equal(response.statusCode, 200);
    assert.match(
      response.json().tracking_id,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  for (const [label, body, message] of [
    ['no body', '', /./],
    ['items not an array', { items: 'A' }, /items must be an array/],
    ['missing quantity', { items: [{ product_id: 'A' }] }, /items\.0\.quantity: quantity is required/],
    ['string quantity', { items: [{ product_id: 'A', quantity: '2' }] }, /quantity is required \(a number\)/],
    ['negative quantity', { items: [{ product_id: 'A', quantity: -1 }] }, /must not be negative/],
    ['missing product id', { items: [{ quantity: 1 }] }, /product_id is required/],
    ['address of the wrong type', { address: { city: 5 } }, /city must be a string/],
  ] as const) {
    test(`400 JSON for ${label}`, async () => {
      for (const url of ['/get-quote', '/ship-order']) {
        const response = await post(url, body);
        assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
        assert.match(response.json().error, message);
      }
    });
  }

  test('413 for a huge body', async () => {
    const response = await post('/get-quote', { items: [], pad: 'x'.repeat(200 * 1024) });
    assert.equal(response.statusCode, 413);
  });

  test('international orders wait intlShippingSlowdown seconds; domestic ones do not', async () => {
    await slowdown(1);
    try {
      const before = waits.length;
      const domestic = await post('/ship-order', { address: { country: 'US' } });
      assert.equal(domestic.statusCode, 200);
      assert.equal(waits.length, before, 'domestic must not wait');
      let answered = false;
      const pending = post('/ship-order', { address: { country: 'France' } }).then((response) => {
        answered = true;
        return response;
      });
      const held = await nextWait(before);
      assert.equal(held.ms, 1000, 'intlShippingSlowdown is in seconds');
      assert.equal(answered, false, 'answered before the slowdown ended');
      held.release();
      assert.equal((await pending).statusCode, 200);
    } finally {
      await OpenFeature.clearProviders();
    }
  });

  test('shutdown ends a sleeping international order at once with 503', async () => {
    await slowdown(30);
    try {
      const before = waits.length;
      const pending = post('/ship-order', { address: { country: 'DE' } });
      assert.equal((await nextWait(before)).ms, 30_000);
      shutdown.abort();
      const response = await pending;
      assert.equal(response.statusCode, 503);
      assert.match(response.json().error, /shutting down/);
    } finally {
      await OpenFeature.clearProviders();
    }
  });
});

describe('quote client', () => {
  let server: Server;
  let base: string;
  let answer: (res: import('node:http').ServerResponse) => void = (res) => res.end('26.97');
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        assert.deepEqual(JSON.parse(body), { numberOfItems: 3 });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('posts numberOfItems and parses the bare number', async () => {
    assert.deepEqual(await quoteAt(base, 1000).quote(3), {
      currencyCode: 'USD',
      units: 26,
      nanos: 970_000_000,
    });
  });

  test('a quote that does not answer in time is a 503 naming quote', async () => {
    answer = () => undefined;
    await assert.rejects(
      quoteAt(base, 200).quote(3),
      /quote \(POST \/getquote at .*\): no answer within 200 ms$/,
    );
  });

  test("quote's 400 (more than 10 000 items) stays a 400 naming the limit, not 'unavailable'", async () => {
    answer = (res) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"error":"invalid request body: numberOfItems: numberOfItems must be at most 10000"}');
    const shutdown = new AbortController();
    const app = shippingApp({
      logger,
      quotes: quoteAt(base, 1000),
      shutdown: shutdown.signal,
      quoteAddress: base,
    });
    const response = await app.inject({
      method: 'POST',
      url: '/get-quote',
      payload: { items: [{ product_id: 'P', quantity: 3 }] },
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().error, /^quote \(POST \/getquote at .*\): HTTP 400: .*at most 10000/);
    answer = (res) => res.end('26.97');
  });

  test('quote down is a 503 naming quote', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const shutdown = new AbortController();
    const app = shippingApp({
      logger,
      quotes: quoteAt(`http://127.0.0.1:${deadPort}`, 500),
      shutdown: shutdown.signal,
      quoteAddress: `http://127.0.0.1:${deadPort}`,
    });
    const response = await app.inject({ method: 'POST', url: '/get-quote', payload: { items: [] } });
    assert.equal(response.statusCode, 503);
    assert.match(response.json().error, /^quote \(POST \/getquote at .*\): unreachable .*ECONNREFUSED/);
  });
});
