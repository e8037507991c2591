import { launchChromium } from '../lib/browser.ts';
import { SHOP_URL } from './driver.ts';

export interface ImageLoad {
  /** What the storefront served the page as imageSlowLoad (GET /api/flags), ms. */
  servedDelayMs: number | undefined;
  /** From the browser sending the first product image request to its response, ms. */
  imageMs: number;
  status: number;
}

/**
 * Opens the home page in Chromium and times the first product image, so the
 * imageSlowLoad check goes the shopper's way: the storefront evaluates the
 * flag, the page asks the proxy for a delayed image, the proxy waits. Nothing
 * here sets the fault header.
 */
export async function homePageImageLoad(timeoutMs = 40_000): Promise<ImageLoad> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const sent = new Map<string, number>();
    page.on('request', (request) => {
      if (request.url().includes('/images/products/')) sent.set(request.url(), performance.now());
    });
    const flags = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/flags', {
      timeout: timeoutMs,
    });
    const image = page.waitForResponse((r) => r.url().includes('/images/products/'), { timeout: timeoutMs });
    await page.goto(`${SHOP_URL}/`, { timeout: timeoutMs });
    const flagBody = (await (await flags).json().catch(() => ({}))) as { imageSlowLoad?: unknown };
    const response = await image;
    const started = sent.get(response.url());
    if (started === undefined) throw new Error(`no request seen for ${response.url()}`);
    return {
      servedDelayMs: typeof flagBody.imageSlowLoad === 'number' ? flagBody.imageSlowLoad : undefined,
      imageMs: performance.now() - started,
      status: response.status(),
    };
  } finally {
    await browser.close();
  }
}
