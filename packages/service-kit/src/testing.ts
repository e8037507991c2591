// Test helpers shared by the services' unit tests (imported from
// `@astroshop/service-kit/testing`, never by service code).
import assert from 'node:assert/strict';
import { GrpcStatus } from './errors.ts';

/**
 * An `assert.rejects` validator: the call failed with gRPC status `code`
 * and, when given, a message matching `message`.
 */
export function expectStatus(code: GrpcStatus, message?: RegExp) {
  return (error: unknown) => {
    const e = error as { code?: number; details?: string };
    assert.equal(e.code, code, `expected ${GrpcStatus[code]}, got ${e.code} (${e.details})`);
    if (message) assert.match(e.details ?? '', message);
    return true;
  };
}
