// Envoy's fault filter, header-controlled delay only (what imageSlowLoad uses):
// a request carrying `x-envoy-fault-delay-request: <ms>` waits that long
// before it is forwarded. Like Envoy, an unparsable header means no fault and
// beyond `maxActive` concurrent faults new requests pass undelayed.
import { sleep } from '@astroshop/service-kit';

export const FAULT_DELAY_HEADER = 'x-envoy-fault-delay-request';

/** The delay asked for, clamped to `maxMs`; undefined when absent, invalid or 0. */
export function requestedDelay(value: string | string[] | undefined, maxMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms <= 0) return undefined;
  return Math.min(ms, maxMs);
}

export interface FaultOptions {
  maxActive: number;
  maxDelayMs: number;
  /** How a delay is waited out; tests pass one they release themselves (no clock in assertions). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class FaultInjector {
  readonly maxActive: number;
  readonly maxDelayMs: number;
  readonly #wait: NonNullable<FaultOptions['wait']>;
  #active = 0;

  constructor(options: FaultOptions) {
    this.maxActive = options.maxActive;
    this.maxDelayMs = options.maxDelayMs;
    this.#wait = options.wait ?? sleep;
  }

  get active(): number {
    return this.#active;
  }

  /**
   * Waits the requested delay (if any and a fault slot is free). Resolves to
   * the delay applied (0 = none). `signal` aborts the wait early when the
   * client goes away, so abandoned requests do not hold a slot.
   */
  async delay(headerValue: string | string[] | undefined, signal?: AbortSignal): Promise<number> {
    const ms = requestedDelay(headerValue, this.maxDelayMs);
    if (ms === undefined || this.#active >= this.maxActive) return 0;
    this.#active++;
    try {
      await this.#wait(ms, signal);
      return ms;
    } finally {
      this.#active--;
    }
  }
}
