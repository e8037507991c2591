// How /api failures become HTTP answers. The status comes from service-kit's
// one mapping (`httpStatusOf`, the same one every Fastify service and the
// neighbour client use): a neighbour's INVALID_ARGUMENT / NOT_FOUND /
// FAILED_PRECONDITION stays a 4xx, a neighbour down or silent is a 503/504, its
// own fault a 502. Here only the words are chosen: every body names the
// neighbour and keeps its message (which names the field), and never the
// neighbour's internal address.
import { httpStatusOf, NeighbourError, StatusError } from '@astroshop/service-kit';

/**
 * A transport decision with no gRPC counterpart (405 + Allow, 413, an unknown
 * /api path, a body that is not JSON): status and message as they are.
 */
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

export interface ErrorAnswer {
  status: number;
  body: { error: string };
  headers: Record<string, string>;
  /** True when the failure is ours or a neighbour's (5xx: span marked ERROR). */
  serverFault: boolean;
}

/** What the browser reads: the neighbour's name, what happened, its own words. */
function neighbourMessage(error: NeighbourError, status: number): string {
  const what =
    status === 503
      ? 'unavailable'
      : status === 504
        ? 'timed out'
        : status < 500
          ? 'rejected the request'
          : 'failed';
  return `${error.neighbour} service ${what}: ${error.reason}`;
}

/** One mapping for every route. */
export function errorAnswer(error: unknown): ErrorAnswer {
  const answer = (status: number, message: string, headers: Record<string, string> = {}): ErrorAnswer => ({
    status,
    body: { error: message },
    headers,
    serverFault: status >= 500,
  });
  if (error instanceof HttpError) return answer(error.status, error.message, error.headers);
  if (error instanceof NeighbourError) {
    const status = httpStatusOf(error);
    return answer(status, neighbourMessage(error, status));
  }
  if (error instanceof StatusError) return answer(httpStatusOf(error), error.message);
  const message = error instanceof Error ? error.message : String(error);
  return answer(500, `internal error: ${message}`);
}
