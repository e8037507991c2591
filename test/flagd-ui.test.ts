// flagd-ui in a real browser, through the proxy's /feature prefix: flip a flag
// in the dashboard, see flagd (OFREP) serve the new value, flip it back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { eventually } from './lib/backends.ts';
import { launchChromium } from './lib/browser.ts';

const PROXY = process.env.PROXY_URL ?? 'http://127.0.0.1:8080';
const OFREP = process.env.OFREP_URL ?? 'http://127.0.0.1:8016';
const FLAG = 'imageSlowLoad'; // only delays product images in browsers: harmless to flip

async function ofrepValue(key: string): Promise<unknown> {
  const res = await fetch(`${OFREP}/ofrep/v1/evaluate/flags/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: 'flagd-ui-test' } }),
  });
  if (!res.ok) throw new Error(`OFREP ${res.status}`);
  return ((await res.json()) as { value: unknown }).value;
}

async function currentVariant(key: string): Promise<string> {
  const res = await fetch(`${PROXY}/feature/api/read`);
  const { flags } = (await res.json()) as { flags: Record<string, { defaultVariant: string }> };
  return flags[key]?.defaultVariant as string;
}

describe('flagd-ui (browser, stack)', () => {
  let browser: Browser;
  let original: string;

  before(async () => {
    original = await currentVariant(FLAG);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    // Whatever happened above, leave the shared stack's flag as we found it.
    if (original && (await currentVariant(FLAG)) !== original) {
      await fetch(`${PROXY}/feature/api/flags/${FLAG}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ variant: original }),
      });
    }
  });

  async function flipInUi(variant: string): Promise<void> {
    const page = await browser.newPage();
    try {
      await page.goto(`${PROXY}/feature`, { waitUntil: 'domcontentloaded' });
      const card = page.locator(`section[data-flag="${FLAG}"]`);
      await card.locator('select').selectOption(variant);
      await card.locator('.status.ok').waitFor({ timeout: 10_000 });
      assert.match((await card.locator('.status').textContent()) ?? '', new RegExp(`saved: ${variant}`));
    } finally {
      await page.close();
    }
  }

  it('lists every flag and links the advanced view under /feature', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${PROXY}/feature/`);
      const flags = await page.locator('section[data-flag]').count();
      assert.ok(flags >= 15, `only ${flags} flags listed`);
      await page.getByRole('link', { name: 'Advanced (JSON)' }).click();
      await page.waitForURL(`${PROXY}/feature/advanced`);
      assert.match(await page.locator('textarea').inputValue(), /"imageSlowLoad"/);
    } finally {
      await page.close();
    }
  });

  it(`flipping ${FLAG} in the UI changes what flagd serves within 10 s, and back`, async () => {
    const target = original === '5sec' ? '10sec' : '5sec';
    const expected = target === '5sec' ? 5000 : 10000;
    await flipInUi(target);
    await eventually(
      `flagd to serve ${FLAG}=${expected}`,
      async () => ((await ofrepValue(FLAG)) === expected ? true : undefined),
      10_000,
      250,
    );
    await flipInUi(original);
    const restored = await currentVariant(FLAG);
    assert.equal(restored, original);
    await eventually(
      `flagd to serve ${FLAG} restored`,
      async () => ((await ofrepValue(FLAG)) !== expected ? true : undefined),
      10_000,
      250,
    );
  });

  it('shows validation errors inline in the advanced editor and writes nothing', async () => {
    const before = await (await fetch(`${PROXY}/feature/api/read`)).text();
    const page = await browser.newPage();
    try {
      await page.goto(`${PROXY}/feature/advanced`);
      const textarea = page.locator('textarea');
      const json = await textarea.inputValue();
      await textarea.fill(json.replace('"defaultVariant": "off"', '"defaultVariant": "sometimes"'));
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('ul.errors li').first().waitFor();
      assert.match((await page.locator('ul.errors').textContent()) ?? '', /"sometimes" is not one of/);
      await textarea.fill('{ not json');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('ul.errors li', { hasText: 'JSON syntax:' }).waitFor();
    } finally {
      await page.close();
    }
    assert.equal(await (await fetch(`${PROXY}/feature/api/read`)).text(), before);
  });
});
