// node:http glue for /api/*: match, enforce methods (405 + Allow), read and
// parse the body once, name the server span after the route, write JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@astroshop/service-kit';
import { ATTR, BAGGAGE, baggageValue, recordError } from '@astroshop/telemetry';
import { trace } from '@opentelemetry/api';
import { errorAnswer, HttpError } from './errors.ts';
import type { Gateways } from './gateways.ts';
import type { ApiRequest, ApiResult, Route } from './handlers.ts';

export const MAX_BODY_BYTES = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES)
        throw new HttpError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // The client went away (or sent a broken chunked body) mid-upload: its fault, not ours.
    throw new HttpError(400, `request body could not be read: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): () => unknown {
  let parsed: { value: unknown } | undefined;
  return () => {
    if (parsed) return parsed.value;
    if (text.trim() === '') {
      parsed = { value: undefined };
      return undefined;
    }
    try {
      parsed = { value: JSON.parse(text) };
    } catch (error) {
      throw new HttpError(400, `malformed JSON body: ${(error as Error).message}`);
    }
    return parsed.value;
  };
}

export interface Dispatch {
  route: Route | undefined;
  params: Record<string, string>;
}

export function matchRoute(routes: Route[], pathname: string): Dispatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      const raw = match[i + 1] ?? '';
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        // A truncated escape (`%E0%A4%A`) is the client's mistake, not a 500.
        throw new HttpError(
          400,
          `${name} is not valid percent-encoding: ${JSON.stringify(raw.slice(0, 80))}`,
        );
      }
    });
    return { route, params };
  }
  return { route: undefined, params: {} };
}

/** Runs one API call through routing, method check and error mapping (no sockets involved). */
export async function runApi(
  routes: Route[],
  gateways: Gateways,
  input: { method: string; url: URL; readBody: () => Promise<string> },
): Promise<ApiResult & { template?: string; serverFault?: boolean; error?: unknown }> {
  let route: Route | undefined;
  try {
    const dispatch = matchRoute(routes, input.url.pathname);
    route = dispatch.route;
    const { params } = dispatch;
    if (!route) throw new HttpError(404, `no API route for ${input.method} ${input.url.pathname}`);
    const method = input.method.toUpperCase() as keyof Route['methods'];
    const handler = route.methods[method];
    if (!handler) {
      const allow = Object.keys(route.methods).join(', ');
      throw new HttpError(405, `method ${input.method} not allowed on ${route.template}; use ${allow}`, {
        Allow: allow,
      });
    }
    const body = method === 'GET' ? () => undefined : parseJson(await input.readBody());
    const request: ApiRequest = { method, query: input.url.searchParams, params, body };
    return { ...(await handler(request, gateways)), template: route.template };
  } catch (error) {
    const answer = errorAnswer(error);
    return {
      status: answer.status,
      body: answer.body,
      headers: answer.headers,
      serverFault: answer.serverFault,
      error,
      ...(route ? { template: route.template } : {}),
    };
  }
}

export function apiHandler(routes: Route[], gateways: Gateways, logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const span = trace.getActiveSpan();
    const result = await runApi(routes, gateways, {
      method: req.method ?? 'GET',
      url,
      readBody: () => readBody(req),
    });
    if (span) {
      if (result.template) {
        span.updateName(`${req.method} ${result.template}`);
        span.setAttribute(ATTR.httpRoute, result.template);
      }
      // session.id / enduser.id from baggage are set by the telemetry package's
      // baggage span processor; a caller without baggage may name its session in the query.
      const querySession = url.searchParams.get('sessionId');
      if (querySession && !baggageValue(BAGGAGE.sessionId)) span.setAttribute(ATTR.sessionId, querySession);
      span.setAttribute(
        ATTR.syntheticRequest,
        baggageValue(BAGGAGE.syntheticRequest) === 'true' ? 'true' : 'false',
      );
      if (result.serverFault) recordError(span, result.error);
    }
    if (result.serverFault) {
      logger.error({ err: result.error, url: url.pathname, status: result.status }, 'API call failed');
    } else if (result.status >= 400) {
      logger.warn({ url: url.pathname, status: result.status, error: result.body }, 'API call rejected');
    }
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...result.headers };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers).end();
      return;
    }
    const payload = JSON.stringify(result.body);
    res
      .writeHead(result.status, {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(payload),
      })
      .end(payload);
  };
}
