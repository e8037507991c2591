// The oracle: what counts as a robustness failure, and the tally that prints
// "N inputs, C crashes, F 5xx for client errors". Every input the suite sends
// is client-shaped (malformed, out of range, hostile), so a server fault in
// reply is a bug by definition: the client's mistake must come back as a 4xx /
// INVALID_ARGUMENT-like status, in bounded time, from the same process.
import { status as GrpcStatus } from '@grpc/grpc-js';

export type FailureKind =
  /** A process died, restarted, changed pid or stopped answering. */
  | 'crash'
  /** HTTP 5xx or a gRPC server-fault status for a client's input. */
  | '5xx'
  /** No answer (or no close) within the bound. */
  | 'unbounded'
  /** The check itself lacked data (no state file, no pid, a route without a spec): fails, never passes silently. */
  | 'missing-data';

export interface Failure {
  group: string;
  kind: FailureKind;
  what: string;
  detail: string;
}

/** Bound on any single reply; a request that takes longer is a hang, not slowness. */
export const REPLY_BOUND_MS = Number(process.env.ROBUSTNESS_REPLY_BOUND_MS ?? 10_000);

/**
 * gRPC statuses that mean "the server failed", not "the client erred". UNAVAILABLE
 * is included: for a healthy stack and a bad input it means a neighbour's
 * client error was reported as an outage. DEADLINE_EXCEEDED is 'unbounded'.
 */
const GRPC_SERVER_FAULTS = new Set<number>([
  GrpcStatus.UNKNOWN,
  GrpcStatus.INTERNAL,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
  GrpcStatus.UNIMPLEMENTED,
]);

export function judgeGrpc(code: number): FailureKind | null {
  if (code === GrpcStatus.DEADLINE_EXCEEDED) return 'unbounded';
  return GRPC_SERVER_FAULTS.has(code) ? '5xx' : null;
}

/**
 * `error` is why there was no status: a refused connection means the process
 * is gone; a reset while we were still sending (a server refusing an
 * oversized body) is an answer of sorts, and the alive check judges whether
 * the process survived it; anything else (our bound passed) is a hang.
 */
export function judgeHttp(status: number | null, error = ''): FailureKind | null {
  if (status === null) {
    if (/ECONNREFUSED/.test(error)) return 'crash';
    if (/ECONNRESET|EPIPE|socket hang up/.test(error)) return null;
    return 'unbounded';
  }
  return status >= 500 ? '5xx' : null;
}

export const grpcStatusName = (code: number): string =>
  Object.entries(GrpcStatus).find(([, v]) => v === code)?.[0] ?? String(code);

/** Keeps an input printable in a report line. */
export function show(value: unknown, max = 160): string {
  let text: string;
  try {
    text =
      typeof value === 'string'
        ? value
        : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    text = String(value);
  }
  text = [...(text ?? String(value))]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
    })
    .join('');
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

export class Tally {
  inputs = 0;
  readonly failures: Failure[] = [];
  /** Per group: inputs sent and failures, for the closing table. */
  readonly groups = new Map<string, { inputs: number; failures: number; ms: number }>();

  private group(name: string) {
    let g = this.groups.get(name);
    if (!g) {
      g = { inputs: 0, failures: 0, ms: 0 };
      this.groups.set(name, g);
    }
    return g;
  }

  input(group: string, n = 1): void {
    this.inputs += n;
    this.group(group).inputs += n;
  }

  fail(group: string, kind: FailureKind, what: string, detail: string): void {
    this.failures.push({ group, kind, what, detail });
    this.group(group).failures += 1;
  }

  /** What each group's inputs got back (status → count), so a run shows how deep the inputs reached. */
  readonly outcomes = new Map<string, Map<string, number>>();

  outcome(group: string, label: string): void {
    let m = this.outcomes.get(group);
    if (!m) {
      m = new Map();
      this.outcomes.set(group, m);
    }
    m.set(label, (m.get(label) ?? 0) + 1);
  }

  timed(group: string, ms: number): void {
    this.group(group).ms += ms;
  }

  count(kind: FailureKind): number {
    return this.failures.filter((f) => f.kind === kind).length;
  }

  get ok(): boolean {
    return this.failures.length === 0 && this.inputs > 0;
  }

  /** The one-line verdict. Zero inputs is a failure too: a suite that sent nothing proved nothing. */
  summary(): string {
    const extra: string[] = [];
    if (this.count('unbounded')) extra.push(`${this.count('unbounded')} unbounded replies`);
    if (this.count('missing-data')) extra.push(`${this.count('missing-data')} checks without data`);
    if (this.inputs === 0) extra.push('no inputs sent');
    return `${this.inputs} inputs, ${this.count('crash')} crashes, ${this.count('5xx')} 5xx for client errors${
      extra.length ? `, ${extra.join(', ')}` : ''
    }`;
  }
}
