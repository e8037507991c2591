import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketOf, csvField, ResponseTimes, SlidingRate, Stats } from '../src/stats.ts';

test('percentiles are nearest-rank over the recorded times', () => {
  const times = new ResponseTimes();
  for (let ms = 1; ms <= 100; ms++) times.record(ms === 100 ? 99.6 : ms);
  assert.equal(times.count, 100);
  assert.equal(times.percentile(0.5), 50);
  assert.equal(times.percentile(0.95), 95);
  assert.equal(times.percentile(1), 100);
  assert.equal(new ResponseTimes().percentile(0.5), 0);
});

test('a slow tail moves p95 but not the median', () => {
  const times = new ResponseTimes();
  for (let i = 0; i < 90; i++) times.record(20);
  for (let i = 0; i < 10; i++) times.record(5000);
  assert.equal(times.percentile(0.5), 20);
  assert.equal(times.percentile(0.95), 5000);
  assert.equal(times.maximum, 5000);
});

test('response times are rounded into bounded buckets', () => {
  assert.equal(bucketOf(42.4), 42);
  assert.equal(bucketOf(123), 120);
  assert.equal(bucketOf(1234), 1200);
  assert.equal(bucketOf(-3), 0);
});

test('RPS is averaged over the last whole seconds of the window', () => {
  const rate = new SlidingRate(10);
  let now = 1_000_000;
  for (let s = 0; s < 10; s++) {
    for (let i = 0; i < 5; i++) rate.add(now + s * 1000);
  }
  now += 10_000; // the 10 seconds above are complete
  assert.equal(rate.rate(now), 5);
  // 20 s later they have slid out of the window.
  assert.equal(rate.rate(now + 20_000), 0);
});

test('stats group by method and name, count failures and aggregate', () => {
  let now = 5_000_000;
  const stats = new Stats({ now: () => now });
  stats.record('GET', '/api/products/[id]', 10);
  stats.record('GET', '/api/products/[id]', 30);
  stats.record('POST', '/api/checkout', 200, 'HTTP 500: payment failed');
  stats.record('POST', '/api/checkout', 220, 'HTTP 500: payment failed');
  now += 1000;
  const rows = stats.rows();
  assert.deepEqual(
    rows.map((r) => [r.method, r.name, r.count, r.failures]),
    [
      ['POST', '/api/checkout', 2, 2],
      ['GET', '/api/products/[id]', 2, 0],
    ],
  );
  const agg = stats.aggregated();
  assert.equal(agg.count, 4);
  assert.equal(agg.failures, 2);
  assert.equal(agg.rps, 0.4);
  assert.deepEqual(
    stats.failureList().map((f) => [f.name, f.error, f.occurrences]),
    [['/api/checkout', 'HTTP 500: payment failed', 2]],
  );
  const csv = stats.toCsv().trim().split('\n');
  assert.equal(csv.length, 4);
  assert.match(csv[3] ?? '', /^,Aggregated,4,2,/);
  stats.reset();
  assert.equal(stats.aggregated().count, 0);
  assert.equal(stats.failureList().length, 0);
});

test('distinct failure kinds are capped', () => {
  const stats = new Stats({ maxFailureKinds: 3 });
  for (let i = 0; i < 50; i++) stats.record('GET', '/', 1, `HTTP 500: order ${i}`);
  const list = stats.failureList();
  assert.equal(list.length, 4);
  assert.equal(list[0]?.occurrences, 47);
});

test('chart history is a bounded ring', () => {
  const stats = new Stats({ historyPoints: 5 });
  for (let i = 0; i < 12; i++) stats.snapshot(i);
  const history = stats.historyPointsList();
  assert.equal(history.length, 5);
  assert.deepEqual(
    history.map((p) => p.users),
    [7, 8, 9, 10, 11],
  );
});

test('CSV fields are quoted and formula-safe', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=cmd()'), "'=cmd()");
  assert.equal(csvField(-3), '-3');
});
