// One place for the oteldemo contract: generated messages/services plus small
// helpers every client uses (insecure channel to an "host:port" address,
// promise-returning unary calls with a deadline).
import {
  type CallOptions,
  type ClientUnaryCall,
  credentials,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';

export * from './generated/demo.ts';
export {
  HealthCheckRequest,
  HealthCheckResponse,
  HealthCheckResponse_ServingStatus,
  HealthClient,
  HealthService,
} from './generated/grpc/health/v1/health.ts';
export { toSnakeCaseJson } from './json.ts';

type ClientCtor<C> = new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options?: Record<string, unknown>,
) => C;

/** Creates a client for an `host:port` address (a `http://` prefix is tolerated). */
export function createClient<C>(Ctor: ClientCtor<C>, address: string): C {
  const target = address.replace(/^https?:\/\//, '');
  return new Ctor(target, credentials.createInsecure(), {
    // Reconnect quickly after a neighbour restarts (default backoff tops out at 120 s).
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2000,
  });
}

export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Turns a callback-style unary method into a promise with a deadline. */
export function unary<Req, Res>(
  method: UnaryMethod<Req, Res>,
  self: object,
): (request: Req, options?: { timeoutMs?: number; metadata?: Metadata }) => Promise<Res> {
  return (request, options = {}) =>
    new Promise<Res>((resolve, reject) => {
      const deadline = Date.now() + (options.timeoutMs ?? 5000);
      method.call(self, request, options.metadata ?? new Metadata(), { deadline }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
}
