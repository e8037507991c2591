// The "alive" oracle: after each group of cases, every watched process must be
// the SAME process as before (pid and its start time in /proc, from the
// supervisor's .run/state.json — the data behind `make status`), its restart
// counter must not have moved, and it must answer a liveness request. Missing
// data (no state file, no pid, component absent) is a failure, not a pass.
import { request as httpRequest } from 'node:http';
import { HealthCheckRequest, HealthCheckResponse } from '@astroshop/proto';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { isSameProcess, readState } from '../../scripts/devstack/src/state.ts';
import type { Target } from './targets.ts';

export interface ProcessMark {
  pid: number;
  startTicks: number | null;
  restarts: number;
}

export type Marks = Map<string, ProcessMark>;

/** pid/restarts of each named component now, or the reasons they cannot be read. */
export function mark(runDir: string, components: string[]): { marks: Marks; problems: string[] } {
  const marks: Marks = new Map();
  const problems: string[] = [];
  const state = readState(runDir);
  if (!state)
    return { marks, problems: [`no readable ${runDir}/state.json: is the stack running (make start)?`] };
  for (const name of components) {
    const c = state.components.find((x) => x.name === name);
    if (!c) problems.push(`${name}: not in state.json (not started?)`);
    else if (!c.pid) problems.push(`${name}: no pid in state.json (state ${c.state})`);
    else if (typeof c.restarts !== 'number') problems.push(`${name}: no restart counter in state.json`);
    else marks.set(name, { pid: c.pid, startTicks: c.pidStartTicks, restarts: c.restarts });
  }
  return { marks, problems };
}

export interface Change {
  component: string;
  /** 'missing-data': the state could not be read; 'crash': the process is gone, replaced or restarted. */
  kind: 'missing-data' | 'crash';
  text: string;
}

/** What changed since `before`: a dead or replaced process, or a restart counted. */
export function compare(before: Marks, runDir: string): Change[] {
  const { marks: now, problems } = mark(runDir, [...before.keys()]);
  const changes: Change[] = problems.map((text) => ({
    component: text.split(':')[0] ?? '',
    kind: 'missing-data',
    text,
  }));
  for (const [name, was] of before) {
    const is = now.get(name);
    if (!is) continue; // already in problems
    if (!isSameProcess(was.pid, was.startTicks))
      changes.push({ component: name, kind: 'crash', text: `${name}: pid ${was.pid} is gone` });
    else if (is.pid !== was.pid)
      changes.push({ component: name, kind: 'crash', text: `${name}: pid ${was.pid} -> ${is.pid}` });
    if (is.restarts !== was.restarts)
      changes.push({
        component: name,
        kind: 'crash',
        text: `${name}: restarts ${was.restarts} -> ${is.restarts}`,
      });
  }
  return changes;
}

/** Resolves with an error text if the process did not answer within `timeoutMs`, else null. */
export function answers(host: string, target: Target, timeoutMs = 5000): Promise<string | null> {
  return target.protocol === 'grpc'
    ? grpcAnswers(host, target, timeoutMs)
    : httpAnswers(host, target, timeoutMs);
}

async function httpAnswers(host: string, target: Target, timeoutMs: number): Promise<string | null> {
  let last = 'no liveness path';
  for (const path of target.livePaths ?? ['/']) {
    const status = await new Promise<number | string>((done) => {
      const req = httpRequest({ host, port: target.port, path, method: 'GET', timeout: timeoutMs }, (res) => {
        res.resume();
        done(res.statusCode ?? 'no status');
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => done(error.message));
      req.end();
    });
    // Any status proves the process answers (a 404 just means an older build without /livez).
    if (typeof status === 'number' && status !== 404) return null;
    last = `GET ${path}: ${status}`;
    if (typeof status === 'number') continue;
    return `${target.component} does not answer on :${target.port} (${last})`;
  }
  return null; // only 404s: still an answer
}

function grpcAnswers(host: string, target: Target, timeoutMs: number): Promise<string | null> {
  const client = new Client(`${host}:${target.port}`, credentials.createInsecure());
  return new Promise((done) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (r: HealthCheckRequest) => Buffer.from(HealthCheckRequest.encode(r).finish()),
      (b: Buffer) => HealthCheckResponse.decode(b),
      { service: 'liveness' },
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (error) => {
        client.close();
        // NOT_FOUND (no "liveness" entry yet) is still an answer from the process.
        if (!error || error.code === 5) done(null);
        else
          done(
            `${target.component} does not answer gRPC health on :${target.port} (${error.details || error.message})`,
          );
      },
    );
  });
}
