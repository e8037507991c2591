// Services as built JavaScript (issue 17): one ES module bundle per service
// (services/<svc>/dist/main.mjs) and one for the telemetry preload
// (packages/telemetry/dist/register.mjs), with source maps, so a start loads a
// few files instead of type-stripping hundreds of .ts modules.
//
// Packages that OpenTelemetry instrumentations patch (grpc-js, pg, ioredis,
// kafkajs, pino, undici, fastify), the OTel API (one global per process) and
// packages that read files next to their code stay outside the bundle and are
// imported by their bare name: the import/require hooks match modules by that
// name, and an inlined copy would never be patched. dist/node_modules holds a
// relative symlink per external package to the exact copy the source resolved.
//
//   node scripts/bundle/bundle.ts [service...]   (default: every bundled service)
// A bundle is rebuilt only when one of its inputs is newer than it.

import { copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { allTargets, inputsFile, isCurrent, REPO_ROOT as ROOT, type Target } from './targets.ts';

/** Kept external (see above); `name` or `name/subpath`. */
const EXTERNAL =
  /^(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs|grpc-health-check|pg|pg-pool|ioredis|kafkajs|pino|pino-pretty|thread-stream|undici|fastify|@opentelemetry\/api|import-in-the-middle|require-in-the-middle|playwright-core)(\/.*)?$/;

/** The directory of package `name` as `importer` resolves it (its node_modules/<name>). */
function packageDir(name: string, importer: string): string {
  const main = createRequire(importer).resolve(name);
  const marker = `/node_modules/${name}/`;
  const at = main.lastIndexOf(marker);
  if (at < 0) throw new Error(`bundle: ${name} (from ${importer}) is not under a node_modules directory`);
  return main.slice(0, at + marker.length - 1);
}

function plugin(linked: Map<string, string>): Plugin {
  return {
    name: 'astroshop-externals',
    setup(b) {
      b.onResolve({ filter: EXTERNAL }, (args) => {
        const name = EXTERNAL.exec(args.path)?.[1] as string;
        const dir = packageDir(name, args.importer);
        const seen = linked.get(name);
        if (seen && seen !== dir)
          throw new Error(`bundle: two copies of ${name} (${seen}, ${dir}); one link cannot serve both`);
        linked.set(name, dir);
        return { path: args.path, external: true };
      });
      // Each package's CommonJS build where it has one: some ESM builds
      // (rolldown's) load their dependencies through createRequire at run
      // time, which a bundler cannot follow.
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || args.kind === 'require-call') return undefined;
        try {
          const path = createRequire(args.importer).resolve(args.path);
          return path.startsWith('/') ? { path } : undefined;
        } catch {
          return undefined;
        }
      });
    },
  };
}

export async function bundle(b: Target, force = false): Promise<'built' | 'fresh'> {
  if (!force && isCurrent(b)) return 'fresh';
  const outDir = dirname(b.outFile);
  const linked = new Map<string, string>();
  const result = await build({
    entryPoints: [b.entry],
    outfile: b.outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: 'linked',
    // Whitespace and comments out, names kept (stack traces still name every
    // function; the linked map gives lines): V8 keeps each module's whole
    // source in the heap, and one non-Latin-1 character in a comment (an em
    // dash) stores all of it as UTF-16 - currency's 1.6 MB bundle took 3 MiB.
    minifyWhitespace: true,
    minifySyntax: true,
    // Licence texts go to main.mjs.LEGAL.txt beside the bundle, not into the heap.
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
    // CommonJS code inside an ES module bundle still calls require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [plugin(linked)],
  });
  rmSync(join(outDir, 'node_modules'), { recursive: true, force: true });
  for (const [name, dir] of linked) {
    const link = join(outDir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), dir), link);
  }
  // Files the code reads next to itself (new URL('./x', import.meta.url)): dist/ is a sibling of src/.
  const assets = readdirSync(dirname(b.entry), { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.ts'))
    .map((e) => e.name);
  for (const file of assets) copyFileSync(join(dirname(b.entry), file), join(outDir, file));
  const inputs = Object.keys(result.metafile.inputs).map((f) => resolve(f));
  inputs.push(
    ...assets.map((file) => join(dirname(b.entry), file)),
    join(ROOT, 'pnpm-lock.yaml'),
    join(ROOT, 'scripts/bundle/bundle.ts'),
  );
  writeFileSync(inputsFile(b), JSON.stringify(inputs));
  return 'built';
}

if (import.meta.main) {
  const wanted = new Set(process.argv.slice(2));
  const force = process.env.FORCE === '1';
  for (const b of allTargets()) {
    if (wanted.size && !wanted.has(b.name)) continue;
    const started = performance.now();
    const state = await bundle(b, force);
    if (state === 'built')
      console.log(
        `[bundle] ${relative(ROOT, b.outFile)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
  }
}
