import type { IncomingHttpHeaders } from 'node:http';

export interface GatewayError {
  status: 502 | 503 | 504 | 404 | 400;
  /** Short reason, e.g. "connection refused". */
  reason: string;
  /** Cluster name, e.g. "image-provider". */
  upstream?: string;
  /** host:port that failed. */
  address?: string;
}

/** Maps a proxy error to the status Envoy would use. */
export function classify(error: unknown, timedOut: boolean): { status: 502 | 504; reason: string } {
  if (timedOut) return { status: 504, reason: 'upstream did not respond in time' };
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return { status: 502, reason: 'connection refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { status: 502, reason: 'upstream host not resolvable' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { status: 502, reason: 'upstream reset the connection' };
    case 'ETIMEDOUT':
    case 'ECONNABORTED':
      return { status: 504, reason: 'upstream connect timed out' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { status: 502, reason: 'upstream unreachable' };
    default:
      return { status: 502, reason: error instanceof Error ? error.message : 'upstream error' };
  }
}

/** Browsers navigating get a page; fetch/XHR/API clients get JSON. */
export function wantsHtml(headers: IncomingHttpHeaders): boolean {
  const accept = headers.accept ?? '';
  if (headers['x-requested-with']) return false;
  return /\btext\/html\b/.test(accept);
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const TITLES: Record<GatewayError['status'], string> = {
  400: 'Bad Request',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function renderError(error: GatewayError, html: boolean): { contentType: string; body: string } {
  const what = error.upstream
    ? `${error.upstream}${error.address ? ` (${error.address})` : ''}: ${error.reason}`
    : error.reason;
  if (!html) {
    return {
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({
        error: `${TITLES[error.status].toLowerCase()}: ${what}`,
        ...(error.upstream ? { upstream: error.upstream } : {}),
        ...(error.address ? { address: error.address } : {}),
      }),
    };
  }
  const title = `${error.status} ${TITLES[error.status]}`;
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b1f3b}
h1{font-size:1.6rem}code{background:#eef;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>${title}</h1>
<p>The frontend proxy could not get an answer from <code>${escapeHtml(error.upstream ?? 'the upstream')}</code>${
    error.address ? ` at <code>${escapeHtml(error.address)}</code>` : ''
  }: ${escapeHtml(error.reason)}.</p>
<p>If the stack was just started, the service may still be coming up; check <code>make status</code>.</p>
</body></html>
`;
  return { contentType: 'text/html; charset=utf-8', body };
}
