// The frontend's image tree (scripts/image/build-service.sh frontend: its
// sources, .next and only the traced files of its dependencies,
// scripts/image/prune-next.ts) starts as the image's entrypoint starts it and
// serves pages, static chunks and Next's 404: a file the trace missed fails
// here, without a container engine. Needs the frontend's Next.js build
// (scripts/build-services.sh, run by `make install` and `make test`). Its own
// `make test` step (scripts/test.sh): assembling the tree takes 2-3 minutes.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../lib/backends.ts';

const root = join(import.meta.dirname, '..', '..');
const port = 17_902;
const base = `http://127.0.0.1:${port}`;

describe('frontend image tree', () => {
  let out: string;
  let child: ReturnType<typeof spawn> | undefined;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'astroshop-frontend-image-'));
    execFileSync('bash', ['scripts/image/build-service.sh', 'frontend', out], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    });
  });
  after(() => {
    child?.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
  });

  test('holds no dev server, compiler cache or source maps', () => {
    const [next] = readdirSync(join(out, 'node_modules/.pnpm')).filter((id) => id.startsWith('next@'));
    assert.ok(next, 'next is in the tree');
    const dist = join(out, 'node_modules/.pnpm', next, 'node_modules/next/dist');
    assert.ok(existsSync(join(dist, 'server/next.js')), 'the custom-server entry is kept');
    assert.ok(!existsSync(join(dist, 'server/dev/next-dev-server.js')), 'the dev server is pruned');
    assert.ok(!existsSync(join(dist, 'compiled/webpack/bundle5.js')), 'the webpack compiler is pruned');
    const build = join(out, 'services/frontend/.next');
    assert.ok(existsSync(join(build, 'BUILD_ID')), 'the build is there');
    assert.ok(!existsSync(join(build, 'cache')), 'the compiler cache is not');
    const maps = readdirSync(build, { recursive: true }).filter((f) => String(f).endsWith('.map'));
    assert.deepEqual(maps, [], 'no source maps in .next');
  });

  test('starts with the telemetry preload and serves pages, chunks and the 404 page', async () => {
    child = spawn(
      process.execPath,
      ['--import', './packages/telemetry/src/register.ts', 'services/frontend/src/main.ts'],
      {
        cwd: out,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          PORT: String(port),
          FRONTEND_PORT: String(port),
          LISTEN_HOST: '127.0.0.1',
          // Nothing listens there: the exporters load and fail quietly.
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
          OTEL_SERVICE_NAME: 'frontend',
          ...Object.fromEntries(
            ['AD', 'CART', 'CHECKOUT', 'CURRENCY', 'PRODUCT_CATALOG', 'RECOMMENDATION', 'SHIPPING'].map(
              (s) => [`${s}_ADDR`, '127.0.0.1:9'],
            ),
          ),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    const home = await Promise.race([
      eventually(
        'the frontend serves /',
        async () => {
          const res = await fetch(`${base}/`);
          return res.status === 200 ? res.text() : undefined;
        },
        90_000,
        500,
      ),
      exited.then((code) => assert.fail(`the frontend exited (${code}) before serving /`)),
    ]);
    assert.match(home, /__NEXT_DATA__/, 'the home page is rendered by Next');
    const chunk = /\/_next\/static\/chunks\/[^"]+\.js/.exec(home)?.[0];
    assert.ok(chunk, 'the page names its script chunks');
    assert.equal((await fetch(`${base}${chunk}`)).status, 200, `${chunk} is served`);
    assert.equal((await fetch(`${base}/product/OLJCESPC7Z`)).status, 200, 'a product page renders');
    const missing = await fetch(`${base}/no-such-page`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /__NEXT_DATA__/, "Next's 404 page renders");
  });
});
