import { codeForGrpc, GrpcStatus, isGrpcCallError, StatusError } from '@astroshop/service-kit';

/**
 * Neighbour failures arrive already mapped by the neighbour client; a raw
 * gRPC error gets the same mapping (its deadline is the neighbour's, so
 * UNAVAILABLE). Anything else is our INTERNAL fault.
 */
function codeOf(error: unknown): GrpcStatus {
  if (error instanceof StatusError) return error.code;
  if (isGrpcCallError(error)) return codeForGrpc(error.code);
  return GrpcStatus.INTERNAL;
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
