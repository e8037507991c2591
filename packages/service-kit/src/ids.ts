import { invalidArgument } from './errors.ts';

// Catalog ids are short upper-case codes (OLJCESPC7Z); the charset is kept a
// little wider than that so test fixtures and future ids still pass, but narrow
// enough that an id is safe in logs, span attributes and Redis keys.
const PRODUCT_ID = /^[A-Za-z0-9_-]+$/;
export const MAX_PRODUCT_ID_LENGTH = 64;

/** Returns the id, or throws INVALID_ARGUMENT saying what is wrong with it. */
export function requireProductId(id: string | undefined, field = 'product_id'): string {
  if (!id) throw invalidArgument(`${field} is required`);
  if (id.length > MAX_PRODUCT_ID_LENGTH)
    throw invalidArgument(`${field} must be at most ${MAX_PRODUCT_ID_LENGTH} characters, got ${id.length}`);
  if (!PRODUCT_ID.test(id))
    throw invalidArgument(
      `${field} may contain only letters, digits, "_" and "-", got ${JSON.stringify(id)}`,
    );
  return id;
}
