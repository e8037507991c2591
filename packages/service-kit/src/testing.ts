// Test helpers shared by the services' unit tests (imported from
// `@astroshop/service-kit/testing`, never by service code).
import assert from 'node:assert/strict';
import { callBudget } from './clients/deadline.ts';
import { grpcFailure, type NeighbourError } from './clients/neighbour-error.ts';
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

/**
 * What a `grpcNeighbour` call throws when `neighbour` answered `code` with
 * `details`: the real mapping (`grpcFailure`), so a fake neighbour in a test
 * fails exactly as the real client would.
 */
export function neighbourFailure(neighbour: string, code: GrpcStatus, details: string): NeighbourError {
  const answered = Object.assign(new Error(`${code} ${GrpcStatus[code]}: ${details}`), { code, details });
  return grpcFailure({ neighbour, step: 'Fake.Call', address: `${neighbour}:0` }, answered, callBudget(5000));
}
