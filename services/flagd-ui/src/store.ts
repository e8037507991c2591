import { randomBytes } from 'node:crypto';
import { copyFile, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type FlagConfig, serialize, switchVariant, validateConfig } from './flags.ts';

export class InvalidConfigError extends Error {
  override name = 'InvalidConfigError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid flag configuration: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/**
 * Owns the flag file flagd watches. Every write is validated, then written
 * to a temp file in the same directory and renamed over the original (so
 * flagd never reads half a file), with the previous version kept as
 * `<file>.bak`. Writes are serialised: a read-modify-write (a variant switch)
 * cannot interleave with another and lose its update.
 */
export class FlagStore {
  readonly file: string;
  readonly backup: string;
  #tail: Promise<unknown> = Promise.resolve();
  #healthy = false;

  constructor(file: string) {
    this.file = file;
    this.backup = `${file}.bak`;
  }

  /** True when the last read or write of the file succeeded. */
  get healthy(): boolean {
    return this.#healthy;
  }

  async read(): Promise<FlagConfig> {
    try {
      const config = JSON.parse(await readFile(this.file, 'utf8')) as FlagConfig;
      this.#healthy = true;
      return config;
    } catch (error) {
      this.#healthy = false;
      throw new Error(`cannot read flag file ${this.file}: ${(error as Error).message}`);
    }
  }

  /** Replaces the whole configuration (validated first). */
  write(data: unknown): Promise<FlagConfig> {
    return this.#exclusive(async () => {
      await this.#writeValidated(data);
      return data as FlagConfig;
    });
  }

  /** Switches one flag's variant, atomically with respect to other writes. */
  switchVariant(key: string, variant: string): Promise<FlagConfig> {
    return this.#exclusive(async () => {
      const next = switchVariant(await this.read(), key, variant);
      await this.#writeValidated(next);
      return next;
    });
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    // The queue continues whether this task failed or not.
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #writeValidated(data: unknown): Promise<void> {
    const problems = validateConfig(data);
    if (problems.length > 0) throw new InvalidConfigError(problems);
    const dir = dirname(this.file);
    const temp = join(dir, `.${basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(serialize(data as FlagConfig));
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await copyFile(this.file, this.backup);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await rename(temp, this.file);
      this.#healthy = true;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
