import { BAGGAGE } from '@astroshop/telemetry';
import { SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Browser } from 'playwright-core';
import { defaultRng, type Rng, sleep, thinkTimeMs } from './random.ts';
import type { Stats } from './stats.ts';

// Optional browser users (off unless LOADGEN_BROWSER_USERS > 0): a real
// Chromium drives the shop's pages, so the browser-side telemetry and the
// image fault (imageSlowLoad) get exercised like a person would.

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserUserDeps {
  base: URL;
  stats: Stats;
  chromiumPath: string;
  thinkMinMs: number;
  thinkMaxMs: number;
  rng?: Rng;
  tracer?: Tracer;
  /** Bound for every page action, so a stuck page never blocks the loop. */
  actionTimeoutMs?: number;
}

let shared: Promise<Browser> | undefined;

async function browser(chromiumPath: string): Promise<Browser> {
  if (!shared) {
    const { chromium } = await import('playwright-core');
    // Playwright adds --headless itself for headless: true.
    shared = chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    shared.catch(() => {
      shared = undefined;
    });
  }
  return shared;
}

export async function closeBrowser(): Promise<void> {
  const pending = shared;
  shared = undefined;
  if (pending) await (await pending.catch(() => undefined))?.close().catch(() => undefined);
}

/** One browser user: 50/50 change currency to CHF on /cart, or add Roof Binoculars to the cart (spec §6.1). */
export async function runBrowserUser(deps: BrowserUserDeps, signal: AbortSignal): Promise<void> {
  const rng = deps.rng ?? defaultRng;
  const tracer = deps.tracer ?? trace.getTracer('load-generator');
  const timeout = deps.actionTimeoutMs ?? 25_000;
  const b = await browser(deps.chromiumPath);
  const context = await b.newContext({
    baseURL: deps.base.href,
    extraHTTPHeaders: { baggage: `${BAGGAGE.syntheticRequest}=true` },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const onAbort = () => void context.close().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    while (!signal.aborted) {
      const changeCurrency = rng() < 0.5;
      const name = changeCurrency ? 'browser_change_currency' : 'browser_add_to_cart';
      const started = performance.now();
      let error: string | undefined;
      await tracer.startActiveSpan(name, async (span) => {
        try {
          if (changeCurrency) {
            await page.goto('/cart');
            await page.selectOption('[name="currency_code"]', 'CHF');
            await page.waitForTimeout(2000);
          } else {
            const image = page.waitForResponse(
              (r) => r.url().includes('/images/products/RoofBinoculars.jpg'),
              {
                timeout,
              },
            );
            await page.goto('/');
            await image.catch(() => undefined);
            await page.click('a[href="/product/2ZYFJ3GM2N"]');
            await page.click('[data-cy="product-add-to-cart"]');
            await page.waitForTimeout(2000);
          }
        } catch (err) {
          if (!signal.aborted) {
            error = (err as Error).message.split('\n')[0];
            span.recordException(err as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: error });
          }
        } finally {
          span.end();
        }
      });
      if (signal.aborted) break;
      deps.stats.record('BROWSER', name, performance.now() - started, error);
      await sleep(thinkTimeMs(deps.thinkMinMs, deps.thinkMaxMs, rng), signal);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await context.close().catch(() => undefined);
  }
}
