import { invalidArgument } from '@astroshop/service-kit';

/** Enough for any real page (one product plus a cart), small enough to bound the work. */
export const MAX_REQUESTED_IDS = 500;
export const MAX_ID_LENGTH = 64;
const MAX_RAW_ENTRIES = MAX_REQUESTED_IDS * (MAX_ID_LENGTH + 1);

/**
 * The requested product ids, whatever shape the caller used:
 * - a proper list: `["OLJCESPC7Z", "66VCHSJNUP"]`;
 * - the original frontend's per-character list (it passed a comma-joined string
 *   where an array was expected, so every character became an entry):
 *   `["O","L",...,",","6",...]`;
 * - comma-joined entries: `["OLJCESPC7Z,66VCHSJNUP"]`.
 * A list made only of single characters is read as the per-character shape (real
 * ids are longer than one character). Blank ids are dropped; duplicates kept.
 */
export function normalizeRequestedIds(raw: readonly string[]): string[] {
  if (raw.length > MAX_RAW_ENTRIES) {
    throw invalidArgument(`too many product_ids entries: ${raw.length} (at most ${MAX_RAW_ENTRIES})`);
  }
  const perCharacter = raw.length > 1 && raw.every((entry) => entry.length <= 1);
  const pieces = perCharacter ? raw.join('').split(',') : raw.flatMap((entry) => entry.split(','));
  const ids = pieces.map((id) => id.trim()).filter((id) => id.length > 0);

  if (ids.length > MAX_REQUESTED_IDS) {
    throw invalidArgument(`too many product ids: ${ids.length} (at most ${MAX_REQUESTED_IDS})`);
  }
  const tooLong = ids.find((id) => id.length > MAX_ID_LENGTH);
  if (tooLong !== undefined) {
    throw invalidArgument(
      `product id ${JSON.stringify(tooLong.slice(0, 80))}… is longer than ${MAX_ID_LENGTH} characters`,
    );
  }
  return ids;
}
