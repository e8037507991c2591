import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { SpanEventHook } from '@openfeature/open-telemetry-hooks';
import type { EvaluationContext, Provider } from '@openfeature/server-sdk';
import { type Attributes, type Context, context, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { CachedBooleanFlag, FLAG, InMemoryProvider, OpenFeature } from '../src/index.ts';

const KEY = FLAG.productCatalogFailure;

/** The flag on for one product id only, as flagd/demo.flagd.json targets it. */
const targeting = (defaultVariant: 'on' | 'off') => ({
  [KEY]: {
    variants: { on: true, off: false },
    defaultVariant,
    disabled: false,
    contextEvaluator: (ctx: EvaluationContext) =>
      ctx.product_id === 'OLJCESPC7Z' ? defaultVariant : ('off' as const),
  },
});

/** InMemoryProvider that counts the evaluations OpenFeature asks it for. */
class CountingProvider extends InMemoryProvider {
  evaluations = 0;
  override resolveBooleanEvaluation(...args: Parameters<InMemoryProvider['resolveBooleanEvaluation']>) {
    this.evaluations++;
    return super.resolveBooleanEvaluation(...args);
  }
}

/** A span that keeps its events, made the active span for the whole test. */
const events: { name: string; attributes?: Attributes }[] = [];
const span = {
  addEvent: (name: string, attributes?: Attributes) => events.push({ name, attributes }),
  spanContext: () => ({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 }),
} as unknown as Span;
const withSpan = trace.setSpan(ROOT_CONTEXT, span);
context.setGlobalContextManager({
  active: () => withSpan,
  with: <A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    _c: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ) => fn.call(thisArg, ...args),
  bind: <T>(_c: Context, target: T) => target,
  enable() {
    return this;
  },
  disable() {
    return this;
  },
});
OpenFeature.addHooks(new SpanEventHook());

let provider: CountingProvider;
beforeEach(async () => {
  events.length = 0;
  provider = new CountingProvider(targeting('off'));
  await OpenFeature.setProviderAndWait(provider);
});
afterEach(() => OpenFeature.clearProviders());

const ctx = (id: string) => ({ product_id: id });

test('answers per context as the provider evaluates it, and each context once until the TTL', async () => {
  await provider.putConfiguration(targeting('on'));
  await tick();
  const flag = new CachedBooleanFlag(KEY, false, { ttlMs: 1000 });
  assert.equal(await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 0), true);
  assert.equal(await flag.value('66VCHSJNUP', ctx('66VCHSJNUP'), 0), false);
  assert.equal(provider.evaluations, 2);
  assert.equal(await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 999), true);
  assert.equal(await flag.value('66VCHSJNUP', ctx('66VCHSJNUP'), 999), false);
  assert.equal(provider.evaluations, 2, 'answered from memory');
  // Negative control: past the TTL the provider is asked again.
  assert.equal(await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 1000), true);
  assert.equal(provider.evaluations, 3);
});

test('a flag change reported by the provider takes effect on the next call', async () => {
  const flag = new CachedBooleanFlag(KEY, false, { ttlMs: 60_000 });
  assert.equal(await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 0), false);
  assert.equal(await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 1), false);
  assert.equal(provider.evaluations, 1);
  provider.putConfiguration(targeting('on'));
  await tick();
  assert.equal(await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 2), true, 'flipped on');
  assert.equal(await flag.value('66VCHSJNUP', ctx('66VCHSJNUP'), 2), false, 'other products unaffected');
  provider.putConfiguration(targeting('off'));
  await tick();
  assert.equal(await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 3), false, 'flipped back');
});

test('a call answered from memory gets the same span event as an evaluated one', async () => {
  const flag = new CachedBooleanFlag(KEY, false);
  await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 0);
  await flag.value('OLJCESPC7Z', ctx('OLJCESPC7Z'), 1);
  assert.equal(provider.evaluations, 1);
  assert.equal(events.length, 2, JSON.stringify(events));
  const [evaluated, cached] = events;
  assert.equal(evaluated?.name, 'feature_flag.evaluation');
  assert.equal(evaluated?.attributes?.['feature_flag.key'], KEY);
  assert.equal(evaluated?.attributes?.['feature_flag.result.variant'], 'off');
  assert.deepEqual(cached, evaluated);
});

test('the cache holds at most maxEntries contexts', async () => {
  const flag = new CachedBooleanFlag(KEY, false, { maxEntries: 2 });
  for (const id of ['A', 'B', 'C', 'A']) await flag.value(id, ctx(id), 0);
  // A, B cached; C starts the cache over; A is evaluated again.
  assert.equal(provider.evaluations, 4);
  await flag.value('C', ctx('C'), 0);
  assert.equal(provider.evaluations, 4, 'C and A kept after the restart');
});

test('an evaluation that never answers yields the default and is not cached', async () => {
  let asked = 0;
  const silent: Provider = {
    metadata: { name: 'silent' },
    runsOn: 'server',
    resolveBooleanEvaluation: () => {
      asked++;
      return new Promise(() => {});
    },
    resolveNumberEvaluation: () => new Promise(() => {}),
    resolveStringEvaluation: () => new Promise(() => {}),
    resolveObjectEvaluation: () => new Promise(() => {}),
  };
  await OpenFeature.setProviderAndWait(silent);
  const flag = new CachedBooleanFlag(KEY, true);
  assert.equal(await flag.value('X', ctx('X'), 0), true);
  assert.equal(await flag.value('X', ctx('X'), 1), true);
  assert.equal(asked, 2, 'asked again: a timeout is not an answer');
});
