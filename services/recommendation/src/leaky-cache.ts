import type { Product } from '@astroshop/proto';

/** One cache entry: a private copy of a catalog product, as a careless cache would keep it. */
export interface CachedProduct {
  id: string;
  name: string;
  description: string;
  picture: string;
  categories: string[];
  cachedAt: number;
}

export interface LeakyCacheOptions {
  /** Entries one miss may add at most (the original grows ×1.25 per miss without bound). */
  maxGrowthPerMiss: number;
  missProbability?: number;
  random?: () => number;
}

/**
 * The process-global product cache behind `recommendationCacheFailure`: it never
 * evicts, and every miss appends the fetched products and then re-appends the first
 * quarter of everything cached so far. It is a real leak on purpose: each entry
 * holds its own strings (so the heap grows with the entry count, not just an array
 * of pointers), and every lookup dedupes the whole list (so latency and GC work grow
 * with it). Nothing ever shrinks it; only a restart frees the memory.
 */
export class LeakyProductCache {
  readonly #entries: CachedProduct[] = [];
  readonly #maxGrowthPerMiss: number;
  readonly #missProbability: number;
  readonly #random: () => number;

  constructor(options: LeakyCacheOptions) {
    this.#maxGrowthPerMiss = options.maxGrowthPerMiss;
    this.#missProbability = options.missProbability ?? 0.5;
    this.#random = options.random ?? Math.random;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** An empty cache always misses; otherwise a coin flip, as in the original. */
  nextLookupMisses(): boolean {
    return this.#entries.length === 0 || this.#random() < this.#missProbability;
  }

  /** Records a miss: appends `products`, then the first quarter again. Returns entries added. */
  grow(products: readonly Product[]): number {
    const budget = this.#maxGrowthPerMiss;
    const fetched = products.slice(0, budget);
    for (const product of fetched) this.#entries.push(copyOf(product));
    const quarter = Math.min(Math.floor(this.#entries.length / 4), budget - fetched.length);
    for (let i = 0; i < quarter; i++) this.#entries.push(copyOf(this.#entries[i] as CachedProduct));
    return fetched.length + quarter;
  }

  /**
   * Distinct cached ids. Deliberately naive (copy, sort, drop neighbours): the cost
   * is O(n log n) in the cache size, which is what makes the leak show up as
   * latency and GC time and not only as memory.
   */
  distinctIds(): string[] {
    const sorted = this.#entries.map((entry) => entry.id).sort();
    return sorted.filter((id, i) => i === 0 || id !== sorted[i - 1]);
  }
}

/** A string with its own heap storage (a plain assignment would share the original). */
const ownCopy = (value: string): string => Buffer.from(value, 'utf8').toString('utf8');

function copyOf(product: Product | CachedProduct): CachedProduct {
  return {
    id: ownCopy(product.id),
    name: ownCopy(product.name),
    description: ownCopy(product.description),
    picture: ownCopy(product.picture),
    categories: product.categories.map(ownCopy),
    cachedAt: Date.now(),
  };
}
