// The service bundles (scripts/bundle): instrumented packages must stay outside,
// imported by their bare name, or the instrumentations never patch them and
// the service's spans silently disappear.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bundle } from '../../scripts/bundle/bundle.ts';
import { inputsFile, isCurrent, serviceTarget, telemetryTarget } from '../../scripts/bundle/targets.ts';

const out = mkdtempSync(join(tmpdir(), 'astroshop-bundle-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('a service bundle imports instrumented packages by name and links them', async () => {
  const source = serviceTarget('services/cart');
  assert.ok(source, 'cart has a bundle target');
  const target = { ...source, outFile: join(out, 'cart', 'main.mjs') };
  assert.equal(await bundle(target, true), 'built');
  const code = readFileSync(target.outFile, 'utf8');
  for (const name of ['@grpc/grpc-js', 'ioredis', 'pino', '@opentelemetry/api'])
    assert.match(code, new RegExp(`from\\s*"${name.replace('/', '\\/')}"`), `${name} is imported by name`);
  // One character above Latin-1 (a comment's em dash) and V8 keeps the whole source as UTF-16.
  assert.doesNotMatch(code, /[\u0100-\u{10ffff}]/u, 'the bundle is Latin-1 only');
  // grpc-js's own code (its channel implementation) must not be inlined.
  assert.doesNotMatch(code, /class ChannelImplementation/);
  for (const name of ['@grpc/grpc-js', 'ioredis'])
    assert.ok(existsSync(join(out, 'cart', 'node_modules', name, 'package.json')), `${name} linked`);
  assert.ok(existsSync(`${target.outFile}.map`), 'source map kept');
  assert.equal(isCurrent(target), true);
});

test('a bundle is stale once one of its sources is newer', async () => {
  const source = serviceTarget('services/currency');
  assert.ok(source);
  const target = { ...source, outFile: join(out, 'currency', 'main.mjs') };
  await bundle(target, true);
  assert.equal(isCurrent(target), true);
  // One more recorded input, then made newer than the bundle.
  const extra = join(out, 'extra-input.ts');
  writeFileSync(extra, '');
  const past = new Date(Date.now() - 60_000);
  utimesSync(extra, past, past);
  const inputs = JSON.parse(readFileSync(inputsFile(target), 'utf8')) as string[];
  writeFileSync(inputsFile(target), JSON.stringify([...inputs, extra]));
  assert.equal(isCurrent(target), true);
  const future = new Date(Date.now() + 60_000);
  utimesSync(extra, future, future);
  assert.equal(isCurrent(target), false);
});

test('the telemetry preload bundle patches ES module imports on the main thread', async () => {
  const target = { ...telemetryTarget(), outFile: join(out, 'telemetry', 'register.mjs') };
  await bundle(target, true);
  const patches = (env: Record<string, string> = {}) => {
    const stdout = execFileSync(
      process.execPath,
      ['--import', target.outFile, join(import.meta.dirname, 'fixtures/preload-patches.ts')],
      {
        env: {
          PATH: process.env.PATH ?? '',
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
          ...env,
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('PATCHES '));
    assert.ok(line, `the fixture printed its patches:\n${stdout}`);
    return JSON.parse(line.slice('PATCHES '.length)) as Record<string, unknown> & { threads: string[] };
  };
  const { threads, ...on } = patches();
  assert.deepEqual(on, { http: true, grpc: true, pg: true });
  // module.register() would run the hooks on a loader thread with an isolate of its own (~9 MiB).
  assert.ok(!threads.includes('WorkerThread'), `no loader thread: ${threads.join(', ')}`);
  // Negative control: the same imports, those instrumentations switched off.
  const { threads: _, ...off } = patches({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,grpc,pg' });
  assert.deepEqual(off, { http: false, grpc: false, pg: false });
});
