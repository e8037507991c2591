/** A positive integer from the env, else `fallback` (ports and sizes from .env). */
export const num = (env: Record<string, string>, key: string, fallback: number): number => {
  const v = Number(env[key]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
