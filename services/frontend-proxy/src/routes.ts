// The routing table (spec §5), as data. Order matters: the first matching
// route wins, exactly like Envoy's route list, so `/` must stay last.

export type Match = { path: string } | { prefix: string };

export interface ForwardAction {
  cluster: ClusterName;
  /** Replace the matched prefix with this (Envoy `prefix_rewrite`); absent = path unchanged. */
  prefixRewrite?: string;
  /** Upstream response timeout; 0 = none (long-lived streams such as flagd's event stream). */
  timeoutMs: number;
  websocket?: boolean;
}

export interface RedirectAction {
  redirect: string;
}

export interface Route {
  /** Shows up in access logs, `url.template` and the server span name. */
  name: string;
  match: Match;
  action: ForwardAction | RedirectAction;
}

export type ClusterName =
  | 'otel-collector'
  | 'jaeger'
  | 'grafana'
  | 'image-provider'
  | 'flagd'
  | 'flagd-ui'
  | 'load-generator'
  | 'frontend';

export interface Upstream {
  host: string;
  port: number;
}

export type Clusters = Record<ClusterName, Upstream>;

// Envoy's default route timeout; generous enough for slow checkouts.
const DEFAULT_TIMEOUT_MS = 15_000;

export const ROUTES: readonly Route[] = [
  {
    name: 'otlp-http',
    match: { prefix: '/otlp-http/' },
    action: { cluster: 'otel-collector', prefixRewrite: '/', timeoutMs: DEFAULT_TIMEOUT_MS },
  },
  { name: 'jaeger-redirect', match: { path: '/jaeger' }, action: { redirect: '/jaeger/' } },
  // Jaeger serves its UI and API under /jaeger/ui itself (base_path), so no rewrite.
  {
    name: 'jaeger',
    match: { prefix: '/jaeger/' },
    action: { cluster: 'jaeger', timeoutMs: DEFAULT_TIMEOUT_MS },
  },
  { name: 'grafana-redirect', match: { path: '/grafana' }, action: { redirect: '/grafana/' } },
  {
    name: 'grafana',
    match: { prefix: '/grafana/' },
    // Grafana live uses a websocket under /grafana/api/live.
    action: { cluster: 'grafana', timeoutMs: DEFAULT_TIMEOUT_MS, websocket: true },
  },
  {
    name: 'images',
    match: { prefix: '/images/' },
    action: { cluster: 'image-provider', prefixRewrite: '/', timeoutMs: DEFAULT_TIMEOUT_MS },
  },
  {
    name: 'flagservice',
    match: { prefix: '/flagservice/' },
    action: { cluster: 'flagd', prefixRewrite: '/', timeoutMs: 0 },
  },
  {
    name: 'feature',
    match: { prefix: '/feature' },
    action: { cluster: 'flagd-ui', prefixRewrite: '/', timeoutMs: DEFAULT_TIMEOUT_MS, websocket: true },
  },
  { name: 'loadgen-redirect', match: { path: '/loadgen' }, action: { redirect: '/loadgen/' } },
  {
    name: 'loadgen',
    match: { prefix: '/loadgen/' },
    action: { cluster: 'load-generator', prefixRewrite: '/', timeoutMs: DEFAULT_TIMEOUT_MS, websocket: true },
  },
  {
    name: 'frontend',
    match: { prefix: '/' },
    action: { cluster: 'frontend', timeoutMs: DEFAULT_TIMEOUT_MS },
  },
];

export const isRedirect = (action: Route['action']): action is RedirectAction => 'redirect' in action;

/** Splits a request target into path and query (`?...`, or ''). */
export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q) };
}

/**
 * Resolves `.`/`..` segments and repeated slashes before matching, so that
 * `/images/../feature/x` cannot reach one upstream through another's route.
 * Percent-encoding is left alone: upstreams decode and must defend themselves.
 */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) path = `/${path}`;
  const out: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '..') {
      out.pop();
      if (last) out.push('');
    } else if (segment === '.') {
      if (last) out.push('');
    } else if (segment === '' && !last) {
      // collapse `//`
    } else {
      out.push(segment);
    }
  });
  return `/${out.join('/')}`;
}

export function matches(match: Match, path: string): boolean {
  return 'path' in match ? path === match.path : path.startsWith(match.prefix);
}

export function findRoute(path: string, routes: readonly Route[] = ROUTES): Route | undefined {
  return routes.find((route) => matches(route.match, path));
}

export type Resolution =
  | { kind: 'redirect'; route: Route; location: string }
  | { kind: 'forward'; route: Route; action: ForwardAction; url: string; strippedPrefix: string }
  | { kind: 'none' };

/**
 * What to do with a request target: redirect (query kept), or forward with the
 * rewritten target. `strippedPrefix` is what the upstream must prepend to its
 * own links (sent as `x-forwarded-prefix`).
 */
export function resolve(url: string, routes: readonly Route[] = ROUTES): Resolution {
  const { path: rawPath, query } = splitUrl(url);
  const path = normalizePath(rawPath);
  const route = findRoute(path, routes);
  if (!route) return { kind: 'none' };
  if (isRedirect(route.action)) return { kind: 'redirect', route, location: route.action.redirect + query };
  const action = route.action;
  if (action.prefixRewrite === undefined || !('prefix' in route.match)) {
    return { kind: 'forward', route, action, url: path + query, strippedPrefix: '' };
  }
  const prefix = route.match.prefix;
  // `/feature/x` with prefix `/feature` → `//x` in Envoy; we collapse to `/x`.
  const rest = path.slice(prefix.length);
  const rewritten = `${action.prefixRewrite}${rest}`.replace(/^\/{2,}/, '/');
  const strippedPrefix = prefix.replace(/\/$/, '');
  return { kind: 'forward', route, action, url: rewritten + query, strippedPrefix };
}
