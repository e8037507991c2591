import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses this service's environment once, against its zod schema. Every
 * problem is listed in one message so a bad deployment fails fast and clearly.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(env)';
    return `  - ${key}: ${issue.message}${key in env ? ` (got ${JSON.stringify(env[key])})` : ''}`;
  });
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** Common env fields, composed into each service's schema. */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** `host:port`, tolerating an http:// prefix (the original's .env mixes both). */
export const grpcAddress = z
  .string()
  .min(1)
  .transform((v) => v.replace(/^https?:\/\//, ''))
  .refine((v) => /^[^:/\s]+:\d+$/.test(v), { message: 'expected host:port' });

/** An http(s) base URL without trailing slash. */
export const httpAddress = z
  .string()
  .min(1)
  .transform((v) => (/^https?:\/\//.test(v) ? v : `http://${v}`).replace(/\/+$/, ''))
  .refine((v) => URL.canParse(v), { message: 'expected a URL such as http://host:port' });

export const listenHost = z.string().min(1).default('0.0.0.0');
