import { type Metadata, status } from '@grpc/grpc-js';

export { status as GrpcStatus };

/**
 * A domain failure with the gRPC status (and HTTP code) it maps to. Handlers
 * throw these; the transports translate them in one place.
 */
export class StatusError extends Error {
  override name = 'StatusError';
  readonly code: status;
  constructor(code: status, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const invalidArgument = (message: string) => new StatusError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new StatusError(status.NOT_FOUND, message);
export const failedPrecondition = (message: string, cause?: unknown) =>
  new StatusError(status.FAILED_PRECONDITION, message, { cause });
export const unavailable = (message: string, cause?: unknown) =>
  new StatusError(status.UNAVAILABLE, message, { cause });
export const internal = (message: string, cause?: unknown) =>
  new StatusError(status.INTERNAL, message, { cause });

/** A gRPC error as seen by a client (grpc-js ServiceError shape). */
export interface GrpcCallError extends Error {
  code: status;
  details: string;
  metadata?: Metadata;
}

export function isGrpcCallError(error: unknown): error is GrpcCallError {
  return (
    error instanceof Error && typeof (error as Partial<GrpcCallError>).code === 'number' && 'details' in error
  );
}

/** Status code of any error: our StatusError, a downstream gRPC error, else INTERNAL. */
export function statusOf(error: unknown): status {
  if (error instanceof StatusError) return error.code;
  if (isGrpcCallError(error)) return error.code;
  return status.INTERNAL;
}

const HTTP_BY_STATUS: Partial<Record<status, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.OUT_OF_RANGE]: 400,
  [status.FAILED_PRECONDITION]: 400,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.UNAUTHENTICATED]: 401,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.UNIMPLEMENTED]: 501,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 504,
};

export function httpStatusOf(error: unknown): number {
  const code = statusOf(error);
  // A neighbour's own fault reaches an HTTP caller as 502 Bad Gateway, not as ours.
  if (code === status.INTERNAL && (error as { neighbour?: unknown }).neighbour !== undefined) return 502;
  return HTTP_BY_STATUS[code] ?? 500;
}
