/**
 * A card number as it may leave the process: the last four digits in the
 * collector's masked form (`****-****-****-0454`), whatever separators or
 * whitespace the user typed. Anything with fewer than 12 digits is not a card
 * number and is masked whole. The CVV has no masked form: never record it.
 */
export function maskCardNumber(number: string | undefined): string {
  const digits = (number ?? '').replace(/\D/g, '');
  return digits.length >= 12 ? `****-****-****-${digits.slice(-4)}` : '****';
}
