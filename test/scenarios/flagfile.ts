import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Flags are changed the way flagd-ui does it: rewrite the whole file to a
// temporary name in the same directory, then rename over the original, so
// flagd (which watches the file) never reads a half-written document.

export const REPO_ROOT = join(dirname(new URL(import.meta.url).pathname), '../..');
export const FLAG_FILE = process.env.FLAGD_FILE ?? join(REPO_ROOT, 'flagd/demo.flagd.json');

interface FlagDoc {
  flags: Record<string, { variants: Record<string, unknown>; defaultVariant: string }>;
}

export function readFlagFile(file = FLAG_FILE): string {
  return readFileSync(file, 'utf8');
}

export function writeAtomically(text: string, file = FLAG_FILE): void {
  const tmp = `${file}.scenario-${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Sets `flag`'s defaultVariant; throws naming the valid variants when the variant does not exist. */
export function setVariant(flag: string, variant: string, file = FLAG_FILE): void {
  const doc = JSON.parse(readFlagFile(file)) as FlagDoc;
  const def = doc.flags[flag];
  if (!def) throw new Error(`flag ${flag} is not in ${file}`);
  if (!(variant in def.variants)) {
    throw new Error(`flag ${flag} has no variant ${variant} (has: ${Object.keys(def.variants).join(', ')})`);
  }
  def.defaultVariant = variant;
  writeAtomically(`${JSON.stringify(doc, null, 2)}\n`, file);
}

export function defaultVariantOf(flag: string, text: string): string | undefined {
  return (JSON.parse(text) as FlagDoc).flags[flag]?.defaultVariant;
}

/**
 * Tracks the flags a run changes and puts each back to the variant it had
 * when first touched, on every exit path including Ctrl-C, so a verifier run
 * never leaves a fault switched on. Only those flags are rewritten: another
 * engineer's concurrent change to a different flag survives.
 */
export class FlagGuard {
  private readonly originals = new Map<string, string>();
  private readonly file: string;

  constructor(file = FLAG_FILE) {
    this.file = file;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.restoreAll();
        process.exit(130);
      });
    }
    process.once('exit', () => this.restoreAll());
  }

  set(flag: string, variant: string): void {
    if (!this.originals.has(flag)) {
      const current = defaultVariantOf(flag, readFlagFile(this.file));
      if (current === undefined) throw new Error(`flag ${flag} is not in ${this.file}`);
      this.originals.set(flag, current);
    }
    setVariant(flag, variant, this.file);
  }

  original(flag: string): string | undefined {
    return this.originals.get(flag) ?? defaultVariantOf(flag, readFlagFile(this.file));
  }

  restore(flag: string): void {
    const variant = this.originals.get(flag);
    if (variant === undefined) return;
    setVariant(flag, variant, this.file);
    this.originals.delete(flag);
  }

  restoreAll(): void {
    for (const flag of [...this.originals.keys()]) {
      try {
        this.restore(flag);
      } catch (error) {
        console.error(`could not restore ${flag}: ${(error as Error).message}`);
      }
    }
  }
}
