import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from '@astroshop/service-kit';
import { itemsBucket, quoteFor } from '../src/quote.ts';
import { quoteApp } from '../src/server.ts';

const logger = createLogger('quote-test');
logger.level = 'silent';

describe('quoteFor', () => {
  test('8.99 per item, exact to the cent', () => {
    assert.equal(quoteFor(0), '0.00');
    assert.equal(quoteFor(1), '8.99');
    assert.equal(quoteFor(2), '17.98');
    assert.equal(quoteFor(3), '26.97');
    assert.equal(quoteFor(10_000), '89900.00');
  });
});

describe('POST /getquote', () => {
  const app = quoteApp(logger);
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/getquote',
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  test('answers a bare JSON number', async () => {
    const response = await post({ numberOfItems: 3 });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /application\/json/);
    assert.equal(response.body, '26.97');
    assert.equal(JSON.parse(response.body), 26.97);
  });

  for (const [label, body, message] of [
    ['missing field', {}, /numberOfItems/],
    ['negative', { numberOfItems: -1 }, /must not be negative/],
    ['fractional', { numberOfItems: 1.5 }, /integer/],
    ['string', { numberOfItems: '3' }, /number/],
    ['too many', { numberOfItems: 10_001 }, /at most 10000/],
  ] as const) {
    test(`400 for ${label}`, async () => {
      const response = await post(body);
      assert.equal(response.statusCode, 400);
      assert.match(response.json().error, message);
    });
  }

  test('400 for malformed JSON and 413 for a huge body', async () => {
    assert.equal((await post('{"numberOfItems":')).statusCode, 400);
    const huge = await post({ numberOfItems: 1, pad: 'x'.repeat(64 * 1024) });
    assert.equal(huge.statusCode, 413);
    assert.ok(huge.json().error);
  });
});

describe('itemsBucket (the quotes counter label)', () => {
  test('every count 0..10000 maps onto 7 fixed labels', () => {
    const labels = new Set(Array.from({ length: 10_001 }, (_, n) => itemsBucket(n)));
    assert.deepEqual([...labels], ['0', '1', '2-5', '6-10', '11-100', '101-1000', '1001-10000']);
    assert.equal(itemsBucket(5), '2-5');
    assert.equal(itemsBucket(6), '6-10');
  });
});
