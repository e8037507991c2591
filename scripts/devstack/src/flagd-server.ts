// A flagd-compatible flag server for the native mode. The real flagd is not
// buildable from the registries reachable here (the Go proxy refuses some of
// its dependencies), so this serves the parts of flagd's API the shop uses,
// evaluating flagd/demo.flagd.json with @openfeature/flagd-core (the same
// JSONLogic evaluator the flagd providers use in-process):
//   :8016  OFREP   POST /ofrep/v1/evaluate/flags/{key}, POST /ofrep/v1/evaluate/flags
//   :8014  mgmt    GET /healthz, GET /readyz
//   :8013  Connect (HTTP/1.1 + JSON unary) flagd.evaluation.v1.Service/Resolve{Boolean,String,Int,Float,Object,All}
//          (what the browser web provider calls through the proxy's /flagservice/)
// Services themselves evaluate in-process from the same file (FLAGD_RESOLVER=in-process).
// The file is re-read when it changes (polled every second, so atomic renames work).
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
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

const core = new FlagdCore();
let loaded = false;

function load(): void {
  try {
    const changed = core.setConfigurations(readFileSync(file, 'utf8'));
    loaded = true;
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

function evaluate(key: string, ctx: Ctx, kind: Kind | null = kindOf(key)): Evaluation | null {
  if (!kind) return null;
  const c = { ...ctx } as never;
  let r: { value: unknown; reason?: string; variant?: string; flagMetadata?: unknown; errorCode?: string };
  if (kind === 'boolean') r = core.resolveBooleanEvaluation(key, false, c);
  else if (kind === 'string') r = core.resolveStringEvaluation(key, '', c);
  else if (kind === 'number') r = core.resolveNumberEvaluation(key, 0, c);
  else r = core.resolveObjectEvaluation(key, {}, c);
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

// ------------------------------------------------------------- management
const management = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  // /healthz is liveness (the process answers); /readyz follows the flag file.
  if (path === '/healthz' || path === '/livez') return send(res, 200, { status: 'ok' });
  if (path === '/readyz')
    return loaded ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'not ready' });
  send(res, 404, {});
});

/**
 * No request may stop the flag server (every service reads flags from it):
 * connection, request and response streams all have error listeners, and a
 * malformed request gets 400 and a close. Same rules as service-kit's
 * guardHttpServer, which this script does not depend on.
 */
function guard(server: Server): void {
  const quiet = () => undefined;
  server.on('connection', (socket: Duplex) => socket.on('error', quiet));
  server.on('clientError', (_error: Error, socket: Duplex) => {
    try {
      if (socket.writable)
        socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
    } catch {
      socket.destroy();
    }
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.on('error', quiet);
    res.on('error', quiet);
  });
}

for (const server of [ofrep, evaluation, management]) guard(server);
load();
watchFile(file, { interval: 1000 }, (cur, prev) => {
  if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size) load();
});
ofrep.listen(ofrepPort, host, () => log(`OFREP on ${host}:${ofrepPort}`));
evaluation.listen(port, host, () => log(`evaluation (Connect JSON) on ${host}:${port}`));
management.listen(mgmtPort, host, () => log(`management on ${host}:${mgmtPort}`));

const shutdown = () => {
  unwatchFile(file);
  for (const s of [ofrep, evaluation, management]) s.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
