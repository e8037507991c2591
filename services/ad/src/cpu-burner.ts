import { Worker } from 'node:worker_threads';
import type { Drainable } from '@astroshop/service-kit';

// Runs in each worker: pure computation that never yields, like the original's
// threads spinning on Math.log(currentTimeMillis). terminate() interrupts it.
const SPIN = `
let sink = 0;
for (;;) sink += Math.log(Date.now());
`;

/**
 * The adHighCpu load: worker threads that each keep one core busy, so the main
 * event loop keeps answering while the process's CPU time climbs.
 */
export class CpuBurner implements Drainable {
  readonly #workerCount: number;
  #workers: Worker[] = [];

  constructor(workerCount: number) {
    this.#workerCount = workerCount;
  }

  get running(): boolean {
    return this.#workers.length > 0;
  }

  /** Starts the workers unless they already run. Returns whether it started them. */
  start(): boolean {
    if (this.running) return false;
    this.#workers = Array.from({ length: this.#workerCount }, () => {
      const worker = new Worker(SPIN, {
        eval: true,
        // Not the parent's flags: the telemetry preload must not start an SDK per worker.
        execArgv: [],
        resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
      });
      // A spinning worker must never keep the process alive on shutdown.
      worker.unref();
      worker.once('exit', () => {
        this.#workers = this.#workers.filter((w) => w !== worker);
      });
      return worker;
    });
    return true;
  }

  /** Terminates every worker. Returns whether any was running. */
  async stop(): Promise<boolean> {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
    return workers.length > 0;
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
