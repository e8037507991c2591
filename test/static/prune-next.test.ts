// The frontend image's pruning step (scripts/image/prune-next.ts): what the
// trace does not reach goes, under node_modules and dist only. The trace
// itself needs a Next.js build and is exercised by `make test-compose`.
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { pruneUntraced } from '../../scripts/image/prune-next.ts';

const tree = mkdtempSync(join(tmpdir(), 'astroshop-prune-'));
after(() => rmSync(tree, { recursive: true, force: true }));

function file(path: string, text: string): string {
  const full = join(tree, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

function link(path: string, target: string): string {
  const full = join(tree, path);
  mkdirSync(dirname(full), { recursive: true });
  symlinkSync(target, full);
  return full;
}

test('removes untraced files under node_modules and dist, their empty directories and dangling links', () => {
  const used = file('node_modules/.pnpm/a@1/node_modules/a/index.js', 'module.exports = 1;\n');
  const unused = file('node_modules/.pnpm/a@1/node_modules/a/cli.js', 'x'.repeat(100));
  const unusedPackage = file('node_modules/.pnpm/b@1/node_modules/b/index.js', 'y'.repeat(50));
  const toB = link('node_modules/.pnpm/a@1/node_modules/b', '../../b@1/node_modules/b');
  const toA = link('services/web/node_modules/a', '../../../node_modules/.pnpm/a@1/node_modules/a');
  const bundle = file('packages/lib/dist/bundle.mjs', 'z'.repeat(25));
  const source = file('services/web/src/main.ts', 'import "a";\n');
  const build = file('services/web/.next/BUILD_ID', 'id\n');

  const removed = pruneUntraced(tree, new Set([realpathSync(used)]));

  assert.equal(removed, 175, 'the bytes of the three untraced files');
  for (const gone of [unused, unusedPackage, bundle]) assert.ok(!existsSync(gone), `${gone} is removed`);
  assert.ok(!existsSync(join(tree, 'node_modules/.pnpm/b@1')), 'an emptied package directory is removed');
  assert.throws(() => lstatSync(toB), /ENOENT/, 'a link into a removed package is removed');
  for (const kept of [used, source, build]) assert.ok(existsSync(kept), `${kept} is kept`);
  assert.ok(
    lstatSync(toA).isSymbolicLink() && existsSync(join(toA, 'index.js')),
    'a link to a traced package is kept',
  );
});
