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
  /**
   * Approximate heap bytes every miss retains. The original grows ×1.25 per miss
   * without bound (tiny at first, then it exhausts any heap within seconds); a fixed
   * amount per miss makes the leak plain from the first miss at the user's load and
   * lets a test predict it: n misses retain at least n × this many bytes.
   */
  bytesPerMiss: number;
  missProbability?: number;
  random?: () => number;
}

/**
 * The process-global product cache behind `recommendationCacheFailure`: it never
 * evicts, and every miss appends the fetched products and then re-appends cached
 * entries from the head of the list (the original re-appends the first quarter)
 * until the miss has retained its byte budget. It is a real leak on purpose: each
 * entry holds its own strings (so the heap grows with the entry count, not just an
 * array of pointers), and every lookup dedupes the whole list (so latency and GC
 * work grow with it). Nothing ever shrinks it; only a restart frees the memory.
 */
export class LeakyProductCache {
  readonly #entries: CachedProduct[] = [];
  readonly #bytesPerMiss: number;
  readonly #missProbability: number;
  readonly #random: () => number;

  constructor(options: LeakyCacheOptions) {
    this.#bytesPerMiss = options.bytesPerMiss;
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

  /**
   * Records a miss: appends `products`, then re-appends entries from the head of
   * the list until the miss has used its byte budget. Returns the entries added:
   * the same number for every miss with the same catalog.
   */
  grow(products: readonly Product[]): number {
    let budget = this.#bytesPerMiss;
    const append = (source: Product | CachedProduct): boolean => {
      const cost = approximateBytes(source);
      if (cost > budget) return false;
      budget -= cost;
      this.#entries.push(copyOf(source));
      return true;
    };
    const sizeBefore = this.#entries.length;
    for (const product of products) if (!append(product)) return this.#entries.length - sizeBefore;
    for (let i = 0; i < this.#entries.length && append(this.#entries[i] as CachedProduct); i++);
    return this.#entries.length - sizeBefore;
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

/** V8 one-byte strings: ~16 bytes of header plus one per character; ~120 for the object and array. */
function approximateBytes(product: Product | CachedProduct): number {
  const strings = [product.id, product.name, product.description, product.picture, ...product.categories];
  return 120 + strings.reduce((sum, s) => sum + 16 + s.length, 0);
}

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
