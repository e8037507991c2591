// Where a warm `make start` spends its time (issue 17): per component, when
// the supervisor spawned it and when it was first healthy (seconds after
// `make start` began, from <run dir>/logs/devstack.log), the CPU its process
// tree had used by the time the stack was healthy, and Kafka's own phases
// (JVM spawned -> the OTel agent's first log line -> the agent's JMX rules
// loaded -> port open).
//   node bench/startup-timeline.ts T0_MS [OUT]
// T0_MS: when `make start` began (epoch ms); OUT: key=value lines appended.
// bench/startup.sh runs it right after `make start` returned.
import { appendFileSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isSameProcess, processTree } from '../scripts/devstack/src/state.ts';
import { cpuSeconds, RUN_DIR, stackState, supervisorPid } from './lib.ts';

const t0 = Number(process.argv[2]);
if (!Number.isFinite(t0) || t0 <= 0) throw new Error('usage: node bench/startup-timeline.ts T0_MS [OUT]');
const out = process.argv[3];
const logs = join(RUN_DIR, 'logs');
const since = (ms: number) => (ms - t0) / 1000;

interface Row {
  spawned?: number;
  healthy?: number;
}
const rows = new Map<string, Row>();
let firstSpawn = Number.POSITIVE_INFINITY;
for (const line of readFileSync(join(logs, 'devstack.log'), 'utf8').split('\n')) {
  const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (\S+): (spawned pid \d+|healthy)$/.exec(line);
  if (!m) continue;
  const at = Date.parse(m[1] as string);
  if (at < t0) continue;
  const row = rows.get(m[2] as string) ?? {};
  if (m[3] === 'healthy') row.healthy ??= since(at);
  else {
    row.spawned ??= since(at);
    firstSpawn = Math.min(firstSpawn, since(at));
  }
  rows.set(m[2] as string, row);
}

/** User + system CPU seconds of a component's live process tree. */
function treeCpu(pid: number): number {
  let sum = 0;
  for (const p of processTree(pid)) {
    try {
      sum += cpuSeconds(p.pid);
    } catch {
      // exited meanwhile
    }
  }
  return sum;
}
const cpu = new Map<string, number>();
for (const c of stackState().components)
  if (c.pid !== null && isSameProcess(c.pid, c.pidStartTicks)) cpu.set(c.name, treeCpu(c.pid));

/** Kafka's phases from its log section of this start (the agent prints local times with an offset). */
function kafkaPhases(): Record<string, number> {
  const text = readFileSync(join(logs, 'kafka.log'), 'utf8');
  const starts = [...text.matchAll(/^=== devstack: starting kafka \(restart \d+\) at (\S+)$/gm)];
  const first = starts.find((m) => Date.parse(m[1] as string) >= t0);
  if (!first) return {};
  const next = starts[starts.indexOf(first) + 1];
  const section = text.slice(first.index, next?.index);
  const agentTime = (pattern: RegExp) => {
    const m = new RegExp(
      `^\\[otel\\.javaagent (\\S+) (\\d\\d:\\d\\d:\\d\\d):(\\d{3}) ([+-]\\d{4})\\].*${pattern.source}`,
      'm',
    ).exec(section);
    if (!m) return undefined;
    const zone = `${m[4]?.slice(0, 3)}:${m[4]?.slice(3)}`;
    return since(Date.parse(`${m[1]}T${m[2]}.${m[3]}${zone}`));
  };
  const phases: Record<string, number> = {};
  const agentStart = agentTime(/VersionLogger/);
  const agentReady = agentTime(/metric rules/);
  if (agentStart !== undefined) phases.kafka_agent_log_s = agentStart;
  if (agentReady !== undefined) phases.kafka_agent_ready_s = agentReady;
  return phases;
}

function daemonCpu(): number | undefined {
  const pid = supervisorPid();
  try {
    return pid === null ? undefined : cpuSeconds(pid);
  } catch {
    return undefined;
  }
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1));
const ordered = [...rows.entries()].sort((a, b) => (a[1].healthy ?? 1e9) - (b[1].healthy ?? 1e9));
const lines = [
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on the machine's cores`,
  `first spawn (make's install steps and the CLI before it): ${fmt(firstSpawn)} s`,
  'component          spawned  healthy  took   CPU-s at all healthy',
  ...ordered.map(
    ([name, r]) =>
      `${name.padEnd(18)} ${fmt(r.spawned).padStart(7)}  ${fmt(r.healthy).padStart(7)}  ${fmt(
        r.healthy !== undefined && r.spawned !== undefined ? r.healthy - r.spawned : undefined,
      ).padStart(5)}  ${fmt(cpu.get(name)).padStart(6)}`,
  ),
];
const kafka = kafkaPhases();
lines.push(
  `kafka: spawned ${fmt(rows.get('kafka')?.spawned)}, agent's first line ${fmt(kafka.kafka_agent_log_s)}, agent ready (JMX rules) ${fmt(kafka.kafka_agent_ready_s)}, port open/healthy ${fmt(rows.get('kafka')?.healthy)} s`,
  `CPU-s of all components by then: ${[...cpu.values()].reduce((a, b) => a + b, 0).toFixed(1)}; the supervisor's: ${fmt(daemonCpu())}`,
);
process.stderr.write(`${lines.join('\n')}\n`);
if (out) {
  const keys: Record<string, string> = {
    first_spawn_s: fmt(firstSpawn),
    kafka_healthy_s: fmt(rows.get('kafka')?.healthy),
    stack_cpu_s: [...cpu.values()].reduce((a, b) => a + b, 0).toFixed(1),
    ...Object.fromEntries(Object.entries(kafka).map(([k, v]) => [k, v.toFixed(1)])),
  };
  appendFileSync(
    out,
    Object.entries(keys)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
}
