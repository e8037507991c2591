import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pick, sleep, thinkTimeMs, weightedChoice } from '../src/random.ts';
import { AD_CATEGORIES, PRODUCT_IDS, TASKS } from '../src/tasks.ts';
import { seeded } from './helpers.ts';

test('the task mix has the original weights (spec §6.1, total 29)', () => {
  const weights = Object.fromEntries(TASKS.map((t) => [t.name, t.weight]));
  assert.deepEqual(weights, {
    index: 1,
    browseProduct: 10,
    getRecommendations: 3,
    getAds: 3,
    viewCart: 3,
    addToCart: 2,
    checkout: 1,
    checkoutMulti: 1,
    floodHome: 5,
  });
  assert.deepEqual(
    TASKS.map((t) => t.span),
    [
      'user_index',
      'user_browse_product',
      'user_get_recommendations',
      'user_get_ads',
      'user_view_cart',
      'user_add_to_cart',
      'user_checkout_single',
      'user_checkout_multi',
      'user_flood_home',
    ],
  );
});

test('weighted choice picks each task in proportion to its weight', () => {
  const rng = seeded(42);
  const n = 58_000;
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const t = weightedChoice(TASKS, rng);
    counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  }
  for (const t of TASKS) {
    const expected = t.weight / 29;
    const share = (counts.get(t.name) ?? 0) / n;
    // ~5 standard deviations of a binomial share at this n.
    const tolerance = 5 * Math.sqrt((expected * (1 - expected)) / n);
    assert.ok(
      Math.abs(share - expected) < tolerance,
      `${t.name}: share ${share.toFixed(4)} vs ${expected.toFixed(4)}`,
    );
  }
});

test('weighted choice maps the unit interval onto cumulative weights', () => {
  const items = [
    { id: 'a', weight: 1 },
    { id: 'zero', weight: 0 },
    { id: 'b', weight: 3 },
  ];
  assert.equal(weightedChoice(items, () => 0).id, 'a');
  assert.equal(weightedChoice(items, () => 0.2499).id, 'a');
  assert.equal(weightedChoice(items, () => 0.25).id, 'b');
  assert.equal(weightedChoice(items, () => 0.999999).id, 'b');
  assert.throws(() => weightedChoice([], () => 0), /positive weight/);
  assert.throws(() => weightedChoice([{ weight: 0 }], () => 0), /positive weight/);
});

test('think time stays within 1–10 s and covers the range', () => {
  const rng = seeded(7);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < 10_000; i++) {
    const ms = thinkTimeMs(1000, 10_000, rng);
    assert.ok(ms >= 1000 && ms <= 10_000, `out of bounds: ${ms}`);
    min = Math.min(min, ms);
    max = Math.max(max, ms);
  }
  assert.ok(min < 1100 && max > 9900, `range not covered: ${min}..${max}`);
  assert.equal(
    thinkTimeMs(1000, 10_000, () => 0),
    1000,
  );
  // Swapped bounds are still honoured rather than producing negative sleeps.
  assert.equal(
    thinkTimeMs(5000, 2000, () => 0),
    2000,
  );
});

test('pick covers every product id and ad category', () => {
  const rng = seeded(3);
  const seen = new Set<string | null>();
  for (let i = 0; i < 2000; i++) {
    seen.add(pick(PRODUCT_IDS, rng));
    seen.add(pick(AD_CATEGORIES, rng));
  }
  assert.equal(seen.size, PRODUCT_IDS.length + AD_CATEGORIES.length);
});

test('sleep ends early when aborted', async (t) => {
  // Mocked timers never fire on their own: the sleep can only end through the abort.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const controller = new AbortController();
  let ended = false;
  const sleeping = sleep(10_000, controller.signal).then(() => {
    ended = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(ended, false, 'ended before the abort');
  controller.abort();
  await sleeping;
  assert.equal(ended, true);
});
