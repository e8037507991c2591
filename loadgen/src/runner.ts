import { type FlagSource, LOADGEN_FLAG } from './flags.ts';
import type { Stats } from './stats.ts';
import { type UserFn, UserPool } from './users.ts';

export type RunState = 'stopped' | 'spawning' | 'running';

export interface RunnerOptions {
  stats: Stats;
  flags: FlagSource;
  httpUser: UserFn;
  browserUser?: UserFn;
  browserUsers?: number;
  /** How often loadGeneratorVUs is read (the original polls every 10 s). */
  flagPollMs: number;
  defaultUsers?: number;
  onUserError?: (error: unknown) => void;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export const MAX_USERS = 500;

/**
 * Start/stop and the user count, from three sources: the web UI, the
 * autostart, and the loadGeneratorVUs flag. A *change* of the flag's value
 * re-targets the running user count live (the original restarts k6 with the
 * new count; we adjust without dropping the other users).
 */
export class Runner {
  readonly http: UserPool;
  readonly browser: UserPool | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private lastFlagVus: number | undefined;
  private running = false;
  spawnRate = 1;
  private readonly options: RunnerOptions;

  constructor(options: RunnerOptions) {
    this.options = options;
    this.http = new UserPool(options.httpUser, options.onUserError);
    this.browser = options.browserUser ? new UserPool(options.browserUser, options.onUserError) : undefined;
  }

  get state(): RunState {
    if (!this.running) return 'stopped';
    return this.http.spawning ? 'spawning' : 'running';
  }

  get users(): number {
    return this.http.count + (this.browser?.count ?? 0);
  }

  /** The flag's value (or `fallback` when flagd is away), clamped to a sane range. */
  async flagUsers(fallback: number): Promise<number> {
    const value = await this.options.flags.number(LOADGEN_FLAG.vus, fallback);
    return clampUsers(value, fallback);
  }

  start(users: number, spawnRate = this.spawnRate): void {
    const n = clampUsers(users, 0);
    this.spawnRate = spawnRate;
    this.running = true;
    this.http.setUsers(n, spawnRate);
    if (this.browser && this.browser.count === 0)
      this.browser.setUsers(this.options.browserUsers ?? 0, spawnRate);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([this.http.stopAll(), this.browser?.stopAll()]);
  }

  /** Reads loadGeneratorVUs now; on a change of value while running, re-targets the user count. */
  async pollFlag(): Promise<void> {
    const value = await this.options.flags.number(LOADGEN_FLAG.vus, Number.NaN);
    if (!Number.isFinite(value) || value <= 0) return;
    const vus = clampUsers(value, 0);
    const changed = this.lastFlagVus !== undefined && this.lastFlagVus !== vus;
    this.lastFlagVus = vus;
    if (changed && this.running) {
      this.options.log?.('loadGeneratorVUs changed, adjusting users', { users: vus });
      this.http.setUsers(vus, this.spawnRate);
    }
  }

  startFlagPolling(initialFlagVus?: number): void {
    if (initialFlagVus !== undefined) this.lastFlagVus = initialFlagVus;
    this.stopFlagPolling();
    this.pollTimer = setInterval(() => void this.pollFlag().catch(() => undefined), this.options.flagPollMs);
    this.pollTimer.unref();
  }

  stopFlagPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  async close(): Promise<void> {
    this.stopFlagPolling();
    await this.stop();
  }
}

export function clampUsers(value: number, fallback: number): number {
  if (!Number.isFinite(value) || value < 0) return fallback;
  return Math.min(MAX_USERS, Math.floor(value));
}
