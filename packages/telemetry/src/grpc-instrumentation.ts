// @opentelemetry/instrumentation-grpc for the preload, minus the server spans
// of servers that make their own (grpc-server.ts). Kept apart from
// grpc-server.ts so the application's bundle does not load the instrumentation.
import type { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation, type GrpcInstrumentationConfig } from '@opentelemetry/instrumentation-grpc';
import { OWN_SERVER_SPANS } from './grpc-server.ts';

type Register = (this: object, ...args: unknown[]) => unknown;
interface GrpcExports {
  Server: { prototype: { register: Register } };
}

/**
 * instrumentation-grpc, except for servers marked with OWN_SERVER_SPANS: their
 * handlers register unpatched. Client calls and any other server (the devstack's
 * flagd stand-in) are traced by the instrumentation as before.
 */
export class ShopGrpcInstrumentation extends GrpcInstrumentation {
  constructor(config?: GrpcInstrumentationConfig) {
    super(config);
  }

  override init(): InstrumentationNodeModuleDefinition[] {
    return super.init().map((definition) => {
      const { patch, unpatch } = definition;
      if (definition.name !== '@grpc/grpc-js' || !patch || !unpatch) return definition;
      let traced: Register | undefined;
      definition.patch = (exports: GrpcExports, version?: string) => {
        const proto = exports.Server.prototype;
        const plain = proto.register;
        const result = patch(exports, version);
        const patched = proto.register;
        traced = patched;
        proto.register = function register(this: object, ...args: unknown[]) {
          const own = (this as { [OWN_SERVER_SPANS]?: boolean })[OWN_SERVER_SPANS] === true;
          return (own ? plain : patched).apply(this, args);
        };
        return result;
      };
      definition.unpatch = (exports: GrpcExports, version?: string) => {
        // The instrumentation unwraps its own wrapper, so put it back first.
        if (traced) exports.Server.prototype.register = traced;
        unpatch(exports, version);
      };
      return definition;
    });
  }
}
