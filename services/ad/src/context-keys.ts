import { invalidArgument } from '@astroshop/service-kit';

export const MAX_CONTEXT_KEYS = 20;
export const MAX_CONTEXT_KEY_LENGTH = 64;

/** Context keys are product categories; anything far beyond that is a caller bug. */
export function validateContextKeys(keys: readonly string[]): string[] {
  if (keys.length > MAX_CONTEXT_KEYS) {
    throw invalidArgument(`too many context_keys: ${keys.length} (at most ${MAX_CONTEXT_KEYS})`);
  }
  const tooLong = keys.find((key) => key.length > MAX_CONTEXT_KEY_LENGTH);
  if (tooLong !== undefined) {
    throw invalidArgument(
      `context key ${JSON.stringify(tooLong.slice(0, 80))}… is longer than ${MAX_CONTEXT_KEY_LENGTH} characters`,
    );
  }
  return [...keys];
}

/** The original's (Java) list rendering, e.g. `[telescopes, travel]`, kept for dashboards. */
export const formatContextKeys = (keys: readonly string[]): string => `[${keys.join(', ')}]`;
