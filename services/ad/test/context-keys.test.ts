import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import { formatContextKeys, validateContextKeys } from '../src/context-keys.ts';

const invalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof StatusError && error.code === GrpcStatus.INVALID_ARGUMENT && pattern.test(error.message);

describe('context keys', () => {
  test('up to 20 keys of up to 64 characters pass', () => {
    const keys = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(64, 'k'));
    assert.deepEqual(validateContextKeys(keys), keys);
    assert.deepEqual(validateContextKeys([]), []);
  });

  test('21 keys is INVALID_ARGUMENT', () => {
    const keys = Array.from({ length: 21 }, (_, i) => `k${i}`);
    assert.throws(() => validateContextKeys(keys), invalid(/too many context_keys: 21/));
  });

  test('a 65-character key is INVALID_ARGUMENT', () => {
    assert.throws(() => validateContextKeys(['telescopes', 'x'.repeat(65)]), invalid(/longer than 64/));
  });

  test('rendered like the original Java list', () => {
    assert.equal(formatContextKeys(['telescopes', 'travel']), '[telescopes, travel]');
    assert.equal(formatContextKeys([]), '[]');
  });
});
