import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LeakyProductCache } from '../src/leaky-cache.ts';
import { PRODUCT_IDS, PRODUCTS } from './fixtures.ts';

const uncapped = () => new LeakyProductCache({ maxGrowthPerMiss: Number.MAX_SAFE_INTEGER });

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

  test('growth per miss is capped, so it turns linear instead of exploding', () => {
    const cache = new LeakyProductCache({ maxGrowthPerMiss: 100 });
    let previous = 0;
    for (let miss = 0; miss < 50; miss++) {
      const added = cache.grow(PRODUCTS);
      assert.ok(added <= 100);
      assert.equal(cache.size, previous + added);
      previous = cache.size;
    }
    assert.ok(cache.size > 4000, 'it still only ever grows');
  });

  test('dedupes to the catalog ids however large it gets', () => {
    const cache = uncapped();
    for (let i = 0; i < 10; i++) cache.grow(PRODUCTS);
    assert.ok(cache.size > 100);
    assert.deepEqual(cache.distinctIds(), [...PRODUCT_IDS].sort());
  });

  test('an empty cache always misses; afterwards the coin decides', () => {
    const coin = { value: 0.9 };
    const cache = new LeakyProductCache({ maxGrowthPerMiss: 100, random: () => coin.value });
    assert.equal(cache.nextLookupMisses(), true);
    cache.grow(PRODUCTS);
    assert.equal(cache.nextLookupMisses(), false);
    coin.value = 0.1;
    assert.equal(cache.nextLookupMisses(), true);
  });

  test('entries hold their own memory, not pointers to one shared string', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const cache = new LeakyProductCache({ maxGrowthPerMiss: 5000 });
    gc();
    const before = process.memoryUsage().heapUsed;
    while (cache.size < 50_000) cache.grow(PRODUCTS);
    gc();
    const perEntry = (process.memoryUsage().heapUsed - before) / cache.size;
    // Each fixture description alone is ~400 bytes; shared strings would cost ~8 bytes per entry.
    assert.ok(perEntry > 400, `only ${perEntry.toFixed(0)} bytes per entry`);
  });
});
