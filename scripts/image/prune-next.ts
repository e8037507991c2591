// Trims a Next.js deployable's runtime tree (scripts/image/build-service.sh,
// issue 17: images <= 150 MB) to the files its production server can load.
//
// The keep set is a file trace (@vercel/nft, the tracer Next uses for its own
// output traces, from next's compiled copy: the exact version the build ran)
// of what the container starts and what Next loads at run time:
// - the preload and the server entry (entrypoint.sh), the TypeScript sources
//   read with their types stripped, as Node loads them;
// - import-in-the-middle's loader hook, which the preload registers by name
//   (module.register), where no tracer can follow it;
// - next.config.mjs and every server module of the build (.next/server);
// - Next's own traces of its server and pages (.next/**/*.nft.json);
// - what Next resolves at start (require.resolve) without ever loading it:
//   its webpack alias modules and @babel/runtime's manifest (config-utils.js),
//   styled-jsx/style (require-hook.js).
// Next's custom-server entry (next/dist/server/next.js) reaches its dev
// server and compilers through branches a production server never takes; the
// trace stops at those (IGNORED below, each with the reason). Every file
// under a node_modules or dist directory that the trace does not reach is
// removed, then the build's own artefacts in .next (compiler cache, traces,
// diagnostics, generated types).
//
//   node scripts/image/prune-next.ts <runtime-tree> <deployable-dir> <preload>
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';

/** Paths (relative to the tree) the trace does not enter: never loaded by `next({ dev: false })`. */
const IGNORED: RegExp[] = [
  // The compilers and the build: a production server serves a finished .next.
  /\/next\/dist\/compiled\/webpack\/bundle5\.js$/,
  /\/next\/dist\/compiled\/babel(-packages)?\//,
  /\/next\/dist\/build\/(webpack\/|webpack-config\.js$|swc\/)/,
  /\/@next\/swc-/,
  // The dev server, its bundler and the browser dev overlay.
  /\/next\/dist\/server\/dev\/(next-dev-server|hot-reloader-(turbopack|webpack))\.js$/,
  /\/next\/dist\/server\/lib\/router-utils\/setup-dev-bundler\.js$/,
  /\/next\/dist\/compiled\/next-devtools\//,
  // next/font: fallback metrics are computed at build time.
  /\/next\/dist\/compiled\/@next\/font\//,
  /\/next\/dist\/server\/capsize-font-metrics\.json$/,
  // App-router runtimes: the storefront uses the pages router only.
  /\/next\/dist\/compiled\/next-server\/app-/,
  // The edge runtime's sandbox: it runs middleware and edge routes, and the
  // storefront has neither (Next's own minimal server leaves it out too).
  /\/next\/dist\/server\/web\/sandbox\//,
  /\/next\/dist\/compiled\/(@edge-runtime\/primitives|edge-runtime)\//,
  // Development builds: the image runs NODE_ENV=production.
  /\.development\.js$/,
  /\.runtime\.dev\.js$/,
  // The image optimizer's sharp/libvips: next.config.mjs sets images.unoptimized.
  /\/(sharp|@img\/[^/]+)\//,
  // Source maps: Node reads them only with --enable-source-maps, which
  // neither the image nor the native stack sets (Next's error printer asks
  // Node for them too).
  /\.map$/,
  /\.d\.[cm]?ts$/,
];

/** The build's own artefacts under .next, never read by the server. */
const BUILD_ARTEFACTS = ['cache', 'trace', 'trace-build', 'diagnostics', 'types'];

interface Nft {
  nodeFileTrace(
    files: string[],
    options: {
      base: string;
      conditions: string[];
      ignore: (path: string) => boolean;
      readFile: (path: string) => string | null;
    },
  ): Promise<{ fileList: Set<string> }>;
}

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** The source Node runs: TypeScript without its types (esbuild keeps the import specifiers). */
function readSource(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return /\.[cm]?ts$/.test(path) && !/\.d\.[cm]?ts$/.test(path)
    ? transformSync(text, { loader: 'ts', format: 'esm' }).code
    : text;
}

/** Every file (real path) the production server can load. */
export async function traceNext(tree: string, deployable: string, preload: string): Promise<Set<string>> {
  const app = join(tree, deployable);
  const nextDir = join(app, '.next');
  const fromApp = createRequire(join(app, 'package.json'));
  const nextPkg = dirname(fromApp.resolve('next/package.json'));
  const fromNext = createRequire(join(nextPkg, 'package.json'));
  const fromPreload = createRequire(join(tree, preload));
  const { nodeFileTrace } = fromNext('next/dist/compiled/@vercel/nft') as Nft;
  const ignored = (path: string) => IGNORED.some((re) => re.test(`/${path}`));

  const entries = [
    join(tree, preload),
    fromPreload.resolve('import-in-the-middle/hook.mjs'),
    join(app, 'src/main.ts'),
    join(app, 'next.config.mjs'),
    ...[...walk(join(nextDir, 'server'))].filter((f) => /\.[cm]?js$/.test(f)),
  ];
  const { fileList } = await nodeFileTrace(entries, {
    base: tree,
    // Node 24 resolves require() through `module-sync` exports too.
    conditions: ['node', 'module-sync'],
    ignore: ignored,
    readFile: readSource,
  });
  const keep = new Set<string>();
  const add = (path: string) => {
    if (!ignored(relative(tree, path)) && existsSync(path)) keep.add(realpathSync(path));
  };
  for (const file of fileList) add(join(tree, file));
  for (const trace of [...walk(nextDir)].filter((f) => f.endsWith('.nft.json'))) {
    const { files } = JSON.parse(readFileSync(trace, 'utf8')) as { files: string[] };
    for (const file of files) add(resolve(dirname(trace), file));
  }
  const webpack = join(nextPkg, 'dist/compiled/webpack');
  for (const file of readdirSync(webpack)) add(join(webpack, file));
  add(fromNext.resolve('next/dist/compiled/@babel/runtime/package.json'));
  add(fromNext.resolve('styled-jsx/style'));
  return keep;
}

/** Removes what `keep` does not hold under node_modules and dist directories; returns the bytes removed. */
export function pruneUntraced(tree: string, keep: Set<string>): number {
  let bytes = 0;
  const prune = (dir: string, inScope: boolean): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        prune(path, inScope || e.name === 'node_modules' || e.name === 'dist');
        if (readdirSync(path).length === 0) rmdirSync(path);
      } else if (e.isFile() && inScope && !keep.has(realpathSync(path))) {
        bytes += statSync(path).size;
        rmSync(path);
      }
    }
  };
  prune(tree, false);
  // Links into packages the trace left no file of.
  for (const path of walk(tree)) if (lstatSync(path).isSymbolicLink() && !existsSync(path)) rmSync(path);
  return bytes;
}

export async function pruneNext(tree: string, deployable: string, preload: string): Promise<number> {
  const nextDir = join(tree, deployable, '.next');
  if (!existsSync(join(nextDir, 'BUILD_ID'))) throw new Error(`prune-next: no Next.js build in ${nextDir}`);
  const keep = await traceNext(tree, deployable, preload);
  let bytes = pruneUntraced(tree, keep);
  const artefacts = [
    ...BUILD_ARTEFACTS.map((name) => join(nextDir, name)),
    ...[...walk(nextDir)].filter((f) => f.endsWith('.nft.json') || f.endsWith('.map')),
  ];
  for (const path of artefacts.filter((p) => existsSync(p))) {
    for (const file of lstatSync(path).isDirectory() ? walk(path) : [path]) bytes += lstatSync(file).size;
    rmSync(path, { recursive: true });
  }
  return bytes;
}

if (import.meta.main) {
  const [tree, deployable, preload] = process.argv.slice(2);
  if (!tree || !deployable || !preload) {
    console.error('usage: prune-next.ts <runtime-tree> <deployable-dir> <preload>');
    process.exit(2);
  }
  const bytes = await pruneNext(resolve(tree), deployable, preload);
  console.error(`[prune-next] removed ${(bytes / 1e6).toFixed(1)} MB the production server never loads`);
}
