import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * Env of an admin surface (flag writes, load-generator control):
 * `ADMIN_TOKEN` — when set, every state-changing request must carry it
 * (`Authorization: Bearer <token>` or `x-admin-token`); `ADMIN_ALLOWED_HOSTS` —
 * extra host names (comma-separated) the shop is reached under, besides
 * localhost, IP literals and single-label service names.
 */
export const adminEnv = z.object({
  ADMIN_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  ADMIN_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
});

export interface AdminPolicy {
  token?: string | undefined;
  allowedHosts?: readonly string[];
}

export interface AdminVerdict {
  status: 401 | 403 | 415;
  error: string;
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** `host[:port]` → lower-case host name without brackets or port. */
function hostnameOf(hostHeader: string): string | undefined {
  const parsed = URL.parse(`http://${hostHeader}`);
  if (!parsed || parsed.username || parsed.pathname !== '/') return undefined;
  return parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * A host the shop itself is reached under: loopback/IP literals, `localhost`
 * (and `*.localhost`), single-label service names (`frontend-proxy`,
 * `flagd-ui`) and the configured names. A DNS-rebinding page always has a
 * dotted public name, so its requests fail here even when the Origin matches.
 */
function shopHost(hostname: string, allowed: readonly string[]): boolean {
  return (
    isIP(hostname) !== 0 ||
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    !hostname.includes('.') ||
    allowed.includes(hostname)
  );
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Why a state-changing request to an admin surface is refused, or undefined
 * when it may proceed. JSON only (a cross-site HTML form can send only
 * form/text bodies, and a JSON one needs a CORS preflight we never grant);
 * Host must be the shop's; Origin, when sent, must be the Host itself (or an
 * allowed host); `Sec-Fetch-Site: cross-site` is refused; the token, when
 * configured, must match.
 */
export function checkAdminRequest(
  headers: Record<string, string | string[] | undefined>,
  policy: AdminPolicy,
): AdminVerdict | undefined {
  const allowed = policy.allowedHosts ?? [];
  const contentType = (header(headers['content-type']) ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json')
    return {
      status: 415,
      error: `content-type must be application/json, got ${JSON.stringify(contentType ?? '')}`,
    };
  const host = header(headers.host) ?? '';
  const hostname = hostnameOf(host);
  if (!hostname || !shopHost(hostname, allowed))
    return {
      status: 403,
      error: `host ${JSON.stringify(host)} is not this shop (set ADMIN_ALLOWED_HOSTS to add one)`,
    };
  const origin = header(headers.origin);
  if (origin !== undefined) {
    const parsed = URL.parse(origin);
    const originHost = parsed?.host.toLowerCase();
    const sameOrigin = originHost !== undefined && originHost === host.toLowerCase();
    if (!sameOrigin && !(parsed && allowed.includes(parsed.hostname.toLowerCase())))
      return { status: 403, error: `origin ${JSON.stringify(origin)} may not change this shop` };
  } else if (header(headers['sec-fetch-site']) === 'cross-site') {
    return { status: 403, error: 'cross-site requests may not change this shop' };
  }
  if (policy.token) {
    const bearer = /^Bearer\s+(.+)$/i.exec(header(headers.authorization) ?? '')?.[1];
    const given = bearer ?? header(headers['x-admin-token']);
    if (!given || !sameToken(given.trim(), policy.token))
      return {
        status: 401,
        error: 'admin token required: send Authorization: Bearer <ADMIN_TOKEN> (or x-admin-token)',
      };
  }
  return undefined;
}

/**
 * Guards every state-changing route (POST/PUT/PATCH/DELETE) of `app` with
 * checkAdminRequest. Runs in `onRequest`, before the body is even read, so a
 * refused request costs nothing and its body is never parsed.
 */
export function guardAdminRoutes(app: FastifyInstance, policy: AdminPolicy): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const verdict = checkAdminRequest(request.headers, policy);
    if (verdict) return reply.code(verdict.status).send({ error: verdict.error });
  });
}
