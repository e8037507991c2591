/**
 * Sane bounds of every numeric flag (inclusive), in the unit its consumer
 * reads. flagd-ui refuses a flag file with a variant outside them, and
 * numberFlag clamps what it evaluates into them, so neither a UI write nor a
 * hand-edited file (kafkaQueueProblems = 1e9) can take a service down.
 */
export const NUMBER_FLAG_BOUNDS: Readonly<Record<string, readonly [min: number, max: number]>> = {
  cartFailure: [0, 1], // probability
  paymentFailure: [0, 1], // probability
  emailMemoryLeak: [0, 10_000], // padding multiplier
  imageSlowLoad: [0, 30_000], // ms
  intlShippingSlowdown: [0, 60], // s
  kafkaQueueProblems: [0, 1000], // extra copies per order
  loadGeneratorFloodHomepage: [0, 1000], // requests per iteration
  loadGeneratorTraffic: [0, 1], // on/off as a number
  loadGeneratorVUs: [0, 500], // virtual users
};

/** `value` clamped into the flag's bounds (unchanged for a flag without bounds). */
export function clampFlag(key: string, value: number): number {
  const bounds = Object.hasOwn(NUMBER_FLAG_BOUNDS, key) ? NUMBER_FLAG_BOUNDS[key] : undefined;
  return bounds ? Math.min(bounds[1], Math.max(bounds[0], value)) : value;
}
