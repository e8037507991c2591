import type { UnaryMethod } from '@astroshop/proto';
import { type Client, credentials, Metadata, type ServiceDefinition, status } from '@grpc/grpc-js';
import { callBudget } from './deadline.ts';
import { type CallTarget, grpcFailure, NeighbourError } from './neighbour-error.ts';
import { withRetries } from './retry.ts';

/** One line of config per neighbour. */
export interface NeighbourConfig {
  /** Its service name, used in every error (`cart`, `product-catalog`). */
  name: string;
  /** `host:port` (a `http://` prefix is tolerated). */
  address: string;
  /** Deadline of one call, retries included; cut to the caller's remaining deadline. */
  timeoutMs: number;
}

// The generated methods are overloaded; inference reads the last overload,
// which is the (request, metadata, options, callback) one.
type RequestOf<M> = M extends UnaryMethod<infer Req, infer _Res> ? Req : never;
type ResponseOf<M> = M extends UnaryMethod<infer _Req, infer Res> ? Res : never;
type UnaryName<C> = {
  [K in keyof C]: C[K] extends UnaryMethod<infer _Req, infer _Res> ? (K extends string ? K : never) : never;
}[keyof C];

export type ClientCtor<C> = (new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options?: Record<string, unknown>,
) => C) & { service: ServiceDefinition };

// One channel per neighbour for the life of the process. Reconnect quickly
// after a neighbour restarts (grpc-js backs off up to 120 s by default).
// Keep-alive pings find a dead peer (a pod gone without a FIN); 5 min is the
// most frequent rate grpc servers accept by default without GOAWAY.
const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2000,
  'grpc.keepalive_time_ms': 300_000,
  'grpc.keepalive_timeout_ms': 20_000,
};

export interface GrpcNeighbour<C> {
  /**
   * A promise-returning call of `method`. `idempotent` (reads) lets an
   * UNAVAILABLE answer be retried within the deadline; writes never are.
   */
  unary<K extends UnaryName<C>>(
    method: K,
    options: { idempotent: boolean },
  ): (request: RequestOf<C[K]>) => Promise<ResponseOf<C[K]>>;
  /** A failure naming this neighbour and `method`, for an answer the caller cannot use (its fault: 502). */
  badAnswer(method: UnaryName<C>, detail: string): NeighbourError;
  close(): Promise<void>;
}

/**
 * A gRPC neighbour: deadline from config (never past the inbound call's),
 * failures as NeighbourError naming it and the method, bounded retries of
 * idempotent calls. Spans and metrics come from the gRPC instrumentation.
 */
export function grpcNeighbour<C extends Client>(
  Ctor: ClientCtor<C>,
  config: NeighbourConfig,
): GrpcNeighbour<C> {
  const address = config.address.replace(/^https?:\/\//, '');
  const client = new Ctor(address, credentials.createInsecure(), CHANNEL_OPTIONS);
  const targetOf = (method: string): CallTarget => {
    const definition = Ctor.service[method];
    if (!definition) throw new Error(`${config.name}: no method ${method} in the service definition`);
    // '/oteldemo.CartService/GetCart' → 'CartService.GetCart'
    const step = definition.path.replace(/^\/(?:.*\.)?([^./]+)\/([^/]+)$/, '$1.$2');
    return { neighbour: config.name, step, address };
  };
  return {
    unary(method, { idempotent }) {
      const target = targetOf(method);
      const call = client[method] as unknown as UnaryMethod<
        RequestOf<C[typeof method]>,
        ResponseOf<C[typeof method]>
      >;
      return (request) => {
        const budget = callBudget(config.timeoutMs);
        return withRetries(idempotent, budget, () =>
          new Promise<ResponseOf<C[typeof method]>>((resolve, reject) => {
            call.call(client, request, new Metadata(), { deadline: budget.at }, (error, response) =>
              error ? reject(error) : resolve(response),
            );
          }).catch((error: unknown) => {
            throw grpcFailure(target, error, budget);
          }),
        );
      };
    },
    badAnswer: (method, detail) => new NeighbourError(targetOf(method), status.INTERNAL, detail),
    close: async () => client.close(),
  };
}
