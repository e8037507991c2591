// Which Jaeger the native stack runs. Its UI is embedded only in official
// release binaries; the one scripts/tools.sh builds from the Go module proxy
// serves a placeholder page instead.
import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Tools } from './components/index.ts';

/**
 * Jaeger's UI is embedded only in official release binaries; the one we build
 * from the Go module proxy serves a placeholder page. So, like Grafana: the
 * user's release binary (JAEGER_BIN, else `jaeger` on PATH) when there is one,
 * else our build.
 */
export function resolveJaeger(
  env: NodeJS.ProcessEnv,
  build: () => string,
): Pick<Tools, 'jaeger' | 'jaegerSource'> {
  const fromEnv = env.JAEGER_BIN;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`JAEGER_BIN=${fromEnv} is not an executable file`);
    return { jaeger: resolve(fromEnv), jaegerSource: 'JAEGER_BIN' };
  }
  const onPath = (env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((dir) => join(dir, 'jaeger'))
    .find(isExecutable);
  return onPath ? { jaeger: onPath, jaegerSource: 'PATH' } : { jaeger: build(), jaegerSource: 'built' };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The start table's line: which binary, and whether the UI it serves (`page`, null if none) is the real one. */
export function describeJaeger(tools: Partial<Tools>, page: string | null): string {
  const source =
    !tools.jaegerSource || tools.jaegerSource === 'built'
      ? 'built from source'
      : `${tools.jaeger} (${tools.jaegerSource})`;
  if (page === null) return `${source}, UI not answering`;
  if (page.includes('This is not the Jaeger UI'))
    return `${source}: placeholder UI (JAEGER_BIN=<release binary> for the real one; see README)`;
  return `${source}: real UI`;
}
