import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
// The names module only: the native flag server imports this file alone
// (`@astroshop/service-kit/guard`) and must not load the kit or the telemetry package.
import { ATTR, METRIC } from '@astroshop/telemetry/names';
import { metrics } from '@opentelemetry/api';
import type { Logger } from './logger.ts';

/** All the guard logs: what clients did, at debug. */
type DebugLogger = Pick<Logger, 'debug'>;

/**
 * Where a request-scoped failure was caught. A fixed set, so the metric's
 * `error.type` label can never grow with what clients send.
 */
export type RequestFailureKind =
  | 'client_error' // unparseable request line/headers, header flood, slow headers
  | 'socket_error' // a connection reset/broken while we held it (upgrade refusals included)
  | 'request_error' // the request stream failed (client vanished mid-body)
  | 'response_error' // writing the answer failed (write after end, peer gone)
  | 'handler_error' // a handler threw where nothing else caught it
  | 'escaped_error'; // a socket-level error that reached process 'uncaughtException'

let counter: { add(value: number, attributes: Record<string, string>): void } | undefined;

/**
 * Counts one request-scoped failure (`demo.server.request_failures`). Such a
 * failure is the client's or the network's, so it is logged and counted and
 * the process carries on: it must never reach `uncaughtException`.
 */
export function countRequestFailure(kind: RequestFailureKind): void {
  counter ??= metrics.getMeter('astroshop.server').createCounter(METRIC.requestFailures, {
    unit: '{failure}',
    description: 'Request-scoped failures caught and survived (by where they were caught)',
  });
  counter.add(1, { [ATTR.errorType]: kind });
}

const RESPONSE_400 = 'HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';
const RESPONSE_408 = 'HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';
const RESPONSE_431 =
  'HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';

/** Socket error codes that only mean "this one connection is gone". */
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_ALREADY_FINISHED',
  'ERR_HTTP_HEADERS_SENT',
  'ERR_HTTP_REQUEST_TIMEOUT',
  'ERR_INVALID_URL',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
]);

/**
 * True for an error that belongs to one request or connection (a reset
 * socket, a write after the peer left, an unparseable URL or escape) rather
 * than to the process. Those are survived; anything else is a bug that leaves
 * the process in an unknown state, so it still shuts down.
 */
export function isRequestScoped(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && (CONNECTION_CODES.has(code) || code.startsWith('HPE_'))) return true;
  return error.name === 'URIError';
}

/** Answers and closes a raw socket without ever throwing (it may already be gone). */
export function endSocket(socket: Duplex, raw: string): void {
  try {
    if (socket.writable && !socket.writableEnded) socket.end(raw);
    else socket.destroy();
  } catch {
    socket.destroy();
  }
}

/**
 * The `clientError` answer: 400 (408 for slow headers, 431 for a header
 * flood) and a close; nothing when the peer is already gone. Also passed to
 * Fastify as its `clientErrorHandler`.
 */
export function clientErrorHandler(logger: DebugLogger) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    countRequestFailure('client_error');
    logger.debug({ code: error.code }, `malformed request: ${error.message}`);
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    endSocket(
      socket,
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? RESPONSE_408
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? RESPONSE_431
          : RESPONSE_400,
    );
  };
}

/** Time a client has to send its request headers, then its whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Makes a node:http server survive whatever a client does:
 * - every connection has an `error` listener for its whole life (Node drops
 *   its own on `upgrade`, so a reset after an Upgrade request would otherwise
 *   be an uncaught exception);
 * - malformed requests (`clientError`) get 400/408/431 and a close;
 * - request and response streams have `error` listeners (a write after the
 *   peer left emits one);
 * - slow clients are cut off (408) after HEADERS_TIMEOUT_MS / REQUEST_TIMEOUT_MS.
 * Each failure is logged at debug (clients cause them at will) and counted.
 * Returns the server so it can wrap `createServer(...)` inline.
 */
export function guardHttpServer<S extends Server>(
  server: S,
  logger: DebugLogger,
  options: { clientErrors?: boolean; headersTimeoutMs?: number; requestTimeoutMs?: number } = {},
): S {
  // A client trickling its headers or body (slowloris) would hold a connection
  // for Node's 60 s / 300 s defaults, or forever under Fastify (requestTimeout
  // 0): cut it off with a 408 (clientErrorHandler) well before that.
  server.headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  server.requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // Node enforces both only when it sweeps its connections (every 30 s by
  // default, read when the server starts listening): sweep often enough that
  // the limits above are what a client sees.
  (server as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(
    1000,
    server.headersTimeout,
  );
  server.on('connection', (socket: Duplex) => {
    socket.on('error', (error: NodeJS.ErrnoException) => {
      countRequestFailure('socket_error');
      logger.debug({ code: error.code, err: error }, 'connection error');
    });
  });
  // Fastify brings its own clientError wiring (given our handler in createHttpApp).
  if (options.clientErrors !== false) server.on('clientError', clientErrorHandler(logger));
  server.on('request', (request, response) => {
    request.on('error', (error: NodeJS.ErrnoException) => {
      countRequestFailure('request_error');
      logger.debug({ code: error.code }, `request stream failed: ${error.message}`);
    });
    response.on('error', (error: NodeJS.ErrnoException) => {
      countRequestFailure('response_error');
      logger.debug({ code: error.code }, `response stream failed: ${error.message}`);
    });
  });
  return server;
}
