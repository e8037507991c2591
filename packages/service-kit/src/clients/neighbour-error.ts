import { status } from '@grpc/grpc-js';
import { isGrpcCallError, StatusError } from '../errors.ts';
import type { CallBudget } from './deadline.ts';

/** Which neighbour, which call: every failure says both. */
export interface CallTarget {
  /** The neighbour's service name, e.g. `cart`, `quote`. */
  neighbour: string;
  /** The call, e.g. `CartService.GetCart` or `POST /get-quote`. */
  step: string;
  address: string;
}

/**
 * A failed call to a neighbour, already mapped to the status our caller gets
 * (`code`). `neighbourCode` / `httpStatus` keep what the neighbour answered.
 */
export class NeighbourError extends StatusError {
  override name = 'NeighbourError';
  readonly neighbour: string;
  readonly step: string;
  /** The neighbour's own words (its gRPC details, its error body), for callers that frame their own message. */
  readonly reason: string;
  readonly neighbourCode: status | undefined;
  readonly httpStatus: number | undefined;
  constructor(
    target: CallTarget,
    code: status,
    detail: string,
    options: { neighbourCode?: status; httpStatus?: number; reason?: string; cause?: unknown } = {},
  ) {
    super(code, `${target.neighbour} (${target.step} at ${target.address}): ${detail}`, {
      cause: options.cause,
    });
    this.neighbour = target.neighbour;
    this.step = target.step;
    this.reason = options.reason ?? detail;
    this.neighbourCode = options.neighbourCode;
    this.httpStatus = options.httpStatus;
  }
}

/**
 * The one mapping from what a neighbour answered to what our caller gets.
 * The caller's mistakes pass through (a neighbour's INVALID_ARGUMENT or 4xx
 * stays that); a neighbour down or silent is UNAVAILABLE naming it; a
 * neighbour's own fault is INTERNAL (HTTP 502 via `httpStatusOf`).
 */
const PASSED_THROUGH = new Set<status>([
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.ALREADY_EXISTS,
  status.FAILED_PRECONDITION,
  status.OUT_OF_RANGE,
  status.PERMISSION_DENIED,
  status.UNAUTHENTICATED,
  status.RESOURCE_EXHAUSTED,
  status.UNAVAILABLE,
]);

export function codeForGrpc(code: status, callersDeadline = false): status {
  // Our caller's deadline ran out: say so. The neighbour's own timeout ran
  // out: that neighbour is not answering, which is UNAVAILABLE.
  if (code === status.DEADLINE_EXCEEDED)
    return callersDeadline ? status.DEADLINE_EXCEEDED : status.UNAVAILABLE;
  if (code === status.CANCELLED) return status.UNAVAILABLE;
  return PASSED_THROUGH.has(code) ? code : status.INTERNAL;
}

const BY_HTTP: Record<number, status> = {
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.ALREADY_EXISTS,
  429: status.RESOURCE_EXHAUSTED,
  502: status.UNAVAILABLE,
  503: status.UNAVAILABLE,
  504: status.UNAVAILABLE,
};

export function codeForHttp(httpStatus: number): status {
  const mapped = BY_HTTP[httpStatus];
  if (mapped !== undefined) return mapped;
  // Any other 4xx (400, 413, 422, …) refuses what we sent on the caller's behalf.
  if (httpStatus >= 400 && httpStatus < 500) return status.INVALID_ARGUMENT;
  return status.INTERNAL;
}

/** Wraps what a gRPC call threw. */
export function grpcFailure(target: CallTarget, error: unknown, budget: CallBudget): NeighbourError {
  if (error instanceof NeighbourError) return error;
  if (!isGrpcCallError(error))
    return new NeighbourError(
      target,
      status.INTERNAL,
      error instanceof Error ? error.message : String(error),
      {
        cause: error,
      },
    );
  const details = error.details || error.message;
  // grpc-js could not encode what we built from the caller's input (an
  // int32 out of range, NaN): the input is at fault, not the neighbour.
  if (error.code === status.INTERNAL && details.startsWith('Request message serialization failure'))
    return new NeighbourError(target, status.INVALID_ARGUMENT, details, {
      neighbourCode: error.code,
      cause: error,
    });
  return new NeighbourError(
    target,
    codeForGrpc(error.code, budget.byCaller),
    describe(error.code, details, budget),
    {
      neighbourCode: error.code,
      reason: error.code === status.DEADLINE_EXCEEDED ? deadlineDetail(budget) : details,
      cause: error,
    },
  );
}

function describe(code: status, details: string, budget: CallBudget): string {
  return code === status.DEADLINE_EXCEEDED ? deadlineDetail(budget) : `${status[code]}: ${details}`;
}

/** Whose deadline ran out, and after how long. */
export function deadlineDetail(budget: CallBudget): string {
  return budget.byCaller
    ? `the caller's deadline left ${budget.ms} ms and it passed`
    : `no answer within ${budget.ms} ms`;
}
