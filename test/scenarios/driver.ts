// A small bounded driver for the verifier: timed HTTP calls against the real
// shop and the few backends a symptom is easiest to provoke on directly.

export const SHOP_URL = process.env.SHOP_URL ?? 'http://127.0.0.1:8080';
export const LOADGEN_URL = process.env.LOADGEN_URL ?? 'http://127.0.0.1:8089';
export const OFREP_URL = process.env.OFREP_URL ?? 'http://127.0.0.1:8016';
export const EMAIL_URL = process.env.EMAIL_URL ?? 'http://127.0.0.1:6060';
export const SHIPPING_URL = process.env.SHIPPING_URL ?? 'http://127.0.0.1:50050';
export const CART_ADDR = process.env.CART_GRPC ?? '127.0.0.1:7070';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Timed {
  status: number;
  ok: boolean;
  ms: number;
  body: unknown;
  error?: string;
}

const SYNTHETIC = { baggage: 'synthetic_request=true,session.id=scenario-verifier' };

/** One HTTP call with a deadline; never throws (network errors become status 0). */
export async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        ...SYNTHETIC,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, ok: response.ok, ms: performance.now() - started, body };
  } catch (error) {
    const e = error as { message?: string; cause?: { code?: string } };
    return {
      status: 0,
      ok: false,
      ms: performance.now() - started,
      body: undefined,
      error: e.cause?.code ?? e.message,
    };
  }
}

export const shop = (path: string, init?: Parameters<typeof call>[1]) => call(`${SHOP_URL}${path}`, init);

/** Runs `fn` `total` times with `concurrency` workers; bounded by `deadlineMs` too. */
export async function repeat<T>(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<T>,
  deadlineMs = 60_000,
) {
  const results: T[] = [];
  const deadline = Date.now() + deadlineMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total && Date.now() < deadline) {
        const i = next++;
        results.push(await fn(i));
      }
    }),
  );
  return results;
}

/** Polls `probe` every `intervalMs` until it returns a value or `timeoutMs` passes (then undefined). */
export async function within<T>(timeoutMs: number, intervalMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(intervalMs);
  }
  return undefined;
}

/** The value flagd serves for `key` (OFREP), or undefined when flagd is away. */
export async function ofrepValue(key: string, context: Record<string, string> = {}): Promise<unknown> {
  const res = await call(`${OFREP_URL}/ofrep/v1/evaluate/flags/${key}`, {
    method: 'POST',
    body: { context },
    timeoutMs: 2000,
  });
  return res.ok ? (res.body as { value?: unknown }).value : undefined;
}

/** Waits until flagd serves `expected` for `key`, so a symptom is not checked before the flag is live. */
export async function waitForFlag(
  key: string,
  expected: unknown,
  context: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<boolean> {
  const live = await within(timeoutMs, 300, async () =>
    (await ofrepValue(key, context)) === expected ? true : undefined,
  );
  return live ?? false;
}

/** Re-runs a deterministic check until it passes or `timeoutMs` passes; returns the last measure. */
export async function untilPass<M extends { pass: boolean }>(
  timeoutMs: number,
  check: () => Promise<M>,
): Promise<M> {
  const deadline = Date.now() + timeoutMs;
  let last = await check();
  while (!last.pass && Date.now() < deadline) {
    await sleep(1000);
    last = await check();
  }
  return last;
}

export const PERSON = {
  email: 'scenario@example.com',
  address: {
    streetAddress: '1 Verifier Way',
    zipCode: '94043',
    city: 'Mountain View',
    state: 'CA',
    country: 'United States',
  },
  userCurrency: 'USD',
  creditCard: {
    creditCardNumber: '4111111111111111',
    creditCardExpirationMonth: 1,
    creditCardExpirationYear: 2031,
    creditCardCvv: 123,
  },
};

/** Adds one item and places the order through the frontend, as a shopper does. */
export async function checkoutOnce(): Promise<Timed> {
  const userId = crypto.randomUUID();
  const add = await shop('/api/cart', {
    method: 'POST',
    body: { userId, item: { productId: '66VCHSJNUP', quantity: 1 } },
  });
  if (!add.ok) return add;
  return shop('/api/checkout', { method: 'POST', body: { ...PERSON, userId } });
}

export const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
