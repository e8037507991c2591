import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LeakyProductCache } from '../src/leaky-cache.ts';
import { PRODUCT_IDS, PRODUCTS } from './fixtures.ts';

const uncapped = () => new LeakyProductCache({ maxBytesPerMiss: Number.MAX_SAFE_INTEGER });

describe('LeakyProductCache', () => {
  test('grows like the original: 10 → 12 → 27 → 46, about ×1.25 per miss', () => {
    const cache = uncapped();
    const sizes = [1, 2, 3].map(() => {
      cache.grow(PRODUCTS);
      return cache.size;
    });
    assert.deepEqual(sizes, [12, 27, 46]);
    for (let i = 0; i < 20; i++) cache.grow(PRODUCTS);
    const before = cache.size;
    cache.grow(PRODUCTS);
    const factor = cache.size / before;
    assert.ok(factor > 1.24 && factor < 1.27, `growth factor ${factor}`);
  });

  test('growth per miss is capped by its byte budget, so it turns linear instead of exploding', () => {
    const cache = new LeakyProductCache({ maxBytesPerMiss: 50_000 });
    const added = Array.from({ length: 60 }, () => cache.grow(PRODUCTS));
    const steady = added.slice(-20);
    assert.ok(Math.max(...steady) - Math.min(...steady) <= 1, `uneven growth ${steady}`);
    assert.ok(steady[0]! > 40 && steady[0]! < 100, `${steady[0]} entries per 50 kB miss`);
    assert.equal(
      cache.size,
      added.reduce((a, b) => a + b, 0),
      'it only ever grows',
    );
  });

  test('dedupes to the catalog ids however large it gets', () => {
    const cache = uncapped();
    for (let i = 0; i < 10; i++) cache.grow(PRODUCTS);
    assert.ok(cache.size > 100);
    assert.deepEqual(cache.distinctIds(), [...PRODUCT_IDS].sort());
  });

  test('an empty cache always misses; afterwards the coin decides', () => {
    const coin = { value: 0.9 };
    const cache = new LeakyProductCache({ maxBytesPerMiss: 100_000, random: () => coin.value });
    assert.equal(cache.nextLookupMisses(), true);
    cache.grow(PRODUCTS);
    assert.equal(cache.nextLookupMisses(), false);
    coin.value = 0.1;
    assert.equal(cache.nextLookupMisses(), true);
  });

  test('entries hold their own memory: the heap grows by about the budget per miss', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const budget = 1_000_000;
    const cache = new LeakyProductCache({ maxBytesPerMiss: budget });
    for (let i = 0; i < 20; i++) cache.grow(PRODUCTS);
    gc();
    const before = process.memoryUsage().heapUsed;
    const misses = 30;
    for (let i = 0; i < misses; i++) cache.grow(PRODUCTS);
    gc();
    const perMiss = (process.memoryUsage().heapUsed - before) / misses;
    // Shared strings would cost ~8 bytes per entry, a small fraction of the budget.
    assert.ok(
      perMiss > budget * 0.6 && perMiss < budget * 2,
      `heap grew ${perMiss.toFixed(0)} bytes per miss`,
    );
  });
});
