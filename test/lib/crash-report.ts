// What a component that restarted (or stopped) during a stack test left
// behind: the supervisor's exit reason and the last words of the process that
// ended — its error/fatal log records with their stacks, then its last raw
// lines (what Node prints on a crash the logger never saw). CI shows only the
// tail of a run, so "accounting restarted 1×" alone cannot be diagnosed;
// every line starts with CRASH_MARK and scripts/test.sh repeats those lines
// in its summary.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from '../../scripts/devstack/src/state.ts';

export const CRASH_MARK = '  ⤷';
/** How much of a log's end is read: enough for the ended instance's last records. */
const TAIL_BYTES = 512 * 1024;
const STACK_FRAMES = 8;

/** The last `bytes` of a file ('' when it cannot be read). */
function tail(path: string, bytes: number): string {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8');
  } catch {
    return '';
  }
}

/**
 * The log lines of the instance that ended: the supervisor writes
 * `=== devstack: starting <name>` before each spawn, so when the component
 * runs again the ended one is the section before the last marker, else the
 * last section.
 */
export function endedInstance(logText: string, name: string, runningAgain: boolean): string[] {
  const marker = `=== devstack: starting ${name} `;
  const sections = logText.split(marker);
  const index = runningAgain && sections.length > 1 ? sections.length - 2 : sections.length - 1;
  const lines = (sections[index] ?? '').split('\n');
  // A section after a marker starts with the rest of the marker's line ("(restart 1) at …").
  if (index > 0) lines.shift();
  return lines.filter((line) => line.trim() !== '' && !line.startsWith('=== '));
}

interface LogRecord {
  level?: string;
  time?: string;
  msg?: string;
  err?: { type?: string; message?: string; stack?: string };
}

/** A record's line, and its error's stack (first frames), as report lines. */
function describe(record: LogRecord): string[] {
  const err = record.err;
  const head = `${record.time ?? ''} ${record.level}: ${record.msg ?? ''}${err?.message && !record.msg?.includes(err.message) ? ` — ${err.type ?? 'Error'}: ${err.message}` : ''}`;
  const frames = (err?.stack ?? '')
    .split('\n')
    .filter((line) => line.trim().startsWith('at '))
    .slice(0, STACK_FRAMES)
    .map((line) => `      ${line.trim()}`);
  return [head.slice(0, 400), ...frames];
}

/** A JSON log record as `time level msg (error)`; any other line as it is. */
function compact(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const record = JSON.parse(line) as LogRecord;
    const err = record.err?.message ? ` (${record.err.type ?? 'Error'}: ${record.err.message})` : '';
    return `${record.time ?? ''} ${record.level ?? ''} ${record.msg ?? ''}${err}`;
  } catch {
    return line;
  }
}

/** Report lines (each starting with CRASH_MARK) for one component. */
export function crashReport(runDir: string, name: string, rawLines = 12): string[] {
  const component = readState(runDir)?.components.find((c) => c.name === name);
  const exit = component?.lastExit;
  const lines = [
    `${name}: ${exit ? `${exit.reason} (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}) at ${exit.at}` : 'no exit recorded'}; now ${component?.state ?? 'unknown'}, ${component?.restarts ?? '?'} restarts`,
  ];
  const ended = endedInstance(
    tail(join(runDir, 'logs', `${name}.log`), TAIL_BYTES),
    name,
    Boolean(component?.pid),
  );
  const errors: LogRecord[] = [];
  const raw: string[] = [];
  for (const line of ended) {
    let record: LogRecord | undefined;
    try {
      record = line.startsWith('{') ? (JSON.parse(line) as LogRecord) : undefined;
    } catch {
      record = undefined;
    }
    if (!record) raw.push(line);
    else if (record.level === 'error' || record.level === 'fatal') errors.push(record);
  }
  if (errors.length) {
    lines.push(`last error records of the instance that ended (${errors.length} in all):`);
    for (const record of errors.slice(-3)) lines.push(...describe(record).map((l) => `  ${l}`));
  }
  const last = ended.slice(-rawLines);
  lines.push(`its last ${last.length} log lines:`);
  for (const line of last) lines.push(`  | ${compact(line).slice(0, 300)}`);
  if (raw.length && !last.some((line) => raw.includes(line)))
    lines.push('its last non-JSON output:', ...raw.slice(-6).map((line) => `  | ${line.slice(0, 300)}`));
  return lines.map((line) => `${CRASH_MARK} ${line}`);
}
