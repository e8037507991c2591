import { randomUUID } from 'node:crypto';

/** A source of uniform numbers in [0, 1); injectable so tests can be exact. */
export type Rng = () => number;

export const defaultRng: Rng = Math.random;

export interface Weighted {
  weight: number;
}

/** Picks one item with probability weight / total weight. Throws on an empty or weightless list. */
export function weightedChoice<T extends Weighted>(items: readonly T[], rng: Rng = defaultRng): T {
  const total = items.reduce((sum, item) => sum + Math.max(0, item.weight), 0);
  if (items.length === 0 || total <= 0) throw new Error('weightedChoice needs at least one positive weight');
  let point = rng() * total;
  for (const item of items) {
    point -= Math.max(0, item.weight);
    if (point < 0) return item;
  }
  // Floating point can leave point at ~0 after the last item.
  return items.findLast((item) => item.weight > 0)!;
}

export function pick<T>(items: readonly T[], rng: Rng = defaultRng): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.min(items.length - 1, Math.floor(rng() * items.length))]!;
}

/** Uniform think time in [minMs, maxMs] (the original waits between(1, 10) seconds). */
export function thinkTimeMs(minMs: number, maxMs: number, rng: Rng = defaultRng): number {
  const lo = Math.max(0, Math.min(minMs, maxMs));
  const hi = Math.max(minMs, maxMs);
  return lo + rng() * (hi - lo);
}

export const newUuid = (): string => randomUUID();

/** Sleeps `ms` unless `signal` aborts first; resolves either way (never rejects). */
export { sleep } from '@astroshop/service-kit';
