import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { clampFlag, NUMBER_FLAG_BOUNDS } from '../src/bounds.ts';

const shipped = JSON.parse(
  readFileSync(new URL('../../../flagd/demo.flagd.json', import.meta.url), 'utf8'),
) as {
  flags: Record<string, { variants: Record<string, unknown> }>;
};

describe('numeric flag bounds', () => {
  test('every numeric flag of the shipped file has bounds, and its variants are inside them', () => {
    for (const [key, flag] of Object.entries(shipped.flags)) {
      for (const value of Object.values(flag.variants)) {
        if (typeof value !== 'number') continue;
        const bounds = NUMBER_FLAG_BOUNDS[key];
        assert.ok(bounds, `${key} is numeric but has no bounds`);
        assert.ok(value >= bounds[0] && value <= bounds[1], `${key}: ${value} outside ${bounds}`);
      }
    }
  });

  test('clampFlag: kafkaQueueProblems = 1e9 is read as 1000; unknown flags pass through', () => {
    assert.equal(clampFlag('kafkaQueueProblems', 1e9), 1000);
    assert.equal(clampFlag('cartFailure', -3), 0);
    assert.equal(clampFlag('paymentFailure', 0.5), 0.5);
    assert.equal(clampFlag('someOtherFlag', 1e9), 1e9);
    assert.equal(clampFlag('__proto__', 5), 5);
  });
});
