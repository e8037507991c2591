// devstack: the native stack runner.
//   node scripts/devstack/src/cli.ts start [--only backends|services|name,...] [--keep-on-failure]
//   node scripts/devstack/src/cli.ts stop | status | logs [name] | reset | urls
//   node scripts/devstack/src/cli.ts pause <name> | resume <name>   (outage tests)
// `start` launches one detached supervisor daemon (supervisor.ts), prints a
// line per component as it becomes healthy, then the URL table.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStack, type Component, postgresDataDir, type Tools } from './components/index.ts';
import { loadNativeEnv } from './env.ts';
import { describeJaeger, resolveJaeger } from './jaeger.ts';
import {
  type ComponentStatus,
  isSameProcess,
  pidFile,
  processTree,
  readState,
  type StackState,
} from './state.ts';
import { baseEnv, pausedDir, Supervisor, tailOf } from './supervisor.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const runDir = resolve(process.env.ASTROSHOP_RUN_DIR ?? join(repoRoot, '.run'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tool(name: string): string {
  return execFileSync('bash', [join(repoRoot, 'scripts/tools.sh'), name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** Which Jaeger runs and whether its UI is the real one (asked of the running UI: the placeholder says so). */
async function jaegerLabel(): Promise<string> {
  let tools: Partial<Tools> = {};
  try {
    tools = JSON.parse(readFileSync(join(runDir, 'tools.json'), 'utf8')) as Tools;
  } catch {
    // no tools.json: started by an older devstack
  }
  const page = await fetch('http://127.0.0.1:16686/jaeger/ui/', { signal: AbortSignal.timeout(3000) })
    .then((r) => r.text())
    .catch(() => null);
  return describeJaeger(tools, page);
}

function resolveTools(): Tools {
  const cached = join(runDir, 'tools.json');
  const tools: Tools = {
    node: tool('node'),
    otelcol: tool('otelcol'),
    ...resolveJaeger(process.env, () => tool('jaeger')),
    prometheus: tool('prometheus'),
    kafkaLibs: tool('kafka'),
    otelJavaagent: tool('otel_javaagent'),
    redis: tool('redis'),
    postgresBin: tool('postgres'),
    grafana: tool('grafana'),
  };
  writeFileSync(cached, `${JSON.stringify(tools, null, 2)}\n`);
  return tools;
}

/** Components selected by --only: group names (backends, services) and/or component names. */
function select(all: Component[], only: string | undefined): Component[] {
  if (!only || only === 'all') return all;
  const wanted = new Set(
    only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const chosen = all.filter((c) => wanted.has(c.name) || wanted.has(c.group));
  // Pull in dependencies of what was chosen (transitively).
  const byName = new Map(all.map((c) => [c.name, c]));
  const names = new Set(chosen.map((c) => c.name));
  const queue = [...chosen];
  while (queue.length) {
    const c = queue.pop() as Component;
    for (const d of c.dependsOn) {
      const dep = byName.get(d);
      if (dep && !names.has(d)) {
        names.add(d);
        queue.push(dep);
      }
    }
  }
  return all.filter((c) => names.has(c.name));
}

function daemonAlive(): number | null {
  const path = pidFile(runDir);
  if (!existsSync(path)) return null;
  const pid = Number(readFileSync(path, 'utf8').trim());
  return isSameProcess(pid, null) ? pid : null;
}

function parseFlags(argv: string[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (v !== undefined) flags[k] = v;
    else if (argv[i + 1] && !(argv[i + 1] as string).startsWith('--')) flags[k] = argv[++i] as string;
    else flags[k] = true;
  }
  return flags;
}

// ------------------------------------------------------------------ start
async function start(flags: Record<string, string | true>): Promise<number> {
  const only = typeof flags.only === 'string' ? flags.only : 'all';
  const t0 = Date.now();
  if (daemonAlive()) {
    console.log(`devstack is already running (pid ${daemonAlive()}); \`make stop\` first to restart it.`);
    return printWhenReady(t0, only, true);
  }
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  // A supervisor that died without stopping its children leaves them recorded
  // in the state file: end them (by recorded pid) before starting anew.
  const previous = readState(runDir);
  if (previous?.components.some((c) => c.pid && isSameProcess(c.pid, c.pidStartTicks))) await stop();
  rmSync(join(runDir, 'state.json'), { force: true });
  // A pause left over from an interrupted outage test must not keep a component down.
  rmSync(pausedDir(runDir), { recursive: true, force: true });
  console.log(`devstack: repo ${repoRoot}, run dir ${runDir}, selection: ${only}`);
  resolveTools();
  const nodeBin = join(JSON.parse(readFileSync(join(runDir, 'tools.json'), 'utf8')).node, 'node');
  const log = openSync(join(runDir, 'logs', 'devstack.log'), 'a');
  const child = spawn(nodeBin, [fileURLToPath(import.meta.url), '__daemon', '--only', only], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ASTROSHOP_RUN_DIR: runDir },
  });
  child.unref();
  return printWhenReady(t0, only, !!flags['keep-on-failure']);
}

async function printWhenReady(t0: number, only: string, keepOnFailure: boolean): Promise<number> {
  const printed = new Set<string>();
  const timeoutS = Number(process.env.DEVSTACK_START_TIMEOUT_S ?? 600);
  let skippedShown = false;
  for (;;) {
    await sleep(300);
    const state = readState(runDir);
    if (!state) {
      if (Date.now() - t0 > 30000) {
        console.error(`devstack: the supervisor did not start; see ${join(runDir, 'logs/devstack.log')}`);
        console.error(tailOf(join(runDir, 'logs/devstack.log'), 3000));
        return 1;
      }
      continue;
    }
    if (!skippedShown) {
      skippedShown = true;
      for (const s of state.skipped)
        if (only === 'all' || only.includes(s.group) || only.includes(s.name))
          console.log(`  - ${pad(s.name, 16)} skipped: ${s.reason}`);
    }
    for (const c of state.components) {
      if (c.healthySince && !printed.has(c.name)) {
        printed.add(c.name);
        console.log(
          `  ✔ ${pad(c.name, 16)} healthy after ${c.firstHealthyAfterS ?? '?'}s${c.url ? `  ${c.url}` : ''}`,
        );
      }
    }
    const failed = state.components.filter((c) => c.state === 'failed');
    if (failed.length) {
      for (const c of failed) {
        console.error(`\n  ✘ ${c.name} FAILED: ${c.message ?? c.lastExit?.reason ?? 'unknown'}`);
        const tail = tailOf(join(runDir, 'logs', `${c.name}.log`), 2500)
          .split('\n')
          .slice(-25)
          .join('\n');
        console.error(`---- last lines of ${join(runDir, 'logs', `${c.name}.log`)} ----\n${tail}\n----`);
      }
      if (!keepOnFailure) {
        console.error('devstack: stopping what was started (pass --keep-on-failure to keep it)');
        await stop();
      }
      return 1;
    }
    if (state.components.every((c) => c.healthySince)) {
      console.log(
        `devstack: ${state.components.length} components healthy in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
      );
      printUrls(state, await jaegerLabel());
      return 0;
    }
    if (Date.now() - t0 > timeoutS * 1000) {
      const waiting = state.components.filter((c) => !c.healthySince).map((c) => `${c.name} (${c.state})`);
      console.error(`devstack: timed out after ${timeoutS}s waiting for: ${waiting.join(', ')}`);
      return 1;
    }
  }
}

function printUrls(state: StackState, jaeger: string): void {
  const has = (n: string) => state.components.some((c) => c.name === n);
  const proxy = has('frontend-proxy');
  const grafana = state.components.find((c) => c.name === 'grafana');
  const rows: [string, string][] = [
    ['Shop', proxy ? 'http://localhost:8080' : 'not running (frontend-proxy not started)'],
    [
      'Jaeger UI',
      `http://localhost:16686/jaeger/ui${proxy ? '  (also http://localhost:8080/jaeger/ui)' : ''}`,
    ],
    ['Jaeger', jaeger],
    ['Prometheus', 'http://localhost:9090'],
    [
      'Grafana',
      grafana ? 'http://localhost:8080/grafana' : 'not available (no grafana-server binary; use Prometheus)',
    ],
    ['Feature flags UI', proxy ? 'http://localhost:8080/feature' : 'not running'],
    ['Load generator', proxy ? 'http://localhost:8080/loadgen/' : 'not running'],
    ['flagd OFREP', 'http://localhost:8016/ofrep/v1/evaluate/flags/{key}'],
    ['OTLP (collector)', 'grpc localhost:4317, http://localhost:4318'],
    ['Logs (OTLP)', join(runDir, 'logs/otel-logs.jsonl')],
  ];
  console.log('');
  for (const [k, v] of rows) console.log(`  ${pad(k, 18)} ${v}`);
  console.log('');
}

// ------------------------------------------------------------------- stop
async function stop(): Promise<number> {
  const pid = daemonAlive();
  if (pid) {
    process.stdout.write(`devstack: stopping (supervisor pid ${pid}) ...`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 120000;
    while (isSameProcess(pid, null) && Date.now() < deadline) await sleep(200);
    if (isSameProcess(pid, null)) {
      console.log(' supervisor did not exit in time: SIGKILL');
      process.kill(pid, 'SIGKILL');
    } else console.log(' done');
  } else console.log('devstack: supervisor not running');
  // Safety net: any recorded child still alive (same pid AND start time) is killed.
  const state = readState(runDir);
  let leftovers = 0;
  for (const c of state?.components ?? []) {
    if (c.pid && isSameProcess(c.pid, c.pidStartTicks)) {
      leftovers++;
      for (const p of processTree(c.pid)) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  }
  if (leftovers) console.log(`devstack: killed ${leftovers} leftover process group(s)`);
  rmSync(pidFile(runDir), { force: true });
  return 0;
}

// ----------------------------------------------------------- pause/resume
/**
 * Stops one component and keeps it down (`pause`), or starts it again and
 * waits until it is healthy (`resume`). The supervisor applies the request
 * (a file in <run dir>/paused), so it does not fight the outage by restarting
 * the component, and a pause is not counted as a restart.
 */
async function pauseResume(action: 'pause' | 'resume', name: string | undefined): Promise<number> {
  const state = readState(runDir);
  if (!daemonAlive() || !state) {
    console.error('devstack: supervisor not running; `make start` first');
    return 1;
  }
  const known = state.components.map((c) => c.name);
  if (!name || !known.includes(name)) {
    console.error(`usage: devstack ${action} <name>; one of: ${known.join(', ')}`);
    return 2;
  }
  const marker = join(pausedDir(runDir), name);
  const since = Date.now();
  if (action === 'pause') {
    mkdirSync(pausedDir(runDir), { recursive: true });
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  } else rmSync(marker, { force: true });
  const timeoutS = Number(process.env.DEVSTACK_PAUSE_TIMEOUT_S ?? 120);
  const done = (c: ComponentStatus) =>
    action === 'pause'
      ? c.state === 'paused' && c.pid === null
      : c.state === 'running' && c.healthy && Date.parse(c.healthySince ?? '') >= since - 1000;
  for (;;) {
    const c = readState(runDir)?.components.find((x) => x.name === name);
    if (c && done(c)) {
      console.log(
        `devstack: ${name} ${action === 'pause' ? 'paused' : 'healthy again'} after ${((Date.now() - since) / 1000).toFixed(1)}s`,
      );
      return 0;
    }
    if (Date.now() - since > timeoutS * 1000) {
      console.error(
        `devstack: ${name} not ${action}d within ${timeoutS}s (state ${c?.state ?? '?'}: ${c?.message ?? ''})`,
      );
      return 1;
    }
    await sleep(100);
  }
}

// ----------------------------------------------------------------- status
function status(): number {
  const state = readState(runDir);
  const alive = daemonAlive();
  if (!state) {
    console.log('devstack: not started (no state file)');
    return 0;
  }
  console.log(
    `devstack: supervisor ${alive ? `running (pid ${alive})` : 'not running'}, phase ${alive ? state.phase : 'stopped'}, selection ${state.selection}`,
  );
  const header = [
    'COMPONENT',
    'PID',
    'STATE',
    'HEALTH',
    'RESTARTS',
    'LAST EXIT',
    'RSS MiB',
    'LIMIT',
    'PORT/URL',
    'NOTE',
  ];
  const rows: string[][] = state.components.map((c: ComponentStatus) => {
    const live = alive && c.pid && isSameProcess(c.pid, c.pidStartTicks);
    return [
      c.name,
      live ? String(c.pid) : '-',
      alive ? c.state : 'stopped',
      alive ? (c.healthy ? 'healthy' : c.state === 'running' ? 'unhealthy' : '-') : '-',
      String(c.restarts),
      c.lastExit ? c.lastExit.reason : '-',
      live && c.rssMiB !== null ? c.rssMiB.toFixed(1) : '-',
      String(c.memoryMiB),
      c.url ?? (c.ports.join(',') || '-'),
      alive ? (c.message ?? '') : '',
    ];
  });
  for (const s of state.skipped) rows.push([s.name, '-', 'skipped', '-', '-', '-', '-', '-', s.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => pad(v, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  return 0;
}

// ------------------------------------------------------------- logs/reset
function logs(name: string | undefined): number {
  const dir = join(runDir, 'logs');
  if (!existsSync(dir)) {
    console.log('no logs yet');
    return 0;
  }
  const files = name
    ? [join(dir, `${name}.log`)]
    : readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => join(dir, f));
  const follow = process.stdout.isTTY ? ['-F'] : [];
  const child = spawn('tail', ['-n', '30', ...follow, ...files], { stdio: 'inherit' });
  process.on('SIGINT', () => child.kill('SIGTERM'));
  child.on('exit', (code) => process.exit(code ?? 0));
  return -1;
}

async function reset(): Promise<number> {
  await stop();
  for (const entry of ['data', 'logs', 'state.json', 'tools.json', 'kafka-server.properties']) {
    rmSync(join(runDir, entry), { recursive: true, force: true });
  }
  const pgParent = dirname(postgresDataDir(runDir));
  if (!pgParent.startsWith(runDir)) rmSync(pgParent, { recursive: true, force: true });
  console.log(`devstack: removed data and logs under ${runDir}`);
  return 0;
}

// ----------------------------------------------------------------- daemon
async function daemon(flags: Record<string, string | true>): Promise<void> {
  const only = typeof flags.only === 'string' ? flags.only : 'all';
  const tools = JSON.parse(readFileSync(join(runDir, 'tools.json'), 'utf8')) as Tools;
  const env = loadNativeEnv(repoRoot, runDir);
  Object.assign(baseEnv, env, { PATH: `${tools.node}:${process.env.PATH ?? ''}` });
  const { components, skipped } = buildStack({ repoRoot, runDir, env, tools });
  const selected = select(components, only);
  const skippedSel = skipped.filter(
    (s) => only === 'all' || only.split(',').some((o) => o === s.group || o === s.name),
  );
  const supervisor = new Supervisor(runDir, selected, skippedSel, only);
  process.on('uncaughtException', (err) => {
    console.error('supervisor error:', err);
    void supervisor.stopAll().then(() => process.exit(1));
  });
  // The supervisor's own timers are unref'd; this keeps the daemon alive
  // (also once every component ended on its own) until `stop`.
  setInterval(() => undefined, 60000);
  await supervisor.run();
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

async function main(): Promise<void> {
  const [cmd = 'status', ...rest] = process.argv.slice(2);
  const flags = parseFlags(rest);
  let code: number;
  switch (cmd) {
    case 'start':
      code = await start(flags);
      break;
    case 'stop':
      code = await stop();
      break;
    case 'status':
      code = status();
      break;
    case 'logs':
      code = logs(rest.find((a) => !a.startsWith('--')));
      break;
    case 'reset':
      code = await reset();
      break;
    case 'pause':
    case 'resume':
      code = await pauseResume(
        cmd,
        rest.find((a) => !a.startsWith('--')),
      );
      break;
    case 'urls': {
      const s = readState(runDir);
      if (s) printUrls(s, await jaegerLabel());
      code = 0;
      break;
    }
    case '__daemon':
      await daemon(flags);
      return;
    default:
      console.error(`unknown command ${cmd}; use start|stop|status|logs|reset|urls|pause|resume`);
      code = 2;
  }
  if (code >= 0) process.exit(code);
}

await main();
