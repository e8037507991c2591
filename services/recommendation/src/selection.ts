export const MAX_RECOMMENDATIONS = 5;

export interface Selection {
  /** Distinct candidates the shopper did not ask about. */
  filtered: string[];
  /** At most MAX_RECOMMENDATIONS of them, in random order. */
  recommended: string[];
}

/**
 * Candidates minus the requested ids (duplicates collapse), then a uniform
 * random sample without replacement.
 */
export function selectRecommendations(
  candidates: Iterable<string>,
  requested: readonly string[],
  random: () => number = Math.random,
  max = MAX_RECOMMENDATIONS,
): Selection {
  const excluded = new Set(requested);
  const filtered = [...new Set(candidates)].filter((id) => !excluded.has(id));
  return { filtered, recommended: sample(filtered, Math.min(max, filtered.length), random) };
}

/** Partial Fisher–Yates on a copy: the first `count` slots end up a uniform sample. */
function sample<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}
