// How /api failures become HTTP answers: bad input is the caller's 4xx, a
// failing neighbour is a 5xx that names it, and nothing is left without a body.
import { GrpcStatus, isGrpcCallError } from '@astroshop/service-kit';

/** A failure we decided on (bad input, wrong method): status + message as is. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const notFoundError = (message: string) => new HttpError(404, message);

/** A call to a neighbour (`dependency` = its service name) that failed. */
export class DependencyError extends Error {
  override name = 'DependencyError';
  readonly dependency: string;
  /** gRPC status of the failure, or undefined for HTTP/network failures. */
  readonly grpcCode: number | undefined;
  /** HTTP status the neighbour answered with, when it answered over HTTP. */
  readonly httpStatus: number | undefined;
  readonly detail: string;
  constructor(
    dependency: string,
    detail: string,
    options: { grpcCode?: number; httpStatus?: number; cause?: unknown } = {},
  ) {
    super(`${dependency} service: ${detail}`, { cause: options.cause });
    this.dependency = dependency;
    this.detail = detail;
    this.grpcCode = options.grpcCode;
    this.httpStatus = options.httpStatus;
  }
}

/** Wraps any error thrown by a gRPC call to `dependency`. */
export function fromGrpcError(dependency: string, error: unknown): DependencyError {
  if (error instanceof DependencyError) return error;
  if (isGrpcCallError(error)) {
    return new DependencyError(dependency, error.details || error.message, {
      grpcCode: error.code,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DependencyError(dependency, message, { grpcCode: GrpcStatus.UNKNOWN, cause: error });
}

export interface ErrorAnswer {
  status: number;
  body: { error: string };
  headers: Record<string, string>;
  /** True when the failure is ours or a neighbour's (span marked ERROR). */
  serverFault: boolean;
}

/** One mapping for every route. */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: { error: error.message },
      headers: error.headers,
      serverFault: error.status >= 500,
    };
  }
  if (error instanceof DependencyError) {
    const { dependency: dep, detail } = error;
    const answer = (status: number, message: string): ErrorAnswer => ({
      status,
      body: { error: message },
      headers: {},
      serverFault: status >= 500,
    });
    // grpc-js could not encode what we built from the request (a number out of
    // int32 range, NaN): the input is at fault, and the detail names the field type.
    if (error.grpcCode === GrpcStatus.INTERNAL && detail.startsWith('Request message serialization failure'))
      return answer(400, `invalid request: ${detail}`);
    if (error.grpcCode !== undefined) {
      switch (error.grpcCode) {
        case GrpcStatus.INVALID_ARGUMENT:
        case GrpcStatus.OUT_OF_RANGE:
          return answer(400, detail);
        case GrpcStatus.NOT_FOUND:
          return answer(404, detail);
        case GrpcStatus.UNAVAILABLE:
          return answer(503, `${dep} service unavailable: ${detail}`);
        case GrpcStatus.DEADLINE_EXCEEDED:
          return answer(504, `${dep} service timed out: ${detail}`);
        default:
          return answer(502, `${dep} service failed: ${detail}`);
      }
    }
    if (error.httpStatus !== undefined && error.httpStatus >= 400 && error.httpStatus < 500) {
      return answer(400, `${dep} service rejected the request: ${detail}`);
    }
    if (error.httpStatus !== undefined) return answer(502, `${dep} service failed: ${detail}`);
    return answer(503, `${dep} service unavailable: ${detail}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: `internal error: ${message}` }, headers: {}, serverFault: true };
}
