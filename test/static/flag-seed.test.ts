// Compose and the chart start with the shipped flag defaults, whatever a native
// run did to flagd/demo.flagd.json (the native flag UI and `make scenario`
// rewrite it in place): compose seeds its flag volume from the chart's copy,
// which scripts/sync-chart-files.sh takes from the committed file. The flag UI
// still edits the volume's copy in compose.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const CHART_COPY = 'helm/astronomy-shop/files/demo.flagd.json';

interface Service {
  volumes?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
}
const compose = parseYaml(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

describe('compose flag seeding', () => {
  test("flagd-init seeds the volume from the chart's copy, not the native run's file", () => {
    const init = compose.services['flagd-init'];
    assert.ok(init, 'compose has flagd-init');
    const mounts = init.volumes ?? [];
    assert.deepEqual(
      mounts.filter((m) => m.startsWith('.')),
      [`./${CHART_COPY}:/seed/demo.flagd.json:ro`],
      'the only host path it reads is the pristine copy',
    );
    assert.ok(mounts.includes('flagd-data:/data'));
    assert.match(init.entrypoint?.join(' ') ?? '', /copyFileSync\('\/seed\/demo\.flagd\.json', f\)/);
  });

  test('flagd reads the volume; the flag UI writes it (read-write, after the seed)', () => {
    const flagd = compose.services.flagd;
    const ui = compose.services['flagd-ui'];
    assert.ok(flagd?.volumes?.includes('flagd-data:/etc/flagd:ro'));
    assert.ok(ui?.volumes?.includes('flagd-data:/app/data'), 'flagd-ui mounts the volume read-write');
    assert.equal(ui?.environment?.FLAGD_FILE, '/app/data/demo.flagd.json');
    assert.ok(ui?.depends_on?.['flagd-init'], 'the UI starts after the seed');
  });

  test("the chart's copy is the committed flag file", () => {
    const committed = spawnSync('git', ['show', 'HEAD:flagd/demo.flagd.json'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(committed.status, 0, committed.stderr);
    assert.equal(readFileSync(join(root, CHART_COPY), 'utf8'), committed.stdout);
  });
});

describe('sync-chart-files.sh and a flipped native flag file', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'flag-seed-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: scratch });
  const sync = (...args: string[]) =>
    spawnSync('bash', [join(scratch, 'scripts/sync-chart-files.sh'), ...args], { encoding: 'utf8' });

  // A checkout with just what the script copies, committed, then a flag flipped natively.
  for (const dir of ['flagd', 'otel-collector', 'jaeger', 'prometheus', 'postgresql', 'grafana', 'helm'])
    cpSync(join(root, dir), join(scratch, dir), { recursive: true });
  mkdirSync(join(scratch, 'scripts'));
  cpSync(join(root, 'scripts/sync-chart-files.sh'), join(scratch, 'scripts/sync-chart-files.sh'));
  const shipped = readFileSync(join(root, CHART_COPY), 'utf8');
  writeFileSync(join(scratch, 'flagd/demo.flagd.json'), shipped);
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'shipped');
  const flipped = JSON.parse(shipped) as { flags: Record<string, { defaultVariant: string }> };
  const flag = flipped.flags.adFailure;
  assert.ok(flag, 'adFailure is defined');
  flag.defaultVariant = 'on';
  writeFileSync(join(scratch, 'flagd/demo.flagd.json'), JSON.stringify(flipped, null, 2));

  test('a flag flipped natively neither fails --check nor reaches the chart (or compose)', () => {
    const check = sync('--check');
    assert.equal(check.status, 0, check.stderr);
    assert.equal(sync().status, 0);
    assert.equal(readFileSync(join(scratch, CHART_COPY), 'utf8'), shipped);
  });

  test('negative control: a chart copy that drifted from the committed file fails --check', () => {
    writeFileSync(join(scratch, CHART_COPY), JSON.stringify(flipped, null, 2));
    const check = sync('--check');
    assert.equal(check.status, 1);
    assert.match(check.stderr, /chart copy out of date: demo\.flagd\.json/);
  });
});
