// A flagd-compatible flag server for the native mode. The real flagd is not
// buildable from the registries reachable here (the Go proxy refuses some of
// its dependencies), so this serves the parts of flagd's API the shop uses,
// evaluating flagd/demo.flagd.json with @openfeature/flagd-core (the same
// JSONLogic evaluator the flagd providers use in-process):
//   :8016  OFREP   POST /ofrep/v1/evaluate/flags/{key}, POST /ofrep/v1/evaluate/flags
//   :8014  mgmt    GET /healthz, GET /readyz
//   :8013  flagd.evaluation.v1.Service, like upstream flagd on one port:
//          - gRPC (HTTP/2), v1 and v2: Resolve{Boolean,String,Int,Float,Object,All} and the
//            EventStream the services' flagd provider (rpc resolver, LRU cache)
//            listens on: provider_ready on connect, configuration_change with
//            the changed flag keys when the file changes, keep_alive.
//          - Connect (HTTP/1.1 + JSON unary): the same Resolve* methods (what the
//            browser web provider calls through the proxy's /flagservice/)
//          A front on the port sniffs the HTTP/2 preface and pipes the connection
//          to a loopback grpc-js server or to the loopback HTTP/1 handler.
// The file is re-read when it changes (polled every second, so atomic renames work).
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type AddressInfo,
  createServer as createNetServer,
  connect as netConnect,
  type Socket,
} from 'node:net';
import { join } from 'node:path';
import { guardHttpServer, HEADERS_TIMEOUT_MS } from '@astroshop/service-kit/guard';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { FlagdCore } from '@openfeature/flagd-core';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Ctx = Record<string, Json>;

const args = process.argv.slice(2);
const uriArg = args[args.indexOf('--uri') + 1] ?? process.env.FLAGD_FILE ?? 'flagd/demo.flagd.json';
const file = uriArg.replace(/^file:/, '');
const port = Number(process.env.FLAGD_PORT ?? 8013);
const mgmtPort = Number(process.env.FLAGD_MANAGEMENT_PORT ?? 8014);
const ofrepPort = Number(process.env.FLAGD_OFREP_PORT ?? 8016);
const host = process.env.FLAGD_BIND ?? '127.0.0.1';
/** Time a client has to send its request headers before a 408 (service-kit's default unless set). */
const headersTimeoutMs = process.env.FLAGD_HEADERS_TIMEOUT_MS
  ? Number(process.env.FLAGD_HEADERS_TIMEOUT_MS)
  : HEADERS_TIMEOUT_MS;
/** How often EventStream subscribers get keep_alive (upstream flagd sends them too). */
const keepAliveMs = Number(process.env.FLAGD_STREAM_KEEPALIVE_MS ?? 20_000);

const core = new FlagdCore();
let loaded = false;
/** The evaluation port accepts connections (gRPC and Connect); part of readiness. */
let serving = false;

function load(): void {
  try {
    const changed = core.setConfigurations(readFileSync(file, 'utf8'));
    const first = !loaded;
    loaded = true;
    // Subscribers drop these keys from their caches (the provider only caches
    // STATIC results, so targeting flags are re-evaluated anyway).
    if (!first && changed.length) broadcast('configuration_change', { flags: flagsObject(changed) });
    log(
      `loaded ${core.getFlags().size} flags from ${file}${changed.length ? ` (changed: ${changed.join(', ')})` : ''}`,
    );
  } catch (err) {
    // Keep serving the last good configuration.
    log(`could not load ${file}: ${(err as Error).message}`);
  }
}

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} flagd: ${msg}\n`);
}

type Kind = 'boolean' | 'string' | 'number' | 'object';

function kindOf(key: string): Kind | null {
  const flag = core.getFlags().get(key);
  if (!flag) return null;
  const variants = flag.variants as Map<string, unknown>;
  const def = flag.defaultVariant;
  const sample = (def !== undefined ? variants.get(def) : undefined) ?? [...variants.values()][0];
  if (typeof sample === 'boolean') return 'boolean';
  if (typeof sample === 'string') return 'string';
  if (typeof sample === 'number') return 'number';
  return 'object';
}

interface Evaluation {
  key: string;
  value: Json;
  reason: string;
  variant?: string;
  metadata: Record<string, Json>;
}

interface RawResult {
  value: unknown;
  reason?: string;
  variant?: string;
  flagMetadata?: unknown;
  errorCode?: string;
  errorMessage?: string;
}

function evaluateRaw(key: string, ctx: Ctx, kind: Kind): RawResult {
  const c = { ...ctx } as never;
  if (kind === 'boolean') return core.resolveBooleanEvaluation(key, false, c);
  if (kind === 'string') return core.resolveStringEvaluation(key, '', c);
  if (kind === 'number') return core.resolveNumberEvaluation(key, 0, c);
  return core.resolveObjectEvaluation(key, {}, c);
}

function evaluate(key: string, ctx: Ctx, kind: Kind | null = kindOf(key)): Evaluation | null {
  if (!kind) return null;
  const r = evaluateRaw(key, ctx, kind);
  return {
    key,
    value: r.value as Json,
    reason: r.reason ?? 'UNKNOWN',
    ...(r.variant !== undefined ? { variant: r.variant } : {}),
    metadata: (r.flagMetadata ?? {}) as Record<string, Json>,
  };
}

/** Flag evaluation bodies are a flag key and a small context. */
const MAX_BODY_BYTES = 64 * 1024;

async function body(req: IncomingMessage): Promise<Record<string, Json>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  const parsed = JSON.parse(text) as Json;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
}

function send(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  // The client may be gone, or an answer already started: nothing left to say.
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...cors,
    ...headers,
  });
  res.end(text);
}

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, connect-protocol-version, traceparent, baggage',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
};

function contextOf(b: Record<string, Json>): Ctx {
  const ctx = b.context;
  return ctx && typeof ctx === 'object' && !Array.isArray(ctx) ? (ctx as Ctx) : {};
}

// ------------------------------------------------------------------ OFREP
const ofrep = createServer(async (req, res) => {
  try {
    if (req.method === 'OPTIONS') return send(res, 204, {});
    const url = new URL(req.url ?? '/', 'http://flagd');
    const single = /^\/ofrep\/v1\/evaluate\/flags\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && single) {
      const key = decodeURIComponent(single[1] as string);
      const b = await body(req);
      const result = evaluate(key, contextOf(b));
      if (!result)
        return send(res, 404, { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag ${key} not found` });
      return send(res, 200, result);
    }
    if (req.method === 'POST' && url.pathname === '/ofrep/v1/evaluate/flags') {
      const b = await body(req);
      const ctx = contextOf(b);
      const flags = [...core.getFlags().keys()].flatMap((k) => {
        const r = evaluate(k, ctx);
        return r ? [r] : [];
      });
      return send(res, 200, { flags });
    }
    send(res, 404, { errorCode: 'NOT_FOUND', errorDetails: `no route ${req.method} ${url.pathname}` });
  } catch (err) {
    send(res, 400, { errorCode: 'PARSE_ERROR', errorDetails: (err as Error).message });
  }
});

// ------------------------------------------------------- Connect (HTTP/JSON)
const connectMethods: Record<string, Kind | 'all'> = {
  ResolveBoolean: 'boolean',
  ResolveString: 'string',
  ResolveInt: 'number',
  ResolveFloat: 'number',
  ResolveObject: 'object',
  ResolveAll: 'all',
};

const evaluation = createServer(async (req, res) => {
  try {
    if (req.method === 'OPTIONS') return send(res, 204, {});
    const url = new URL(req.url ?? '/', 'http://flagd');
    const m = /^\/(?:flagservice\/)?flagd\.evaluation\.v1\.Service\/(\w+)$/.exec(url.pathname);
    const method = m ? connectMethods[m[1] as string] : undefined;
    if (req.method !== 'POST' || !method)
      return send(res, 404, { code: 'unimplemented', message: `no route ${url.pathname}` });
    const b = await body(req);
    const ctx = contextOf(b);
    if (method === 'all') {
      const flags: Record<string, unknown> = {};
      for (const k of core.getFlags().keys()) {
        const r = evaluate(k, ctx);
        if (r) flags[k] = { value: r.value, reason: r.reason, variant: r.variant, metadata: r.metadata };
      }
      return send(res, 200, { flags });
    }
    const key = String(b.flagKey ?? '');
    const kind = kindOf(key);
    if (!kind) return send(res, 404, { code: 'not_found', message: `flag: ${key} not found` });
    if (kind !== method)
      return send(res, 400, { code: 'invalid_argument', message: `flag ${key} is not of type ${method}` });
    const r = evaluate(key, ctx, kind) as Evaluation;
    const value = m?.[1] === 'ResolveInt' ? String(Math.trunc(Number(r.value))) : r.value;
    send(res, 200, { value, reason: r.reason, variant: r.variant, metadata: r.metadata });
  } catch (err) {
    send(res, 400, { code: 'invalid_argument', message: (err as Error).message });
  }
});

// ------------------------------------------------------------------ gRPC
// google.protobuf.Struct/Value as proto-loader hands them over (oneofs: true,
// so `kind` names the set field), to and from plain JSON.
type PValue = {
  kind?: string;
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: PStruct;
  listValue?: { values?: PValue[] };
};
type PStruct = { fields?: Record<string, PValue> };

function toValue(v: Json): PValue {
  if (v === null) return { nullValue: 'NULL_VALUE' };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(toValue) } };
  return { structValue: toStruct(v) };
}

function toStruct(o: Record<string, Json>): PStruct {
  return { fields: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toValue(v)])) };
}

function fromValue(v: PValue | undefined): Json {
  switch (v?.kind) {
    case 'boolValue':
      return Boolean(v.boolValue);
    case 'numberValue':
      return Number(v.numberValue);
    case 'stringValue':
      return String(v.stringValue);
    case 'listValue':
      return (v.listValue?.values ?? []).map(fromValue);
    case 'structValue':
      return fromStruct(v.structValue);
    default:
      return null;
  }
}

function fromStruct(s: PStruct | null | undefined): Record<string, Json> {
  return Object.fromEntries(Object.entries(s?.fields ?? {}).map(([k, v]) => [k, fromValue(v)]));
}

function flagsObject(keys: string[]): Record<string, Json> {
  return Object.fromEntries(keys.map((k) => [k, { type: 'update', flagKey: k }]));
}

const grpcMethods: Record<string, Kind> = {
  ResolveBoolean: 'boolean',
  ResolveString: 'string',
  ResolveInt: 'number',
  ResolveFloat: 'number',
  ResolveObject: 'object',
};

/** flagd-core's error codes as the gRPC statuses flagd answers with (the provider maps them back). */
const statusOf: Record<string, grpc.status> = {
  FLAG_NOT_FOUND: grpc.status.NOT_FOUND,
  TYPE_MISMATCH: grpc.status.INVALID_ARGUMENT,
  PARSE_ERROR: grpc.status.DATA_LOSS,
  INVALID_CONTEXT: grpc.status.INVALID_ARGUMENT,
};

type Call = grpc.ServerUnaryCall<{ flagKey?: string; context?: PStruct }, unknown>;

function resolveHandler(method: string, kind: Kind) {
  return (call: Call, callback: grpc.sendUnaryData<unknown>) => {
    try {
      const key = String(call.request?.flagKey ?? '');
      if (!key) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'flag_key is required' });
      const actual = kindOf(key);
      if (!actual) return callback({ code: grpc.status.NOT_FOUND, details: `flag: ${key} not found` });
      if (actual !== kind)
        return callback({
          code: grpc.status.INVALID_ARGUMENT,
          details: `flag ${key} is of type ${actual}, not ${kind}`,
        });
      const r = evaluateRaw(key, fromStruct(call.request?.context), kind);
      if (r.errorCode)
        return callback({
          code: statusOf[r.errorCode] ?? grpc.status.INTERNAL,
          details: `${r.errorCode}: ${r.errorMessage ?? key}`,
        });
      let value: unknown = r.value;
      if (method === 'ResolveInt') value = String(Math.trunc(Number(r.value)));
      else if (kind === 'object')
        value = toStruct(
          r.value && typeof r.value === 'object' && !Array.isArray(r.value) ? (r.value as Ctx) : {},
        );
      callback(null, {
        value,
        reason: r.reason ?? 'UNKNOWN',
        variant: r.variant ?? '',
        metadata: toStruct((r.flagMetadata ?? {}) as Ctx),
      });
    } catch (err) {
      callback({ code: grpc.status.INTERNAL, details: (err as Error).message });
    }
  };
}

function resolveAll(
  call: grpc.ServerUnaryCall<{ context?: PStruct }, unknown>,
  callback: grpc.sendUnaryData<unknown>,
): void {
  try {
    const ctx = fromStruct(call.request?.context);
    const flags: Record<string, unknown> = {};
    for (const k of core.getFlags().keys()) {
      const r = evaluate(k, ctx);
      if (!r) continue;
      const v = r.value;
      const value =
        typeof v === 'boolean'
          ? { boolValue: v }
          : typeof v === 'string'
            ? { stringValue: v }
            : typeof v === 'number'
              ? { doubleValue: v }
              : { objectValue: toStruct(v && typeof v === 'object' && !Array.isArray(v) ? v : {}) };
      flags[k] = { reason: r.reason, variant: r.variant ?? '', metadata: toStruct(r.metadata), ...value };
    }
    callback(null, { flags });
  } catch (err) {
    callback({ code: grpc.status.INTERNAL, details: (err as Error).message });
  }
}

/** Open EventStream calls; each gets configuration_change and keep_alive. */
const subscribers = new Set<grpc.ServerWritableStream<unknown, unknown>>();

function broadcast(type: string, data: Record<string, Json>): void {
  for (const call of subscribers) {
    try {
      call.write({ type, data: toStruct(data) });
    } catch {
      subscribers.delete(call);
    }
  }
}

function eventStream(call: grpc.ServerWritableStream<unknown, unknown>): void {
  subscribers.add(call);
  const drop = () => subscribers.delete(call);
  call.on('cancelled', drop);
  call.on('error', drop);
  call.on('close', drop);
  call.write({ type: 'provider_ready', data: toStruct({}) });
}

type ServiceDef = { Service: grpc.ServiceClientConstructor };
const protoRoot = join(import.meta.dirname, '../proto');
const proto = grpc.loadPackageDefinition(
  protoLoader.loadSync(['flagd/evaluation/v1/evaluation.proto', 'flagd/evaluation/v2/evaluation.proto'], {
    includeDirs: [protoRoot],
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  }),
) as unknown as { flagd: { evaluation: { v1: ServiceDef; v2: ServiceDef } } };

const resolvers = Object.fromEntries(Object.entries(grpcMethods).map(([m, k]) => [m, resolveHandler(m, k)]));
const grpcServer = new grpc.Server();
// v1 and v2 side by side, as upstream flagd serves them (the Node provider calls v2).
grpcServer.addService(proto.flagd.evaluation.v1.Service.service, {
  ...resolvers,
  ResolveAll: resolveAll,
  EventStream: eventStream,
} as grpc.UntypedServiceImplementation);
grpcServer.addService(proto.flagd.evaluation.v2.Service.service, {
  ...resolvers,
  EventStream: eventStream,
} as grpc.UntypedServiceImplementation);

// ------------------------------------------- one port: gRPC or HTTP/1 by preface
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** A connection that says nothing decidable in this long is dropped. */
const SNIFF_TIMEOUT_MS = 30_000;
const internal = { grpc: 0, http1: 0 };

/** Pipes `socket` (with the bytes already read) to a loopback port; either side closing closes both. */
function pipeTo(socket: Socket, port: number, head: Buffer): void {
  const upstream = netConnect(port, '127.0.0.1');
  // Small request/response frames: without this, Nagle plus delayed ACKs add
  // ~40 ms to every unary evaluation that crosses the pipe.
  socket.setNoDelay(true);
  upstream.setNoDelay(true);
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.write(head);
  socket.pipe(upstream).pipe(socket);
}

const front = createNetServer((socket) => {
  socket.on('error', () => socket.destroy());
  let head = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), SNIFF_TIMEOUT_MS);
  timer.unref();
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const n = Math.min(head.length, PREFACE.length);
    const http2 = head.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (http2 && head.length < PREFACE.length) return; // a prefix of the preface: need more
    clearTimeout(timer);
    socket.off('data', onData);
    socket.pause();
    pipeTo(socket, http2 ? internal.grpc : internal.http1, head);
  };
  socket.on('data', onData);
  socket.on('close', () => clearTimeout(timer));
});
front.on('error', (err) => {
  log(`evaluation port: ${err.message}`);
  process.exit(1);
});

// ------------------------------------------------------------- management
const management = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  // /healthz is liveness (the process answers); /readyz follows the flag file
  // and the evaluation port.
  if (path === '/healthz' || path === '/livez') return send(res, 200, { status: 'ok' });
  if (path === '/readyz')
    return loaded && serving ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'not ready' });
  send(res, 404, {});
});

// No request may stop the flag server (every service reads flags from it): the
// shop's one HTTP guard (error listeners on every connection and stream, 400 /
// 408 / 431 and a close for malformed or slow clients), as every service has.
const quiet = { debug: () => undefined };
for (const server of [ofrep, evaluation, management]) guardHttpServer(server, quiet, { headersTimeoutMs });
load();
watchFile(file, { interval: 1000 }, (cur, prev) => {
  if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size) load();
});
ofrep.listen(ofrepPort, host, () => log(`OFREP on ${host}:${ofrepPort}`));
management.listen(mgmtPort, host, () => log(`management on ${host}:${mgmtPort}`));
// The internal listeners are up before the shared port accepts anything.
evaluation.listen(0, '127.0.0.1', () => {
  internal.http1 = (evaluation.address() as AddressInfo).port;
  grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, grpcPort) => {
    if (err) {
      log(`gRPC: ${err.message}`);
      process.exit(1);
    }
    internal.grpc = grpcPort;
    front.listen(port, host, () => {
      serving = true;
      log(`evaluation (gRPC + Connect JSON) on ${host}:${port}`);
    });
  });
});
setInterval(() => broadcast('keep_alive', {}), keepAliveMs).unref();

const shutdown = () => {
  unwatchFile(file);
  front.close();
  grpcServer.forceShutdown();
  for (const s of [ofrep, evaluation, management]) s.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
