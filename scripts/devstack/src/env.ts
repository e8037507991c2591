// Reads the repo's .env (container-style addresses, the single source of truth)
// and .env.native (native-only overrides), then rewrites every container
// hostname to 127.0.0.1: in the native mode every component is a local process.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** Hostnames used in .env; each becomes 127.0.0.1 natively. */
export const CONTAINER_HOSTS = [
  'accounting',
  'ad',
  'astronomy-db',
  'cart',
  'checkout',
  'currency',
  'email',
  'flagd',
  'flagd-ui',
  'fraud-detection',
  'frontend',
  'frontend-proxy',
  'grafana',
  'image-provider',
  'jaeger',
  'kafka',
  'load-generator',
  'opensearch',
  'otel-collector',
  'payment',
  'product-catalog',
  'prometheus',
  'quote',
  'recommendation',
  'shipping',
  'valkey-cart',
] as const;

/**
 * Parses KEY=VALUE lines; `#` comments, blank lines, optional quotes.
 * `${NAME}` and `${NAME:-default}` expand to a key defined earlier (in this
 * file or `defined`), as docker compose reads the same file, so a value such
 * as a password is set once and reused (DB_CONNECTION_STRING).
 */
export function parseEnvFile(text: string, defined: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const expand = (value: string) => expandVars(value, { ...defined, ...out });
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
      value = value.slice(1, -1);
    }
    out[key] = expand(value);
  }
  return out;
}

/** `${NAME}` / `${NAME:-default}` as compose interpolates them (unset or empty -> default or ''). */
export function expandVars(value: string, defined: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_m, name: string, fallback?: string) => {
      const known = defined[name];
      return known !== undefined && known !== '' ? known : (fallback ?? '');
    },
  );
}

const hostAlternatives = [...CONTAINER_HOSTS].sort((a, b) => b.length - a.length).join('|');
// In a URL (after `//` or `@`): host followed by a port, a path or the end.
const urlHost = new RegExp(`(//|@)(${hostAlternatives})(?=$|:|/)`, 'g');
// A bare value: `cart:7070` or `frontend` (but not a path like `flagd/x.json`).
const bareHost = new RegExp(`^(${hostAlternatives})(?=$|:\\d)`);

/** `cart:7070` -> `127.0.0.1:7070`, `http://email:6060` -> `http://127.0.0.1:6060`, ... */
export function toNativeAddress(value: string): string {
  return value.replace(urlHost, (_m, prefix: string) => `${prefix}127.0.0.1`).replace(bareHost, '127.0.0.1');
}

/** The native environment every component gets (before its own additions). */
export function loadNativeEnv(repoRoot: string, runDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of ['.env', '.env.native']) {
    const path = join(repoRoot, file);
    if (!existsSync(path)) continue;
    Object.assign(env, parseEnvFile(readFileSync(path, 'utf8'), env));
  }
  for (const [k, v] of Object.entries(env)) env[k] = toNativeAddress(v);
  // Native-only derived values (absolute paths).
  const flagFile = env.FLAGD_FILE ?? 'flagd/demo.flagd.json';
  env.FLAGD_FILE = isAbsolute(flagFile) ? flagFile : join(repoRoot, flagFile);
  const logsFile = env.OTEL_LOGS_FILE ?? 'logs/otel-logs.jsonl';
  env.OTEL_LOGS_FILE = isAbsolute(logsFile) ? logsFile : join(runDir, logsFile);
  env.ASTROSHOP_RUN_DIR = runDir;
  env.ASTROSHOP_REPO_ROOT = repoRoot;
  return env;
}
