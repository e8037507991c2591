import type { z } from 'zod';
import { invalidArgument } from './errors.ts';

/**
 * Validates a decoded request (an HTTP JSON body, say) against a zod schema.
 * Every problem is named by its path, so a 400 says exactly what to fix:
 * `items.0.quantity: expected a non-negative integer, got "2"`.
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.output<S> {
  if (value === undefined || value === null) throw invalidArgument(`${what} is required (a JSON object)`);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw invalidArgument(`invalid ${what}: ${problems.join('; ')}`);
}
