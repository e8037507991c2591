import { isIP } from 'node:net';

// The load generator only ever drives the configured shop. A typo in
// LOADGEN_TARGET_URL must not turn it into a traffic cannon against someone
// else's host, so anything that is not loopback needs an explicit opt-in.

export class TargetError extends Error {
  override name = 'TargetError';
}

/** True for localhost names, 127.0.0.0/8 and ::1 (including the IPv4-mapped form). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    return mapped ? (mapped[1] ?? '').startsWith('127.') : false;
  }
  return false;
}

/**
 * Validates the target and returns it normalised (no trailing slash, no path
 * beyond the base, no credentials).
 */
export function checkTarget(raw: string, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetError(`LOADGEN_TARGET_URL is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetError(`LOADGEN_TARGET_URL must be http(s), got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new TargetError('LOADGEN_TARGET_URL must not carry credentials');
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new TargetError(
      `refusing to send load to ${url.host}: it is not a loopback address. ` +
        'Set LOADGEN_ALLOW_REMOTE=true if you really mean to load-test that host.',
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  url.hash = '';
  return url;
}
