// The server span service-kit makes (traceUnaryHandler) against the one
// instrumentation-grpc makes, on real grpc-js servers: same name, kind,
// attributes, status and parent; and exactly one per call.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ShopGrpcInstrumentation } from '../src/grpc-instrumentation.ts';
import { OWN_SERVER_SPANS, traceUnaryHandler } from '../src/grpc-server.ts';
import { setActiveSdk } from '../src/state.ts';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const instrumentation = new ShopGrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] });
instrumentation.setTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);
// traceUnaryHandler is a no-op unless the preload started an SDK.
setActiveSdk({} as NodeSDK);

// Required after the instrumentation is enabled, so its require hook patches grpc-js.
const grpc = createRequire(import.meta.url)('@grpc/grpc-js') as typeof import('@grpc/grpc-js');

const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()),
};
const definition = {
  echo: {
    path: '/test.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
} as const;
type Call = import('@grpc/grpc-js').ServerUnaryCall<{ fail?: boolean }, unknown>;
const echo = (call: Call, callback: import('@grpc/grpc-js').sendUnaryData<unknown>) =>
  call.request.fail
    ? callback({ code: grpc.status.NOT_FOUND, name: 'NotFound', message: 'no such thing' } as never, null)
    : callback(null, { ok: true });

const servers: import('@grpc/grpc-js').Server[] = [];
async function serve(own: boolean, wrapped: boolean): Promise<string> {
  const server = new grpc.Server();
  if (own) (server as unknown as Record<symbol, boolean>)[OWN_SERVER_SPANS] = true;
  server.addService(definition, { echo: wrapped ? traceUnaryHandler(definition.echo.path, echo) : echo });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  servers.push(server);
  return `127.0.0.1:${port}`;
}

const Client = grpc.makeGenericClientConstructor(definition, 'Echo');
const clients: InstanceType<typeof Client>[] = [];

/** One call inside a parent span; the server spans it produced. */
async function serverSpans(
  address: string,
  fail: boolean,
): Promise<{ spans: ReadableSpan[]; parentId: string }> {
  exporter.reset();
  const client = new Client(address, grpc.credentials.createInsecure());
  clients.push(client);
  const parent = provider.getTracer('test').startSpan('parent');
  await new Promise<void>((resolve) =>
    context.with(trace.setSpan(ROOT_CONTEXT, parent), () =>
      (client as unknown as { echo: (r: object, cb: () => void) => void }).echo({ fail }, () => resolve()),
    ),
  );
  parent.end();
  const spans = exporter.getFinishedSpans().filter((s) => s.kind === 1 /* SERVER */);
  return { spans, parentId: parent.spanContext().spanId };
}

/** What a query or a dashboard can see of a server span. */
const shape = (span: ReadableSpan) => ({
  name: span.name,
  kind: span.kind,
  attributes: span.attributes,
  status: span.status,
  scope: span.instrumentationScope.name,
});

let byInstrumentation = '';
let byServiceKit = '';
before(async () => {
  byInstrumentation = await serve(false, false);
  byServiceKit = await serve(true, true);
});
after(() => {
  for (const client of clients) client.close();
  for (const server of servers) server.forceShutdown();
  instrumentation.disable();
});

test('the service-kit server span equals the instrumentation one, success and failure', async () => {
  for (const fail of [false, true]) {
    const theirs = await serverSpans(byInstrumentation, fail);
    const ours = await serverSpans(byServiceKit, fail);
    assert.equal(theirs.spans.length, 1, 'instrumented server: one span');
    assert.equal(ours.spans.length, 1, 'own-span server: one span');
    const [t, o] = [theirs.spans[0] as ReadableSpan, ours.spans[0] as ReadableSpan];
    assert.deepEqual(shape(o), shape(t));
    assert.equal(t.name, 'grpc.test.Echo/Echo');
    assert.equal(o.attributes['rpc.grpc.status_code'], fail ? grpc.status.NOT_FOUND : 0);
    // Each joins the caller's trace under the client span (propagated in the metadata).
    assert.equal(
      o.spanContext().traceId,
      exporter
        .getFinishedSpans()
        .find((s) => s.name === 'parent')
        ?.spanContext().traceId,
    );
    assert.notEqual(o.parentSpanContext?.spanId, undefined);
    assert.notEqual(o.parentSpanContext?.spanId, ours.parentId, 'parent is the client span, not the caller');
  }
});

test('a marked server is left to its own spans (negative control: marked but unwrapped has none)', async () => {
  const bare = await serve(true, false);
  assert.equal((await serverSpans(bare, false)).spans.length, 0);
  // Unmarked and wrapped: both make one, the double the marker exists to prevent.
  const twice = await serve(false, true);
  assert.equal((await serverSpans(twice, false)).spans.length, 2);
});

test('without an SDK the handler is returned as is', () => {
  setActiveSdk(undefined as unknown as NodeSDK);
  try {
    assert.equal(traceUnaryHandler('/a.B/C', echo), echo);
  } finally {
    setActiveSdk({} as NodeSDK);
  }
});
