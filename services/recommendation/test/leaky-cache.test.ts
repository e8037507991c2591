import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LeakyProductCache } from '../src/leaky-cache.ts';
import { PRODUCT_IDS, PRODUCTS } from './fixtures.ts';

describe('LeakyProductCache', () => {
  test('every miss retains the same number of entries from the first miss on: n misses, n × k entries', () => {
    const cache = new LeakyProductCache({ bytesPerMiss: 50_000 });
    const added = Array.from({ length: 30 }, () => cache.grow(PRODUCTS));
    const perMiss = added[0]!;
    assert.ok(perMiss > 40 && perMiss < 100, `${perMiss} entries per 50 kB miss`);
    assert.deepEqual(added, Array(30).fill(perMiss), 'the same growth for every miss');
    assert.equal(cache.size, 30 * perMiss, 'it only ever grows');
  });

  test('the fetched products come first, then earlier entries again (duplicates, as in the original)', () => {
    const cache = new LeakyProductCache({ bytesPerMiss: 50_000 });
    cache.grow(PRODUCTS);
    assert.ok(cache.size > PRODUCTS.length, 'a miss re-appends cached entries');
  });

  test('a budget smaller than one product retains nothing, and an empty catalog is no error', () => {
    assert.equal(new LeakyProductCache({ bytesPerMiss: 10 }).grow(PRODUCTS), 0);
    assert.equal(new LeakyProductCache({ bytesPerMiss: 50_000 }).grow([]), 0);
  });

  test('dedupes to the catalog ids however large it gets', () => {
    const cache = new LeakyProductCache({ bytesPerMiss: 50_000 });
    for (let i = 0; i < 10; i++) cache.grow(PRODUCTS);
    assert.ok(cache.size > 100);
    assert.deepEqual(cache.distinctIds(), [...PRODUCT_IDS].sort());
  });

  test('an empty cache always misses; afterwards the coin decides', () => {
    const coin = { value: 0.9 };
    const cache = new LeakyProductCache({ bytesPerMiss: 100_000, random: () => coin.value });
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
    const cache = new LeakyProductCache({ bytesPerMiss: budget });
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
