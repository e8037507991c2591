// Trims a Next.js deployable's runtime tree (scripts/image/build-service.sh,
// issue 17: small images) of what its production server never loads:
// - the SWC compiler binaries (@next/swc-*, ~100 MB): the build compiles,
//   the server does not;
// - sharp with libvips: only Next's image optimizer loads it, and
//   next.config.mjs sets images.unoptimized;
// - next's dist/esm (the ES module copies the build bundles for browsers;
//   the server requires dist/*: next has no exports map, and no output trace
//   names a dist/esm file) and dist/docs.
// Next's output traces (.next/*.nft.json) cannot drive a finer cut: they
// start from next-server.js, while our custom server enters through
// next/dist/server/next.js, which loads untraced dist/compiled modules
// (find-up, ...); tracing that entry pulls in the dev server (~190 MB).
//
//   node scripts/image/prune-next.ts <runtime-tree> <deployable-dir>
import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DROPPED_PACKAGES = /^(@next\+swc-|@img\+|sharp@)/;
const DROPPED_NEXT_DIRS = ['dist/esm', 'dist/docs'];

export function pruneNext(tree: string, deployable: string): string[] {
  const nextLink = join(tree, deployable, 'node_modules/next');
  if (!existsSync(nextLink)) throw new Error(`prune-next: ${nextLink} does not exist`);
  const nextPkg = realpathSync(nextLink);
  const removed = DROPPED_NEXT_DIRS.map((dir) => join(nextPkg, dir));
  const store = join(tree, 'node_modules/.pnpm');
  removed.push(
    ...readdirSync(store)
      .filter((id) => DROPPED_PACKAGES.test(id))
      .map((id) => join(store, id)),
  );
  for (const path of removed) rmSync(path, { recursive: true, force: true });
  return removed;
}

if (import.meta.main) {
  const [tree, deployable] = process.argv.slice(2);
  if (!tree || !deployable) {
    console.error('usage: prune-next.ts <runtime-tree> <deployable-dir>');
    process.exit(2);
  }
  for (const path of pruneNext(resolve(tree), deployable)) console.error(`[prune-next] removed ${path}`);
}
