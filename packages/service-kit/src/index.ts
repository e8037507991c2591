// Service defaults, one import per service: typed config, logs, gRPC/HTTP
// servers with health, error mapping and graceful shutdown.
export {
  type AdminPolicy,
  type AdminVerdict,
  adminEnv,
  checkAdminRequest,
  guardAdminRoutes,
} from './admin.ts';
export {
  type CallBudget,
  type ClientCtor,
  callBudget,
  codeForGrpc,
  codeForHttp,
  type GrpcNeighbour,
  grpcNeighbour,
  type HttpNeighbour,
  httpNeighbour,
  MAX_ATTEMPTS,
  type NeighbourConfig,
  NeighbourError,
  withCallerDeadline,
} from './clients/index.ts';
export { ConfigError, grpcAddress, httpAddress, listenHost, parseConfig, port } from './config.ts';
export {
  failedPrecondition,
  GrpcStatus,
  httpStatusOf,
  internal,
  invalidArgument,
  isGrpcCallError,
  notFound,
  StatusError,
  statusOf,
  unavailable,
} from './errors.ts';
export {
  type GrpcServerHandle,
  type GrpcService,
  Health,
  LIVENESS,
  startGrpcServer,
  unary,
} from './grpc.ts';
export {
  clientErrorHandler,
  countRequestFailure,
  endSocket,
  guardHttpServer,
  isRequestScoped,
  type RequestFailureKind,
} from './guard.ts';
export { startHealthEndpoint } from './health-endpoint.ts';
export { type HealthProbe, type HealthProbeOptions, startHealthProbe } from './health-probe.ts';
export { createHttpApp, type FastifyInstance, listenHttp } from './http.ts';
export { MAX_PRODUCT_ID_LENGTH, requireProductId } from './ids.ts';
export { type Drainable, escapedErrorHandler, installShutdown } from './lifecycle.ts';
export { createLogger, type Logger } from './logger.ts';
export { runService } from './run.ts';
export { sleep } from './sleep.ts';
export { parseRequest } from './validate.ts';
