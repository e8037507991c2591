// The original's HTTP hops (shipping, quote, email) speak snake_case JSON of
// the proto messages (spec §1.3). ts-proto's fromJSON already accepts both
// spellings; these helpers produce the snake_case form.

const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Deep copy with every object key turned from camelCase into snake_case. */
export function toSnakeCaseJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCaseJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [toSnake(k), toSnakeCaseJson(v)]));
  }
  return value;
}
