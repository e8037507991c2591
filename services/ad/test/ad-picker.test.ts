import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { adPicker, categoryLabel, RANDOM_CATEGORY } from '../src/ad-picker.ts';

function picker() {
  const served: [string, number][] = [];
  const pick = adPicker({
    tracer: trace.getTracer('test'),
    random: () => 0,
    onServed: (category, count) => served.push([category, count]),
  });
  return { pick, served };
}

describe('adPicker', () => {
  test('keys with ads: TARGETED/TARGETED, every matching ad, counted per category', async () => {
    const { pick, served } = picker();
    const result = await pick(['telescopes', 'accessories']);
    assert.equal(result.requestType, 'TARGETED');
    assert.equal(result.responseType, 'TARGETED');
    assert.equal(result.ads.length, 4);
    assert.deepEqual(served, [
      ['telescopes', 1],
      ['accessories', 3],
    ]);
  });

  test('no keys: NOT_TARGETED/RANDOM with two ads', async () => {
    const { pick, served } = picker();
    const result = await pick([]);
    assert.deepEqual(
      [result.requestType, result.responseType, result.ads.length],
      ['NOT_TARGETED', 'RANDOM', 2],
    );
    assert.deepEqual(served, [[RANDOM_CATEGORY, 2]]);
  });

  test('keys without ads fall back to random: TARGETED/RANDOM', async () => {
    const { pick, served } = picker();
    const result = await pick(['books', 'flashlights']);
    assert.deepEqual([result.requestType, result.responseType, result.ads.length], ['TARGETED', 'RANDOM', 2]);
    assert.deepEqual(served.at(-1), [RANDOM_CATEGORY, 2]);
  });
});

describe('categoryLabel (bounded cardinality)', () => {
  test('keeps categories with ads and random; any other context key becomes "other"', () => {
    assert.equal(categoryLabel('telescopes'), 'telescopes');
    assert.equal(categoryLabel(RANDOM_CATEGORY), 'random');
    const seen = new Set(
      Array.from({ length: 1000 }, (_, i) => categoryLabel(`user-typed-${i}`)).concat(
        categoryLabel('__proto__'),
      ),
    );
    assert.deepEqual([...seen], ['other']);
  });
});
