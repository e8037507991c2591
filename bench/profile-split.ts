// Where telemetry's CPU goes, from the two V8 CPU profiles `BENCH_PROFILE=<dir>
// node bench/overhead.ts <target>` leaves in <dir>/off and <dir>/on: self time
// per package (bundles resolved through their source maps, so the telemetry
// bundle splits into sdk-trace, otlp-transformer, instrumentation-pg, ...),
// per call, side by side, largest difference first. GC, syscalls (writev) and
// V8's own work are native frames and listed by name.
//   node bench/profile-split.ts <dir> <calls-off> <calls-on> [marker] [rows]
// marker: a function name on the request path (e.g. getProduct); only samples
// between the first and last one whose stack holds it count, so start-up
// (module loading) stays out. Idle samples never count.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The main thread's profile of one side: the largest file (a worker thread's is small). */
function profileIn(dir: string): Profile {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(largest, 'utf8')) as Profile;
}

const PACKAGE = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/;
const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!url.startsWith('file://') || !url.endsWith('.mjs')) return undefined;
  if (!maps.has(url)) {
    try {
      const path = `${fileURLToPath(url)}.map`;
      maps.set(url, new SourceMap(JSON.parse(readFileSync(path, 'utf8'))));
    } catch {
      maps.set(url, undefined);
    }
  }
  return maps.get(url);
}

/** The package (or repo-relative source, or native function) a frame's code comes from. */
function origin(frame: CallFrame): string {
  if (!frame.url) return `(native) ${frame.functionName}`;
  let source = frame.url;
  const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalSource' in entry) source = entry.originalSource;
  const pkg = PACKAGE.exec(source)?.[1];
  if (pkg) return pkg;
  if (source.startsWith('node:')) return source;
  return source.replace(/^.*?(packages|services|bench)\//, '$1/').replace(/^(?:\.\.\/)+/, '');
}

/** Busy microseconds per origin inside the marker's window. */
function selfTime(profile: Profile, marker: string | undefined): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const holdsMarker = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      if (nodes.get(at)?.callFrame.functionName === marker) return true;
    return false;
  };
  let clock = 0;
  const timed = profile.samples.map((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    clock += delta;
    return { id, delta, at: clock };
  });
  const marked = marker ? timed.filter((s) => holdsMarker(s.id)).map((s) => s.at) : [];
  if (marker && marked.length === 0) throw new Error(`no sample holds ${marker}`);
  const [from, to] = marker ? [Math.min(...marked), Math.max(...marked)] : [0, clock];
  const byOrigin = new Map<string, number>();
  for (const s of timed) {
    const frame = nodes.get(s.id)?.callFrame;
    if (!frame || s.at < from || s.at > to || frame.functionName === '(idle)') continue;
    const key = origin(frame);
    byOrigin.set(key, (byOrigin.get(key) ?? 0) + s.delta);
  }
  return byOrigin;
}

if (import.meta.main) {
  const [dir, offCalls, onCalls, marker, rows = '25'] = process.argv.slice(2);
  if (!dir || !offCalls || !onCalls)
    throw new Error('usage: node bench/profile-split.ts <dir> <calls-off> <calls-on> [marker] [rows]');
  const off = selfTime(profileIn(join(dir, 'off')), marker);
  const on = selfTime(profileIn(join(dir, 'on')), marker);
  const perCall = (m: Map<string, number>, key: string, calls: string) => (m.get(key) ?? 0) / Number(calls);
  const total = (m: Map<string, number>, calls: string) =>
    [...m.values()].reduce((a, b) => a + b, 0) / Number(calls);
  const keys = [...new Set([...off.keys(), ...on.keys()])];
  const lines = keys
    .map((key) => ({ key, off: perCall(off, key, offCalls), on: perCall(on, key, onCalls) }))
    .sort((a, b) => b.on - b.off - (a.on - a.off));
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log(
    `busy CPU per call (µs): off ${total(off, offCalls).toFixed(0)}, on ${total(on, onCalls).toFixed(0)}`,
  );
  console.log(`${'on - off'.padStart(8)} ${'off'.padStart(8)} ${'on'.padStart(8)}  origin`);
  for (const l of lines.slice(0, Number(rows)))
    console.log(`${fmt(l.on - l.off)} ${fmt(l.off)} ${fmt(l.on)}  ${l.key}`);
}
