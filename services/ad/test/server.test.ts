import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FLAG, InMemoryProvider, OpenFeature } from '@astroshop/flags';
import type { AdRequest, AdResponse } from '@astroshop/proto';
import { createLogger, GrpcStatus } from '@astroshop/service-kit';
import { ATTR, BAGGAGE, shopBaggageSpanProcessor } from '@astroshop/telemetry';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { CpuBurner } from '../src/cpu-burner.ts';
import { GcStorm } from '../src/gc-storm.ts';
import { adService } from '../src/server.ts';

process.env.LOG_LEVEL = 'silent';

type Outcome = { response?: AdResponse; error?: { code: number; details: string }; span: ReadableSpan };
type Variants = Record<string, boolean | ((ctx: { targetingKey?: string }) => boolean)>;

const exporter = new InMemorySpanExporter();
// The shop's baggage processor, as the preload installs it: it puts session.id / enduser.id on the span.
const provider = new TracerProvider({
  spanProcessors: [shopBaggageSpanProcessor(), new SimpleSpanProcessor({ exporter })],
});
const contextManager = new AsyncLocalStorageContextManager();

async function setFlags(values: Variants) {
  const config = Object.fromEntries(
    [FLAG.adFailure, FLAG.adHighCpu, FLAG.adManualGc].map((key) => {
      const value = values[key] ?? false;
      return [
        key,
        {
          variants: { on: true, off: false },
          defaultVariant: value === true ? 'on' : 'off',
          disabled: false,
          ...(typeof value === 'function'
            ? { contextEvaluator: (ctx: { targetingKey?: string }) => (value(ctx) ? 'on' : 'off') }
            : {}),
        },
      ];
    }),
  );
  await OpenFeature.setProviderAndWait(new InMemoryProvider(config));
}

function harness(random: () => number = () => 0.5) {
  const cpuBurner = new CpuBurner(1);
  const gcStorm = new GcStorm({ rounds: 2, objectsPerRound: 1000 });
  const { implementation } = adService({ logger: createLogger('ad-test'), cpuBurner, gcStorm, random });
  const getAds = implementation.getAds as (
    call: { request: AdRequest; getPath: () => string; getDeadline: () => number },
    callback: (error: Outcome['error'] | null, response?: AdResponse) => void,
  ) => void;

  /** Calls GetAds the way the gRPC instrumentation would: inside a server span, with baggage. */
  async function call(contextKeys: string[], baggage: Record<string, string> = {}): Promise<Outcome> {
    const bag = propagation.createBaggage(
      Object.fromEntries(Object.entries(baggage).map(([k, v]) => [k, { value: v }])),
    );
    // Started inside the extracted baggage, as the gRPC instrumentation starts its server span.
    const withBaggage = propagation.setBaggage(context.active(), bag);
    const span = provider.getTracer('test').startSpan('oteldemo.AdService/GetAds', {}, withBaggage);
    const ctx = trace.setSpan(withBaggage, span);
    const result = await new Promise<Omit<Outcome, 'span'>>((resolve) =>
      context.with(ctx, () =>
        getAds(
          {
            request: { contextKeys },
            getPath: () => '/oteldemo.AdService/GetAds',
            // No caller deadline (service-kit reads it to bound the handler).
            getDeadline: () => Number.POSITIVE_INFINITY,
          },
          (error, response) => resolve(error ? { error } : { response: response as AdResponse }),
        ),
      ),
    );
    span.end();
    await provider.forceFlush();
    return { ...result, span: exporter.getFinishedSpans().at(-1) as ReadableSpan };
  }
  return { call, cpuBurner, gcStorm };
}

describe('GetAds', () => {
  before(() => context.setGlobalContextManager(contextManager.enable()));
  after(async () => {
    await OpenFeature.close();
    context.disable();
  });

  test('targeted request: ads for the keys, span attributes, baggage on the span', async () => {
    await setFlags({});
    const { call } = harness();
    const { response, span } = await call(['telescopes', 'travel'], {
      [BAGGAGE.sessionId]: 'session-1',
      [BAGGAGE.enduserId]: 'user-9',
    });
    assert.deepEqual(
      response?.ads.map((ad) => ad.redirectUrl),
      ['/product/66VCHSJNUP', '/product/1YMWWN1N4O'],
    );
    assert.deepEqual(
      {
        keys: span.attributes[ATTR.adContextKeys],
        keysCount: span.attributes[ATTR.adContextKeysCount],
        count: span.attributes[ATTR.adCount],
        request: span.attributes[ATTR.adRequestType],
        response: span.attributes[ATTR.adResponseType],
        session: span.attributes[ATTR.sessionId],
        user: span.attributes[ATTR.enduserId],
      },
      {
        keys: '[telescopes, travel]',
        keysCount: 2,
        count: 2,
        request: 'TARGETED',
        response: 'TARGETED',
        session: 'session-1',
        user: 'user-9',
      },
    );
  });

  test('no keys: two random ads, NOT_TARGETED / RANDOM', async () => {
    await setFlags({});
    const { response, span } = await harness().call([]);
    assert.equal(response?.ads.length, 2);
    assert.equal(span.attributes[ATTR.adRequestType], 'NOT_TARGETED');
    assert.equal(span.attributes[ATTR.adResponseType], 'RANDOM');
  });

  test('too many or too long context keys: INVALID_ARGUMENT', async () => {
    await setFlags({});
    const { error } = await harness().call(Array.from({ length: 21 }, (_, i) => `k${i}`));
    assert.equal(error?.code, GrpcStatus.INVALID_ARGUMENT);
    assert.match(error?.details ?? '', /too many context_keys/);
  });

  test('adFailure: the unlucky 10 % get UNAVAILABLE with an Error event and ERROR span', async () => {
    await setFlags({ [FLAG.adFailure]: true });
    const unlucky = await harness(() => 0.05).call(['telescopes']);
    assert.equal(unlucky.error?.code, GrpcStatus.UNAVAILABLE);
    assert.match(unlucky.error?.details ?? '', /GetAds Failed with status UNAVAILABLE/);
    assert.equal(unlucky.span.status.code, 2);
    assert.ok(unlucky.span.events.some((e) => e.name === 'Error'));
    const lucky = await harness(() => 0.5).call(['telescopes']);
    assert.equal(lucky.response?.ads.length, 1);
  });

  test('flags are evaluated with the session id as targeting key', async () => {
    await setFlags({ [FLAG.adFailure]: (ctx) => ctx.targetingKey === 'doomed' });
    const { call } = harness(() => 0);
    assert.equal((await call([], { [BAGGAGE.sessionId]: 'doomed' })).error?.code, GrpcStatus.UNAVAILABLE);
    assert.equal((await call([], { [BAGGAGE.sessionId]: 'fine' })).error, undefined);
    assert.equal((await call([])).error, undefined);
  });

  test('adHighCpu: workers start on the next GetAds and stop on the first one after it turns off', async () => {
    const { call, cpuBurner } = harness();
    try {
      await setFlags({ [FLAG.adHighCpu]: true });
      await call([]);
      assert.equal(cpuBurner.running, true);
      await call([]);
      assert.equal(cpuBurner.running, true);
      await setFlags({ [FLAG.adHighCpu]: false });
      await call([]);
      assert.equal(cpuBurner.running, false);
    } finally {
      await cpuBurner.stop();
    }
  });

  test('adManualGc: a GetAds triggers a storm, then none for the next 10 s', async () => {
    await setFlags({ [FLAG.adManualGc]: true });
    const { call, gcStorm } = harness();
    assert.equal(gcStorm.due(), true);
    assert.ok((await call(['travel'])).response);
    assert.equal(gcStorm.due(), false);
  });
});
