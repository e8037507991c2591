import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import { MAX_ID_LENGTH, MAX_REQUESTED_IDS, normalizeRequestedIds } from '../src/product-ids.ts';

const isInvalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof StatusError && error.code === GrpcStatus.INVALID_ARGUMENT && pattern.test(error.message);

describe('normalizeRequestedIds', () => {
  test('a proper list passes through', () => {
    assert.deepEqual(normalizeRequestedIds(['OLJCESPC7Z', '66VCHSJNUP']), ['OLJCESPC7Z', '66VCHSJNUP']);
  });

  test("the original frontend's one-character-per-entry shape is re-joined and split on commas", () => {
    assert.deepEqual(normalizeRequestedIds([...'OLJCESPC7Z,66VCHSJNUP']), ['OLJCESPC7Z', '66VCHSJNUP']);
    assert.deepEqual(normalizeRequestedIds([...'L9ECAV7KIM']), ['L9ECAV7KIM']);
  });

  test('comma-joined entries are split', () => {
    assert.deepEqual(normalizeRequestedIds(['OLJCESPC7Z,66VCHSJNUP', 'L9ECAV7KIM']), [
      'OLJCESPC7Z',
      '66VCHSJNUP',
      'L9ECAV7KIM',
    ]);
  });

  test('blank pieces and surrounding spaces are dropped', () => {
    assert.deepEqual(normalizeRequestedIds(['', ' OLJCESPC7Z , ', ',']), ['OLJCESPC7Z']);
    assert.deepEqual(normalizeRequestedIds([]), []);
  });

  test('too many ids is INVALID_ARGUMENT', () => {
    const ids = Array.from({ length: MAX_REQUESTED_IDS + 1 }, (_, i) => `ID${i}`);
    assert.throws(() => normalizeRequestedIds(ids), isInvalid(/too many product ids/));
  });

  test('an absurdly long id is INVALID_ARGUMENT', () => {
    assert.throws(
      () => normalizeRequestedIds(['X'.repeat(MAX_ID_LENGTH + 1)]),
      isInvalid(/longer than 64 characters/),
    );
  });
});
