// Trims a Next.js deployable's runtime tree (scripts/image/build-service.sh,
// issue 17: small images) of what its production server never loads:
// - the SWC compiler binaries (@next/swc-*, ~100 MB): the build compiles,
//   the server does not;
// - sharp with libvips: only Next's image optimizer loads it, and
//   next.config.mjs sets images.unoptimized;
// - next's dist/esm (the ES module copies the build bundles for browsers;
//   the server requires dist/*: next has no exports map, and no output trace
//   names a dist/esm file) and dist/docs;
// - development builds (*.development.js of react, react-dom and next's
//   compiled copies, next's *.runtime.dev.js): the image runs with
//   NODE_ENV=production and Next in production mode, which load the
//   production builds only; and next's *-experimental React copies (loaded
//   only for experimental app-router features; the storefront uses the pages
//   router).
// Next's output traces (.next/*.nft.json) cannot drive a finer cut: they
// start from next-server.js, while our custom server enters through
// next/dist/server/next.js, which loads untraced dist/compiled modules
// (find-up, ...); tracing that entry pulls in the dev server (~190 MB).
//
//   node scripts/image/prune-next.ts <runtime-tree> <deployable-dir>
import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const DROPPED_PACKAGES = /^(@next\+swc-|@img\+|sharp@)/;
const DROPPED_NEXT_DIRS = ['dist/esm', 'dist/docs'];
const DEV_BUILD = /\.(development|runtime\.dev)\.js$/;

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile()) yield path;
  }
}

export function pruneNext(tree: string, deployable: string): string[] {
  const nextLink = join(tree, deployable, 'node_modules/next');
  if (!existsSync(nextLink)) throw new Error(`prune-next: ${nextLink} does not exist`);
  const nextPkg = realpathSync(nextLink);
  const removed = DROPPED_NEXT_DIRS.map((dir) => join(nextPkg, dir));
  const compiled = join(nextPkg, 'dist/compiled');
  removed.push(
    ...readdirSync(compiled)
      .filter((name) => name.endsWith('-experimental'))
      .map((name) => join(compiled, name)),
  );
  const nextRequire = createRequire(join(nextPkg, 'package.json'));
  const react = ['react', 'react-dom'].map((name) =>
    dirname(realpathSync(nextRequire.resolve(`${name}/package.json`))),
  );
  for (const dir of [compiled, ...react])
    removed.push(...[...walk(dir)].filter((file) => DEV_BUILD.test(file)));
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
  const removed = pruneNext(resolve(tree), deployable);
  console.error(`[prune-next] removed ${removed.length} packages, directories and development builds`);
}
