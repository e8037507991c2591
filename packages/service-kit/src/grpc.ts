import { activeSpan, METRIC, OWN_SERVER_SPANS, recordError, traceUnaryHandler } from '@astroshop/telemetry';
import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { metrics } from '@opentelemetry/api';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { withCallerDeadline } from './clients/deadline.ts';
import { GrpcStatus, invalidArgument, statusOf } from './errors.ts';
import type { Drainable } from './lifecycle.ts';
import type { Logger } from './logger.ts';

/**
 * The liveness check's service name: SERVING for as long as the process
 * answers, whatever its dependencies do (a restart would not bring Redis back).
 */
export const LIVENESS = 'liveness';

/**
 * The standard grpc.health.v1 service. `""` and each registered service name
 * (e.g. `oteldemo.CartService`) are readiness, and may follow dependencies;
 * `liveness` is always SERVING (probe contract: liveness restarts, readiness
 * only takes the instance out of rotation).
 */
export class Health {
  readonly implementation: HealthImplementation;
  private readonly names: string[];

  constructor(serviceNames: string[]) {
    this.names = ['', ...serviceNames];
    this.implementation = new HealthImplementation({
      ...Object.fromEntries(this.names.map((n) => [n, 'NOT_SERVING'])),
      [LIVENESS]: 'SERVING',
    });
    // What the health endpoint answers, as a metric: alerts such as
    // CartNotReady (failedReadinessProbe) fire on it.
    metrics
      .getMeter('astroshop.health')
      .createObservableGauge(METRIC.serviceServing, {
        // An annotation unit, not '1': exporters would append `_ratio` to the name.
        unit: '{status}',
        description: '1 while the gRPC health service reports SERVING, else 0.',
      })
      .addCallback((result) => result.observe(this.serving ? 1 : 0));
  }

  set(status: ServingStatus): void {
    this.serving = status === 'SERVING';
    for (const name of this.names) this.implementation.setStatus(name, status);
  }

  /** Current overall status; also exported as the gauge `demo.service.serving`. */
  serving = false;

  setServing(serving: boolean): void {
    this.set(serving ? 'SERVING' : 'NOT_SERVING');
  }
}

export interface GrpcService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
  /** Fully qualified name for health checks, e.g. `oteldemo.CartService`. */
  name: string;
}

/** Marks a request whose bytes did not decode; `unary` answers INVALID_ARGUMENT for it. */
const UNDECODABLE = Symbol('undecodable request');

/**
 * The definition with decoders that never throw. grpc-js answers a throwing
 * decoder with INTERNAL ("Error deserializing request"), a server fault for
 * what is the client's garbage; the marker lets `unary` say INVALID_ARGUMENT.
 */
function tolerantDecoding(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      {
        ...method,
        requestDeserialize: (bytes: Buffer) => {
          try {
            return method.requestDeserialize(bytes);
          } catch (error) {
            return { [UNDECODABLE]: error instanceof Error ? error.message : String(error) };
          }
        },
      },
    ]),
  ) as ServiceDefinition;
}

/**
 * The implementation with each unary handler inside its server span
 * (@astroshop/telemetry traceUnaryHandler: the instrumentation's span, at a
 * fraction of its per-call cost). The server is marked so the gRPC
 * instrumentation does not add a second one; the shop's servers have only
 * unary methods (a streaming one would be left untraced, so it is refused).
 */
function tracedImplementation(service: GrpcService): UntypedServiceImplementation {
  const traced: UntypedServiceImplementation = { ...service.implementation };
  for (const [name, method] of Object.entries(service.definition)) {
    if (method.requestStream || method.responseStream)
      throw new Error(`${method.path}: streaming methods are not traced by service-kit`);
    const key = name in traced ? name : method.originalName;
    const handler = key === undefined ? undefined : traced[key];
    if (key !== undefined && handler)
      traced[key] = traceUnaryHandler(method.path, handler as handleUnaryCall<unknown, unknown>);
  }
  return traced;
}

export interface GrpcServerHandle extends Drainable {
  port: number;
  health: Health;
}

export async function startGrpcServer(options: {
  host: string;
  port: number;
  services: GrpcService[];
  logger: Logger;
}): Promise<GrpcServerHandle> {
  const server = new Server({
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    // A client that opens streams and never finishes them cannot pin memory forever.
    'grpc.max_concurrent_streams': 1000,
  });
  (server as { [OWN_SERVER_SPANS]?: boolean })[OWN_SERVER_SPANS] = true;
  for (const service of options.services)
    server.addService(tolerantDecoding(service.definition), tracedImplementation(service));
  const health = new Health(options.services.map((s) => s.name));
  health.implementation.addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  health.setServing(true);
  options.logger.info({ port }, 'gRPC server listening');

  return {
    port,
    health,
    close: () =>
      new Promise<void>((resolve) => {
        health.setServing(false);
        // Let in-flight calls finish; force after 8 s so SIGTERM never hangs.
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 8000);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/**
 * Adapts a promise-returning handler to grpc-js. Thrown StatusErrors become
 * that status with their message; anything else becomes INTERNAL. The server
 * span gets the exception, and the log gets one line per failure.
 */
export function unary<Req, Res>(
  logger: Logger,
  handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => {
        const undecodable = (call.request as { [UNDECODABLE]?: string } | null)?.[UNDECODABLE];
        if (undecodable !== undefined)
          throw invalidArgument(
            `request is not a valid protobuf message for ${call.getPath()}: ${undecodable}`,
          );
        // Outbound calls made for this request stop at its deadline.
        return withCallerDeadline(call.getDeadline(), () => handler(call.request, call));
      })
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          const code = statusOf(error);
          const message = error instanceof Error ? error.message : String(error);
          recordError(activeSpan(), error);
          const serverFault = code === GrpcStatus.INTERNAL || code === GrpcStatus.UNKNOWN;
          // Client mistakes get one short line; server faults get the stack.
          if (serverFault)
            logger.error({ err: error, method: call.getPath(), code: GrpcStatus[code] }, message);
          else logger.warn({ method: call.getPath(), code: GrpcStatus[code] }, message);
          callback({ code, details: message }, null);
        },
      );
  };
}
