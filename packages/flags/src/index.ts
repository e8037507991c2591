import { FlagdProvider } from '@openfeature/flagd-provider';
import { SpanEventHook } from '@openfeature/open-telemetry-hooks';
import { type EvaluationContext, OpenFeature } from '@openfeature/server-sdk';
import { clampFlag } from './bounds.ts';
import { boundedEvaluation as bounded } from './timeout.ts';

export { clampFlag, NUMBER_FLAG_BOUNDS } from './bounds.ts';
export { CachedBooleanFlag, type CachedFlagOptions } from './cached.ts';
export { FLAG_EVALUATION_TIMEOUT_MS } from './timeout.ts';

/** Every flag of flagd/demo.flagd.json, by key. */
export const FLAG = {
  adFailure: 'adFailure',
  adHighCpu: 'adHighCpu',
  adManualGc: 'adManualGc',
  cartFailure: 'cartFailure',
  emailMemoryLeak: 'emailMemoryLeak',
  failedReadinessProbe: 'failedReadinessProbe',
  imageSlowLoad: 'imageSlowLoad',
  intlShippingSlowdown: 'intlShippingSlowdown',
  kafkaQueueProblems: 'kafkaQueueProblems',
  loadGeneratorFloodHomepage: 'loadGeneratorFloodHomepage',
  loadGeneratorTraffic: 'loadGeneratorTraffic',
  loadGeneratorVUs: 'loadGeneratorVUs',
  paymentFailure: 'paymentFailure',
  paymentUnreachable: 'paymentUnreachable',
  productCatalogFailure: 'productCatalogFailure',
  recommendationCacheFailure: 'recommendationCacheFailure',
} as const;

export type FlagKey = (typeof FLAG)[keyof typeof FLAG];

let started = false;

/**
 * Connects OpenFeature to flagd (FLAGD_HOST/FLAGD_PORT, rpc resolver with a
 * cache invalidated by flagd's change stream). Not awaited on purpose: until
 * flagd answers, evaluations return their defaults, so a missing flagd never
 * blocks start-up or a request; the provider reconnects by itself.
 */
export function startFlags(): void {
  if (started) return;
  started = true;
  OpenFeature.addHooks(new SpanEventHook());
  void OpenFeature.setProviderAndWait(new FlagdProvider({ cache: 'lru' })).catch(() => undefined);
}

export async function closeFlags(): Promise<void> {
  if (!started) return;
  await OpenFeature.close().catch(() => undefined);
}

const client = () => OpenFeature.getClient();

/** Flag value or `fallback`; never throws (evaluation errors mean "use the default"). */
export async function booleanFlag(
  key: FlagKey,
  fallback: boolean,
  ctx?: EvaluationContext,
): Promise<boolean> {
  try {
    return await bounded(client().getBooleanValue(key, fallback, ctx), fallback);
  } catch {
    return fallback;
  }
}

export async function numberFlag(key: FlagKey, fallback: number, ctx?: EvaluationContext): Promise<number> {
  try {
    const value = await bounded(client().getNumberValue(key, fallback, ctx), fallback);
    return Number.isFinite(value) ? clampFlag(key, value) : fallback;
  } catch {
    return fallback;
  }
}

/** For tests: installs an in-memory provider with fixed values. */
export { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
export type { EvaluationContext };
