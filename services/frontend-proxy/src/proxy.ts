import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  countRequestFailure,
  endSocket,
  guardHttpServer,
  isRequestScoped,
  type Logger,
} from '@astroshop/service-kit';
import { context, trace } from '@opentelemetry/api';
import { createProxyServer } from 'http-proxy-3';
import { classify, type GatewayError, renderError, wantsHtml } from './error-page.ts';
import { FAULT_DELAY_HEADER, FaultInjector, type FaultOptions } from './fault.ts';
import { type Clusters, type ForwardAction, ROUTES, type Route, resolve } from './routes.ts';

/**
 * Readiness (503 while draining), on the path every HTTP service of the shop
 * uses; `/readyz` is its alias, as in service-kit. The proxy answers these
 * itself, so the frontend's own probes are reached on the frontend's port.
 */
export const HEALTH_PATH = '/health';
const READINESS_PATHS = new Set([HEALTH_PATH, '/readyz']);
/** Liveness: 200 while the process answers, draining or not. */
export const LIVENESS_PATH = '/livez';

export interface ProxyOptions {
  clusters: Clusters;
  logger: Logger;
  routes?: readonly Route[];
  faults?: FaultOptions;
  /** Bound on a TCP connect to an upstream. */
  connectTimeoutMs?: number;
  /** Overrides every route's response timeout (tests). */
  timeoutOverrideMs?: number;
}

export interface ProxyHandle {
  server: http.Server;
  faults: FaultInjector;
  listen(host: string, port: number): Promise<number>;
  /** Stop accepting, let in-flight requests finish (bounded), then cut the rest. */
  close(graceMs?: number): Promise<void>;
}

interface RequestState {
  route?: Route;
  upstream?: string;
  address?: string;
  faultDelayMs: number;
  timedOut: boolean;
}

/** The path of a request target, without its query string. */
const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? '';

/** A complete HTTP/1.1 answer for a raw (upgrade) socket, closing it. */
const rawResponse = (status: string, reason: string) =>
  `HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`;

const patternOf = (route: Route) => ('path' in route.match ? route.match.path : `${route.match.prefix}*`);

export function createFrontendProxy(options: ProxyOptions): ProxyHandle {
  const { clusters, logger } = options;
  const routes = options.routes ?? ROUTES;
  const faults = new FaultInjector(options.faults ?? { maxActive: 100, maxDelayMs: 30_000 });
  const states = new WeakMap<IncomingMessage, RequestState>();
  const upgraded = new Set<Duplex>();
  let draining = false;

  // Keep-alive to upstreams: the proxy sits on every request of the shop.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const proxy = createProxyServer({
    agent,
    xfwd: true,
    ws: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
  });

  proxy.on('proxyReq', (proxyReq, req) => {
    // http-proxy-3 destroys the request on proxyTimeout; remember why, so the
    // resulting "socket hang up" becomes a 504 rather than a 502.
    proxyReq.once('timeout', () => {
      const state = states.get(req);
      if (state) state.timedOut = true;
    });
  });
  // A client that hangs up mid-response is not a gateway error.
  proxy.on('econnreset', () => undefined);
  // Every proxy.web/ws call passes its own callback, so this only catches what
  // http-proxy-3 emits outside one; without a listener an EventEmitter
  // 'error' would be thrown out of the process.
  proxy.on('error', (error, req, target) => {
    // Mostly a websocket client resetting its (upgraded) socket: its own business.
    if (isRequestScoped(error)) {
      countRequestFailure('socket_error');
      logger.debug({ err: error, url: pathOf(req.url) }, 'client connection reset');
    } else {
      countRequestFailure('handler_error');
      logger.warn({ err: error, url: pathOf(req.url) }, 'proxy error outside a request callback');
    }
    if (target instanceof http.ServerResponse) {
      sendError(req, target, { status: 502, reason: 'proxy error' });
    } else if (target) {
      endSocket(target, rawResponse('502 Bad Gateway', 'proxy error'));
    }
  });

  function sendError(req: IncomingMessage, res: ServerResponse, error: GatewayError): void {
    if (res.headersSent) {
      // Mid-stream failure: the status is gone, only cutting the stream tells the client.
      res.destroy();
      return;
    }
    const { contentType, body } = renderError(error, wantsHtml(req.headers));
    res.writeHead(error.status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  }

  function accessLog(req: IncomingMessage, res: ServerResponse, started: number): void {
    const state = states.get(req);
    const durationMs = Math.round(performance.now() - started);
    logger.info(
      {
        'event.name': 'proxy.access',
        'url.template': state?.route?.name ?? 'none',
        'upstream.cluster': state?.upstream,
        'upstream.host': state?.address,
        'http.request.method': req.method,
        // Path only: a query string may carry what the user typed (an address, an email).
        'url.path': pathOf(req.url),
        'http.response.status_code': res.statusCode,
        'user_agent.original': req.headers['user-agent'],
        'source.address': req.socket.remoteAddress,
        duration_ms: durationMs,
        ...(state?.faultDelayMs ? { fault_delay_ms: state.faultDelayMs } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      `${req.method} ${pathOf(req.url)} ${res.statusCode} ${durationMs}ms ${state?.route?.name ?? '-'}`,
    );
  }

  function upstreamOf(action: ForwardAction) {
    const target = clusters[action.cluster];
    return { target, address: `${target.host}:${target.port}` };
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = req.url ?? '/';
    const path = pathOf(url);
    if (path === LIVENESS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"SERVING"}');
      return;
    }
    if (READINESS_PATHS.has(path)) {
      const body = JSON.stringify({
        status: draining ? 'NOT_SERVING' : 'SERVING',
        activeFaults: faults.active,
      });
      res.writeHead(draining ? 503 : 200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    const state: RequestState = { faultDelayMs: 0, timedOut: false };
    states.set(req, state);
    res.once('close', () => accessLog(req, res, started));

    if (!url.startsWith('/')) {
      sendError(req, res, {
        status: 404,
        reason: `unsupported request target ${JSON.stringify(url.slice(0, 100))}`,
      });
      return;
    }
    // `/\[` is a path to Node's parser but not to a URL parser (`\` reads as
    // `/`, making `[` a host): the upstream request could not even be built.
    if (!URL.canParse(url, 'http://proxy')) {
      sendError(req, res, {
        status: 400,
        reason: `malformed request target ${JSON.stringify(url.slice(0, 100))}`,
      });
      return;
    }
    const resolution = resolve(url, routes);
    if (resolution.kind === 'none') {
      sendError(req, res, { status: 404, reason: `no route for ${pathOf(url)}` });
      return;
    }
    state.route = resolution.route;
    const span = trace.getSpan(context.active());
    span?.updateName(`${req.method} ${patternOf(resolution.route)}`);
    span?.setAttributes({ 'http.route': patternOf(resolution.route), 'url.template': resolution.route.name });

    if (resolution.kind === 'redirect') {
      res.writeHead(301, { location: resolution.location, 'content-length': 0 }).end();
      return;
    }

    // The rewritten target must still parse (`/images/\[` becomes `/\[`).
    if (!URL.canParse(resolution.url, 'http://proxy')) {
      sendError(req, res, {
        status: 400,
        reason: `malformed request target ${JSON.stringify(url.slice(0, 100))}`,
      });
      return;
    }
    const { action } = resolution;
    const { address } = upstreamOf(action);
    state.upstream = action.cluster;
    state.address = address;
    span?.setAttributes({ 'upstream.cluster': action.cluster, 'upstream.host': address });

    const faultHeader = req.headers[FAULT_DELAY_HEADER];
    if (faultHeader !== undefined) {
      delete req.headers[FAULT_DELAY_HEADER];
      const abort = new AbortController();
      const onClose = () => abort.abort();
      res.once('close', onClose);
      state.faultDelayMs = await faults.delay(faultHeader, abort.signal);
      res.off('close', onClose);
      if (state.faultDelayMs) span?.setAttribute('fault.delay_ms', state.faultDelayMs);
      if (abort.signal.aborted) return;
    }

    req.url = resolution.url;
    if (resolution.strippedPrefix) req.headers['x-forwarded-prefix'] = resolution.strippedPrefix;
    const timeout = options.timeoutOverrideMs ?? action.timeoutMs;
    proxy.web(
      req,
      res,
      { target: `http://${address}`, ...(timeout > 0 ? { proxyTimeout: timeout } : {}) },
      (error) => {
        const { status, reason } = classify(error, state.timedOut);
        span?.setAttribute('error.type', (error as { code?: string }).code ?? 'proxy_error');
        logger.warn(
          { err: error, upstream: action.cluster, address, status },
          `upstream ${action.cluster}: ${reason}`,
        );
        sendError(req, res, { status, reason, upstream: action.cluster, address });
      },
    );
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // The socket may already be reset by the client (the guard's listener
    // takes that error); endSocket never throws on a dead one.
    const refuse = (status: string, reason: string) => {
      logger.info({ 'url.path': pathOf(req.url), status }, `websocket refused: ${reason}`);
      endSocket(socket, rawResponse(status, reason));
    };
    if (draining) {
      refuse('503 Service Unavailable', 'draining');
      return;
    }
    const url = req.url ?? '';
    if (!url.startsWith('/')) {
      refuse('400 Bad Request', 'request target must be a path');
      return;
    }
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      refuse('400 Bad Request', 'only websocket upgrades are proxied');
      return;
    }
    const resolution = resolve(url, routes);
    if (resolution.kind !== 'forward' || !resolution.action.websocket) {
      refuse('404 Not Found', 'no websocket route for this path');
      return;
    }
    if (!URL.canParse(resolution.url, 'http://proxy')) {
      refuse('400 Bad Request', 'malformed request target');
      return;
    }
    const { action } = resolution;
    const { address } = upstreamOf(action);
    req.url = resolution.url;
    if (resolution.strippedPrefix) req.headers['x-forwarded-prefix'] = resolution.strippedPrefix;
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    logger.info({ 'url.template': resolution.route.name, 'upstream.host': address }, `websocket ${req.url}`);
    proxy.ws(req, socket as Socket, head, { target: `http://${address}` }, (error) => {
      logger.warn({ err: error, upstream: action.cluster }, `websocket upstream ${action.cluster} failed`);
      refuse('502 Bad Gateway', `${action.cluster} (${address}): ${classify(error, false).reason}`);
    });
  }

  const server = guardHttpServer(
    http.createServer((req, res) => {
      onRequest(req, res).catch((error: unknown) => {
        countRequestFailure('handler_error');
        logger.error({ err: error }, 'proxy handler failed');
        sendError(req, res, { status: 502, reason: 'proxy internal error' });
      });
    }),
    logger,
  );
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      onUpgrade(req, socket, head);
    } catch (error) {
      countRequestFailure('handler_error');
      logger.error({ err: error }, 'websocket upgrade failed');
      endSocket(socket, rawResponse('502 Bad Gateway', 'proxy internal error'));
    }
  });

  return {
    server,
    faults,
    listen: (host, port) =>
      new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolveListen(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: async (graceMs = 8000) => {
      draining = true;
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      // Long-lived streams (flagd events, websockets) never end by themselves.
      const force = setTimeout(() => {
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }, graceMs);
      force.unref();
      for (const socket of upgraded) socket.end();
      await closed;
      clearTimeout(force);
      proxy.close();
      agent.destroy();
    },
  };
}
