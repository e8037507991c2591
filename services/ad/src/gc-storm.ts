import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface GcStormOptions {
  /** At most one storm per interval, as in the original (10 s). */
  intervalMs?: number;
  rounds?: number;
  /** Objects kept alive across each collection (the original's finalizable objects). */
  objectsPerRound?: number;
  now?: () => number;
}

/**
 * The adManualGc scenario: repeated full collections over a heap full of
 * short-lived objects that are still referenced when the collector runs (the
 * V8 counterpart of the original's objects waiting for a slow finalizer), so each
 * collection has real marking work to do and shows up as a GC pause.
 */
export class GcStorm {
  readonly #intervalMs: number;
  readonly #rounds: number;
  readonly #objectsPerRound: number;
  readonly #now: () => number;
  #lastStart = Number.NEGATIVE_INFINITY;

  constructor(options: GcStormOptions = {}) {
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#rounds = options.rounds ?? 10;
    this.#objectsPerRound = options.objectsPerRound ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** True when a storm may start now (none within the interval). */
  due(): boolean {
    return this.#now() - this.#lastStart >= this.#intervalMs;
  }

  /** Runs one storm unless one ran within the interval; returns its duration in ms. */
  async run(): Promise<number | undefined> {
    if (!this.due()) return undefined;
    this.#lastStart = this.#now();
    const gc = fullGc();
    const started = performance.now();
    gc();
    for (let round = 0; round < this.#rounds; round++) {
      const survivors = allocate(this.#objectsPerRound);
      gc();
      survivors.length = 0;
      // Other requests get the loop between rounds; the pauses themselves are the point.
      await nextTurn();
    }
    gc();
    return performance.now() - started;
  }
}

function allocate(count: number): { seq: number; label: string; payload: number[] }[] {
  return Array.from({ length: count }, (_, seq) => ({
    seq,
    label: `garbage-${seq}`,
    payload: [seq, seq + 1],
  }));
}

let cachedGc: (() => void) | undefined;

/**
 * The real collector: `gc` when node runs with --expose-gc, otherwise enabled at
 * runtime and taken from a fresh context (where V8 installs it once the flag is set).
 */
export function fullGc(): () => void {
  if (cachedGc) return cachedGc;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    cachedGc = exposed;
  } else {
    setFlagsFromString('--expose-gc');
    cachedGc = runInNewContext('gc') as () => void;
  }
  return cachedGc;
}
