import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, or less if `signal` aborts first; never rejects. Every wait in
 * the shop that a shutdown must be able to cut short goes through here.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
