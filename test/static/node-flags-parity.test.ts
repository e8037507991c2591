// The V8/malloc sizing of a Node service is the same natively (node-service.ts)
// and in the images (scripts/image/entrypoint.sh, used by compose and the
// chart): the entrypoint is run with a stub `node` that prints what it got.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { NODE_ENV_SIZING, NODE_FLAGS } from '../../scripts/devstack/src/components/node-service.ts';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'node-flags-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** What the entrypoint would exec: node's arguments and the malloc env it exports. */
function entrypointExec(
  env: Record<string, string> = {},
  script = join(root, 'scripts/image/entrypoint.sh'),
): { args: string[]; env: Record<string, string> } {
  const stub = join(scratch, 'node');
  // Arguments one per line, then the malloc tunables it was given (glibc reads MALLOC_*).
  writeFileSync(stub, `#!/bin/bash\nprintf '%s\\n' "$@"\nenv | grep '^MALLOC_' | sed 's/^/--env /'\n`);
  chmodSync(stub, 0o755);
  const out = execFileSync('bash', [script], {
    cwd: scratch,
    env: { PATH: `${scratch}:/usr/bin:/bin`, SERVICE_DIR: 'services/none', ...env },
    encoding: 'utf8',
  });
  const lines = out.trim().split('\n');
  const envLines = lines.filter((l) => l.startsWith('--env '));
  return {
    args: lines.filter((l) => !l.startsWith('--env ')),
    env: Object.fromEntries(envLines.map((l) => l.slice(6).split('=') as [string, string])),
  };
}

/** Where the entrypoint's node command differs from the native runner's sizing. */
function differences(exec: { args: string[]; env: Record<string, string> }): string[] {
  const v8Flags = exec.args.filter(
    (a) => a.startsWith('--') && a !== '--import' && !a.startsWith('--max-old-space-size'),
  );
  const problems = [];
  if (JSON.stringify(v8Flags.sort()) !== JSON.stringify([...NODE_FLAGS].sort()))
    problems.push(`flags ${v8Flags.join(' ')} vs native ${NODE_FLAGS.join(' ')}`);
  if (JSON.stringify(exec.env) !== JSON.stringify(NODE_ENV_SIZING))
    problems.push(`env ${JSON.stringify(exec.env)} vs native ${JSON.stringify(NODE_ENV_SIZING)}`);
  return problems;
}

test('the image entrypoint passes the native V8 flags and malloc sizing', () => {
  assert.ok(NODE_FLAGS.length > 0);
  assert.deepEqual(differences(entrypointExec()), []);
});

test('NODE_EXTRA_ARGS still comes after the defaults, so a deployment can override them', () => {
  const { args } = entrypointExec({ NODE_EXTRA_ARGS: '--max-semi-space-size=4' });
  const at = (flag: string) => args.indexOf(flag);
  assert.ok(at('--max-semi-space-size=4') > at('--max-semi-space-size=1'), args.join(' '));
});

test('negative control: an entrypoint without the flags or the arena cap is caught', () => {
  const original = readFileSync(join(root, 'scripts/image/entrypoint.sh'), 'utf8');
  const noFlags = join(scratch, 'no-flags.sh');
  writeFileSync(noFlags, original.replace(/^node_flags=.*$/m, 'node_flags=""'));
  assert.match(differences(entrypointExec({}, noFlags)).join(), /^flags /);
  const noArena = join(scratch, 'no-arena.sh');
  writeFileSync(noArena, original.replace(/^export MALLOC_ARENA_MAX=.*$/m, ''));
  assert.match(differences(entrypointExec({}, noArena)).join(), /^env /);
});
