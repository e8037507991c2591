// Which bundles exist and whether one is current, without loading esbuild: the
// supervisor asks before each (re)start, so a restart never runs stale code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Services whose entry is plain Node; the frontend is a Next.js server and stays as it is. */
const NOT_BUNDLED = new Set(['frontend']);

export interface Target {
  /** `telemetry` (the preload) or the service's directory name. */
  name: string;
  entry: string;
  outFile: string;
}

export const telemetryTarget = (root = REPO_ROOT): Target => ({
  name: 'telemetry',
  entry: join(root, 'packages/telemetry/src/register.ts'),
  outFile: join(root, 'packages/telemetry/dist/register.mjs'),
});

/**
 * The bundle of a deployable's directory (`services/<name>`, `loadgen`), or
 * undefined if it is not bundled.
 */
export function serviceTarget(dir: string, root = REPO_ROOT): Target | undefined {
  const name = basename(dir);
  const entry = join(root, dir, 'src/main.ts');
  if (NOT_BUNDLED.has(name) || !existsSync(entry)) return undefined;
  return { name, entry, outFile: join(root, dir, 'dist/main.mjs') };
}

export function allTargets(root = REPO_ROOT): Target[] {
  const dirs = [...readdirSync(join(root, 'services')).map((d) => `services/${d}`), 'loadgen'].sort();
  return [telemetryTarget(root), ...dirs.flatMap((dir) => serviceTarget(dir, root) ?? [])];
}

/** Recorded by the bundler: every file the bundle was built from. */
export const inputsFile = (t: Target) => join(dirname(t.outFile), 'inputs.json');

/** Current: the bundle exists and none of its recorded inputs changed after it. */
export function isCurrent(t: Target): boolean {
  if (!existsSync(t.outFile) || !existsSync(inputsFile(t))) return false;
  const built = statSync(t.outFile).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile(t), 'utf8')) as string[];
  return inputs.every((file) => existsSync(file) && statSync(file).mtimeMs <= built);
}
