// Outbound calls to neighbours: one deadline policy, one status mapping, one
// error shape, one retry rule, for gRPC and HTTP JSON alike.
export { type CallBudget, callBudget, withCallerDeadline } from './deadline.ts';
export {
  type ClientCtor,
  type GrpcNeighbour,
  grpcNeighbour,
  type NeighbourConfig,
} from './grpc-neighbour.ts';
export { type HttpNeighbour, httpNeighbour } from './http-neighbour.ts';
export { type CallTarget, codeForGrpc, codeForHttp, NeighbourError } from './neighbour-error.ts';
export { MAX_ATTEMPTS } from './retry.ts';
