import { GrpcStatus, isGrpcCallError, StatusError } from '@astroshop/service-kit';

/**
 * Codes a caller can act on pass through (a bad card stays INVALID_ARGUMENT,
 * a neighbour down stays UNAVAILABLE); a neighbour's deadline is reported as
 * UNAVAILABLE because it is that neighbour, not the caller's deadline, that ran
 * out. Everything else is our INTERNAL fault.
 */
const PASSED_THROUGH = new Set<GrpcStatus>([
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.NOT_FOUND,
  GrpcStatus.FAILED_PRECONDITION,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.UNAVAILABLE,
]);

function codeOf(error: unknown): GrpcStatus {
  const code = error instanceof StatusError || isGrpcCallError(error) ? error.code : GrpcStatus.INTERNAL;
  if (code === GrpcStatus.DEADLINE_EXCEEDED) return GrpcStatus.UNAVAILABLE;
  return PASSED_THROUGH.has(code) ? code : GrpcStatus.INTERNAL;
}

function detailOf(error: unknown): string {
  if (isGrpcCallError(error)) return error.details || error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Names the PlaceOrder step that failed: "cart failure: CartService.GetCart at …: …". */
export function stepFailure(step: string, error: unknown): StatusError {
  return new StatusError(codeOf(error), `${step}: ${detailOf(error)}`, { cause: error });
}

/** Runs one step; any failure becomes a StatusError naming it. */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw stepFailure(name, error);
  }
}
