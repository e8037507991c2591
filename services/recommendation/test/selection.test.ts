import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_RECOMMENDATIONS, selectRecommendations } from '../src/selection.ts';

const CATALOG = ['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N', '0PUK6V6EV0'];

describe('selectRecommendations', () => {
  test('never recommends a requested id, and at most five distinct ids', () => {
    for (let run = 0; run < 200; run++) {
      const { recommended } = selectRecommendations([...CATALOG, ...CATALOG], ['OLJCESPC7Z']);
      assert.ok(recommended.length <= MAX_RECOMMENDATIONS);
      assert.equal(new Set(recommended).size, recommended.length);
      assert.ok(!recommended.includes('OLJCESPC7Z'));
      for (const id of recommended) assert.ok(CATALOG.includes(id));
    }
  });

  test('filtered collapses duplicates and removes the requested ids', () => {
    const { filtered, recommended } = selectRecommendations([...CATALOG, ...CATALOG], ['66VCHSJNUP']);
    assert.equal(filtered.length, CATALOG.length - 1);
    assert.equal(recommended.length, 5);
  });

  test('fewer candidates than five returns them all', () => {
    const { recommended } = selectRecommendations(['A1', 'B2', 'C3'], ['B2']);
    assert.deepEqual([...recommended].sort(), ['A1', 'C3']);
    assert.deepEqual(selectRecommendations(['A1'], ['A1']).recommended, []);
  });

  test('sampling is random: every candidate gets picked over many runs', () => {
    const seen = new Set<string>();
    for (let run = 0; run < 300; run++) {
      for (const id of selectRecommendations(CATALOG, []).recommended) seen.add(id);
    }
    assert.equal(seen.size, CATALOG.length);
  });

  test('the injected random source decides the sample', () => {
    const first = selectRecommendations(CATALOG, [], () => 0, 2).recommended;
    assert.deepEqual(first, CATALOG.slice(0, 2));
    const last = selectRecommendations(CATALOG, [], () => 0.999, 1).recommended;
    assert.deepEqual(last, [CATALOG.at(-1)]);
  });
});
