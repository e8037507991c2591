const DOMESTIC = new Set(['US', 'USA', 'UNITED STATES', 'UNITED STATES OF AMERICA']);

/** US spellings (trimmed, any case) are domestic; so is an order without a country. */
export function isDomestic(country: string | undefined): boolean {
  const normalised = (country ?? '').trim().toUpperCase();
  return normalised === '' || DOMESTIC.has(normalised);
}
