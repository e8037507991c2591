import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShopClient } from '../src/client.ts';
import { StaticFlags } from '../src/flags.ts';
import { loadPeople } from '../src/people.ts';
import { sleep } from '../src/random.ts';
import { Runner } from '../src/runner.ts';
import { Stats } from '../src/stats.ts';
import { MAX_FLOOD, TASKS } from '../src/tasks.ts';
import { runHttpUser, UserPool } from '../src/users.ts';
import { fakeShop, seeded, until } from './helpers.ts';

/** A user that just waits to be stopped, counting how many ran and stopped. */
function idleUsers() {
  const live = new Set<number>();
  let stopped = 0;
  const fn = async (signal: AbortSignal, index: number) => {
    live.add(index);
    await sleep(60_000, signal);
    live.delete(index);
    stopped += 1;
  };
  return { fn, live, stopped: () => stopped };
}

test('the pool spawns at the spawn rate and shrinks at once', async () => {
  const users = idleUsers();
  const pool = new UserPool(users.fn);
  pool.setUsers(4, 50); // one immediately, then one every 20 ms
  assert.equal(pool.count, 1);
  await until('the pool to reach 4 users', () => pool.count === 4);
  assert.equal(pool.count, 4);
  await until('4 users running', () => users.live.size === 4);
  pool.setUsers(1);
  assert.equal(pool.count, 1);
  await until('the 3 removed users to stop', () => users.live.size === 1);
  assert.equal(users.stopped(), 3);
  await pool.stopAll();
  assert.equal(pool.count, 0);
  assert.equal(users.live.size, 0);
  assert.throws(() => pool.setUsers(-1), RangeError);
});

test('a change of loadGeneratorVUs re-targets the running users; an unchanged value does not', async () => {
  const users = idleUsers();
  const flags = new StaticFlags({ loadGeneratorVUs: 5 });
  const runner = new Runner({ stats: new Stats(), flags, httpUser: users.fn, flagPollMs: 60_000 });
  try {
    runner.startFlagPolling(5);
    runner.start(2, 100); // LOADGEN_USERS=2 wins at start
    await until('2 users', () => runner.users === 2);
    await runner.pollFlag(); // still 5: nothing changes
    assert.equal(runner.http.target, 2);
    flags.values.loadGeneratorVUs = 10;
    await runner.pollFlag();
    assert.equal(runner.http.target, 10);
    await until('10 users', () => runner.users === 10);
    flags.values.loadGeneratorVUs = 3;
    await runner.pollFlag();
    assert.equal(runner.users, 3);
    await runner.stop();
    assert.equal(runner.state, 'stopped');
    flags.values.loadGeneratorVUs = 25;
    await runner.pollFlag(); // stopped: a flag change does not restart the load
    assert.equal(runner.users, 0);
  } finally {
    await runner.close();
  }
});

test('with loadGeneratorTraffic=0 a user only sleeps', async () => {
  const shop = await fakeShop();
  try {
    const stats = new Stats();
    const client = new ShopClient({ base: shop.base, stats, timeoutMs: 1000 });
    const controller = new AbortController();
    const done = runHttpUser(
      {
        client,
        flags: new StaticFlags({ loadGeneratorTraffic: 0 }),
        people: loadPeople(),
        thinkMinMs: 5,
        thinkMaxMs: 10,
      },
      controller.signal,
    );
    await sleep(100);
    controller.abort();
    await done;
    assert.equal(shop.seen.length, 0);
  } finally {
    await shop.close();
  }
});

test('a user starts its session with GET / and then runs weighted tasks with one session id', async () => {
  const shop = await fakeShop((req) => ({
    status: 200,
    body: req.url.startsWith('/api/checkout') ? { orderId: 'o' } : {},
  }));
  try {
    const stats = new Stats();
    const client = new ShopClient({ base: shop.base, stats, timeoutMs: 1000 });
    const controller = new AbortController();
    const done = runHttpUser(
      {
        client,
        flags: new StaticFlags({ loadGeneratorTraffic: 1 }),
        people: loadPeople(),
        thinkMinMs: 1,
        thinkMaxMs: 2,
        rng: seeded(1),
      },
      controller.signal,
    );
    await until('more than 10 requests', () => shop.seen.length > 10);
    controller.abort();
    await done;
    assert.equal(shop.seen[0]?.url, '/');
    const sessions = new Set(shop.seen.map((r) => r.headers.baggage));
    assert.equal(sessions.size, 1);
    const paths = shop.seen.map((r) => r.url.split('?')[0]);
    assert.ok(paths.some((p) => p?.startsWith('/api/products/')));
    const checkout = shop.seen.find((r) => r.url === '/api/checkout');
    if (checkout) {
      const body = JSON.parse(checkout.body);
      assert.ok(body.userId && body.email && body.creditCard?.creditCardNumber);
    }
  } finally {
    await shop.close();
  }
});

test('floodHome sends loadGeneratorFloodHomepage GETs of /, capped', async () => {
  const shop = await fakeShop();
  const flood = TASKS.find((t) => t.name === 'floodHome')!;
  const attrs: Record<string, unknown> = {};
  const span = { setAttribute: (k: string, v: unknown) => (attrs[k] = v) } as never;
  try {
    const client = new ShopClient({ base: shop.base, stats: new Stats(), timeoutMs: 1000 });
    const ctx = {
      client,
      sessionId: 's',
      rng: seeded(2),
      people: loadPeople(),
      signal: new AbortController().signal,
      flags: new StaticFlags({ loadGeneratorFloodHomepage: 7 }),
    };
    await flood.run(ctx, span);
    assert.equal(shop.seen.length, 7);
    assert.ok(shop.seen.every((r) => r.url === '/' && r.method === 'GET'));
    assert.equal(attrs['flood.count'], 7);
    shop.seen.length = 0;
    await flood.run({ ...ctx, flags: new StaticFlags({}) }, span);
    assert.equal(shop.seen.length, 0, 'flag missing -> no flood');
    assert.equal(MAX_FLOOD, 1000);
  } finally {
    await shop.close();
  }
});

test('people.json has 9 people with Luhn-valid VISA/MasterCard numbers and future expiry', () => {
  const people = loadPeople();
  assert.equal(people.length, 9);
  assert.equal(people.filter((p) => p.address.country === 'United States').length, 8);
  const luhn = (n: string) =>
    [...n].reverse().reduce((sum, ch, i) => {
      let d = Number(ch);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      return sum + d;
    }, 0) %
      10 ===
    0;
  const now = new Date();
  for (const p of people) {
    const card = p.creditCard.creditCardNumber;
    assert.ok(luhn(card), `${card} fails Luhn`);
    assert.match(card, /^(4\d{15}|5[1-5]\d{14}|(222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)\d{12})$/);
    const exp = p.creditCard.creditCardExpirationYear * 12 + p.creditCard.creditCardExpirationMonth;
    assert.ok(exp > now.getFullYear() * 12 + now.getMonth() + 1);
    assert.ok(['USD', 'CAD'].includes(p.userCurrency));
  }
});
