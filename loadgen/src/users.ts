import { type Tracer, trace } from '@opentelemetry/api';
import type { ShopClient } from './client.ts';
import { type FlagSource, LOADGEN_FLAG } from './flags.ts';
import type { Person } from './people.ts';
import { defaultRng, newUuid, type Rng, sleep, thinkTimeMs, weightedChoice } from './random.ts';
import { runTask, SESSION_START, TASKS, type Task, type UserContext } from './tasks.ts';

export interface UserDeps {
  client: ShopClient;
  flags: FlagSource;
  people: readonly Person[];
  thinkMinMs: number;
  thinkMaxMs: number;
  rng?: Rng;
  tracer?: Tracer;
  tasks?: readonly Task[];
}

/**
 * One virtual user, as the original's k6 iteration: while traffic is off it
 * only sleeps; otherwise session start once, then one weighted task and a
 * think time per iteration, until `signal` aborts (every await is abortable,
 * so a stop takes effect within one request at most).
 */
export async function runHttpUser(deps: UserDeps, signal: AbortSignal): Promise<void> {
  const rng = deps.rng ?? defaultRng;
  const tracer = deps.tracer ?? trace.getTracer('load-generator');
  const tasks = deps.tasks ?? TASKS;
  const ctx: UserContext = {
    client: deps.client,
    sessionId: newUuid(),
    rng,
    flags: deps.flags,
    people: deps.people,
    signal,
  };
  let started = false;
  while (!signal.aborted) {
    const traffic = await deps.flags.number(LOADGEN_FLAG.traffic, 1);
    if (signal.aborted) break;
    if (traffic > 0) {
      if (!started) {
        started = true;
        if (!(await runTask(SESSION_START, ctx, tracer))) break;
      } else if (!(await runTask(weightedChoice(tasks, rng), ctx, tracer))) {
        break;
      }
    }
    await sleep(thinkTimeMs(deps.thinkMinMs, deps.thinkMaxMs, rng), signal);
  }
}

export type UserFn = (signal: AbortSignal, index: number) => Promise<void>;

interface RunningUser {
  index: number;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The set of running users. `setUsers(n)` grows the set gradually (spawn rate
 * per second, as Locust does) and shrinks it at once by stopping the newest
 * users; `stopAll` aborts every user and waits (bounded) for them to finish.
 */
export class UserPool {
  private users: RunningUser[] = [];
  private targetCount = 0;
  private spawnTimer: NodeJS.Timeout | undefined;
  private nextIndex = 0;
  private spawnRate = 1;
  errors = 0;

  private readonly userFn: UserFn;
  private readonly onError: (error: unknown) => void;

  constructor(userFn: UserFn, onError: (error: unknown) => void = () => undefined) {
    this.userFn = userFn;
    this.onError = onError;
  }

  get count(): number {
    return this.users.length;
  }

  get target(): number {
    return this.targetCount;
  }

  get spawning(): boolean {
    return this.spawnTimer !== undefined;
  }

  setUsers(target: number, spawnRate = this.spawnRate): void {
    if (!Number.isInteger(target) || target < 0)
      throw new RangeError(`user count must be an integer >= 0, got ${target}`);
    if (!(spawnRate > 0)) throw new RangeError(`spawn rate must be > 0, got ${spawnRate}`);
    this.targetCount = target;
    this.spawnRate = spawnRate;
    while (this.users.length > target) this.users.pop()?.controller.abort();
    this.clearSpawnTimer();
    if (this.users.length < target) {
      this.spawnOne();
      if (this.users.length < target) {
        this.spawnTimer = setInterval(() => {
          if (this.users.length >= this.targetCount) return this.clearSpawnTimer();
          this.spawnOne();
          if (this.users.length >= this.targetCount) this.clearSpawnTimer();
        }, 1000 / spawnRate);
      }
    }
  }

  private spawnOne(): void {
    const controller = new AbortController();
    const index = this.nextIndex++;
    const user: RunningUser = { index, controller, done: Promise.resolve() };
    user.done = this.userFn(controller.signal, index)
      .catch((error: unknown) => {
        // A user must never take the process down; it is counted and reported.
        this.errors += 1;
        this.onError(error);
      })
      .finally(() => {
        const at = this.users.indexOf(user);
        if (at !== -1) this.users.splice(at, 1);
      });
    this.users.push(user);
  }

  private clearSpawnTimer(): void {
    if (this.spawnTimer) clearInterval(this.spawnTimer);
    this.spawnTimer = undefined;
  }

  /** Aborts every user; resolves when all have returned or `timeoutMs` passed. */
  async stopAll(timeoutMs = 5000): Promise<void> {
    this.targetCount = 0;
    this.clearSpawnTimer();
    const running = this.users.splice(0);
    for (const user of running) user.controller.abort();
    await Promise.race([
      Promise.allSettled(running.map((u) => u.done)),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }
}
