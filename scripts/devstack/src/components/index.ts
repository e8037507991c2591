// The native stack: one Component per process, built from the component files
// (backends.ts, observability.ts, and the Deployable table in shop.ts and
// edge.ts). The supervisor (../supervisor.ts) starts them in dependency order,
// checks their health, restarts them with backoff and enforces memory limits.
import { flagd, kafka, postgres, redis } from './backends.ts';
import { EDGE } from './edge.ts';
import { nodeService } from './node-service.ts';
import { grafana, jaeger, otelCollector, prometheus } from './observability.ts';
import { SHOP } from './shop.ts';
import type { Component, Deployable, Skipped, StackContext } from './types.ts';

export { asPostgresUser, postgresDataDir } from './backends.ts';
export { nativeProbes, nodeService } from './node-service.ts';
export * from './types.ts';

/** Every deployable of ours (one image, compose service and chart component each). */
export const DEPLOYABLES: readonly Deployable[] = [...SHOP, ...EDGE];

const BACKENDS = [postgres, redis, kafka, flagd, jaeger, prometheus, otelCollector, grafana];

export function buildStack(ctx: StackContext): { components: Component[]; skipped: Skipped[] } {
  const built = [...BACKENDS.map((backend) => backend(ctx)), ...DEPLOYABLES.map((d) => nodeService(d, ctx))];
  return {
    components: built.filter((c): c is Component => 'command' in c),
    skipped: built.filter((c): c is Skipped => 'reason' in c),
  };
}
