// Smoke tests of the native backends started by `make start` (or
// `scripts/devstack/src/cli.ts start --only backends`): each one answers on
// its native address with what the shop relies on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { eventually, PROMETHEUS_URL, promQuery } from './lib/backends.ts';

const repoRoot = join(import.meta.dirname, '..');
const flagsFile = JSON.parse(readFileSync(join(repoRoot, 'flagd/demo.flagd.json'), 'utf8')) as {
  flags: Record<string, { variants: Record<string, unknown>; defaultVariant: string }>;
};

const OFREP = process.env.FLAGD_OFREP_URL ?? 'http://127.0.0.1:8016';
const JAEGER = process.env.JAEGER_URL ?? 'http://127.0.0.1:16686/jaeger/ui';

describe('flagd (OFREP)', () => {
  const expected: Record<string, unknown> = {
    adFailure: false,
    adHighCpu: false,
    adManualGc: false,
    cartFailure: 0,
    emailMemoryLeak: 0,
    failedReadinessProbe: false,
    imageSlowLoad: 0,
    intlShippingSlowdown: 0,
    kafkaQueueProblems: 0,
    loadGeneratorFloodHomepage: 0,
    loadGeneratorTraffic: 1,
    loadGeneratorVUs: 5,
    paymentFailure: 0,
    paymentUnreachable: false,
    productCatalogFailure: false,
    recommendationCacheFailure: false,
  };

  test('the flags file defines every flag, each with a description', () => {
    assert.deepEqual(Object.keys(flagsFile.flags).sort(), Object.keys(expected).sort());
    for (const [key, flag] of Object.entries(flagsFile.flags)) {
      assert.ok((flag as { description?: string }).description, `${key} has a description`);
    }
    assert.equal(flagsFile.flags.paymentFailure?.variants['90%'], 0.9);
  });

  for (const [key, value] of Object.entries(expected)) {
    test(`${key} evaluates to its default ${JSON.stringify(value)}`, async () => {
      const res = await fetch(`${OFREP}/ofrep/v1/evaluate/flags/${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ context: { targetingKey: 'smoke-test' } }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { key: string; value: unknown; variant: string };
      assert.equal(body.key, key);
      assert.deepEqual(body.value, value);
      assert.equal(body.variant, flagsFile.flags[key]?.defaultVariant);
    });
  }

  test('an unknown flag is FLAG_NOT_FOUND (404)', async () => {
    const res = await fetch(`${OFREP}/ofrep/v1/evaluate/flags/noSuchFlag`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, 'FLAG_NOT_FOUND');
  });

  test('productCatalogFailure stays off for OLJCESPC7Z while its default is off', async () => {
    const res = await fetch(`${OFREP}/ofrep/v1/evaluate/flags/productCatalogFailure`, {
      method: 'POST',
      body: JSON.stringify({ context: { product_id: 'OLJCESPC7Z' } }),
    });
    assert.equal(((await res.json()) as { value: boolean }).value, false);
  });
});

/** One RESP command over a raw socket (no client library needed). */
function redis(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: 6379 });
    let data = '';
    socket.setTimeout(3000, () => {
      socket.destroy();
      reject(new Error('redis timeout'));
    });
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.endsWith('\r\n') && !(data.startsWith('$') && data.split('\r\n').length < 3)) {
        socket.end();
        resolve(data);
      }
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

describe('redis (valkey-cart)', () => {
  test('PING, SET, GET', async () => {
    assert.equal(await redis('PING'), '+PONG\r\n');
    const key = `smoke:${process.pid}`;
    assert.equal(await redis('SET', key, 'telescope', 'EX', '60'), '+OK\r\n');
    assert.equal(await redis('GET', key), '$9\r\ntelescope\r\n');
  });
});

describe('postgresql (astronomy-db)', () => {
  const connectionString =
    process.env.DB_CONNECTION_STRING ??
    'postgres://astronomy_user:astronomy_password@127.0.0.1:5432/astronomy_db?sslmode=disable';

  test('catalog.products holds the 10 products', async () => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; price_units: string; categories: string }>(
        'SELECT id, price_units, categories FROM catalog.products ORDER BY id',
      );
      assert.equal(rows.length, 10);
      const explorascope = rows.find((r) => r.id === 'OLJCESPC7Z');
      assert.equal(Number(explorascope?.price_units), 101);
      assert.equal(rows.find((r) => r.id === '9SIQT8TOJO')?.categories, 'accessories,telescopes,assembly');
    } finally {
      await client.end();
    }
  });

  test('the accounting tables exist and astronomy_user may write them', async () => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'accounting' ORDER BY table_name",
      );
      assert.deepEqual(
        rows.map((r) => r.table_name),
        ['order', 'orderitem', 'shipping'],
      );
      await client.query('BEGIN');
      await client.query('INSERT INTO accounting."order" (order_id) VALUES ($1)', [`smoke-${Date.now()}`]);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });

  test('monitoring_user can read statistics (pg_monitor)', async () => {
    const client = new pg.Client({
      connectionString:
        'postgres://monitoring_user:monitoring_password@127.0.0.1:5432/astronomy_db?sslmode=disable',
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT pg_has_role('monitoring_user', 'pg_monitor', 'member') AS ok",
      );
      assert.equal(rows[0]?.ok, true);
    } finally {
      await client.end();
    }
  });
});

describe('kafka', () => {
  test('produce to and consume from the orders topic', { timeout: 90_000 }, async () => {
    const kafka = new Kafka({
      clientId: 'stack-smoke',
      brokers: ['127.0.0.1:9092'],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    const consumer = kafka.consumer({ groupId: `stack-smoke-${process.pid}-${Date.now()}` });
    const marker = `smoke-${Date.now()}`;
    try {
      await producer.connect();
      // The first send creates the topic (auto-create); retry until the leader is elected.
      await eventually(
        'a first message on orders',
        async () => {
          await producer.send({ topic: 'orders', messages: [{ key: 'smoke', value: marker }] });
          return true;
        },
        30_000,
        1000,
      );
      await consumer.connect();
      await consumer.subscribe({ topic: 'orders', fromBeginning: true });
      const seen = new Promise<string>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            if (message.value?.toString() === marker) resolve(marker);
          },
        });
      });
      let timer: NodeJS.Timeout | undefined;
      const got = await Promise.race([
        seen,
        new Promise<string>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no message within 60s')), 60_000);
        }),
      ]).finally(() => clearTimeout(timer));
      assert.equal(got, marker);
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
    }
  });
});

describe('otel-collector', () => {
  test('health endpoint answers', async () => {
    const res = await fetch('http://127.0.0.1:13133/');
    assert.equal(res.status, 200);
  });

  test('OTLP/HTTP accepts browser-style CORS preflights', async () => {
    const res = await fetch('http://127.0.0.1:4318/v1/traces', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8080',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,traceparent',
      },
    });
    assert.ok(res.status === 200 || res.status === 204, `status ${res.status}`);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:8080');
  });
});

describe('prometheus', () => {
  test('is ready', async () => {
    const res = await fetch(`${PROMETHEUS_URL}/-/ready`);
    assert.equal(res.status, 200);
  });

  test("receives the collector's own metrics (otelcol_*) by remote write", { timeout: 90_000 }, async () => {
    const samples = await eventually(
      'otelcol_process_uptime in Prometheus',
      async () => {
        const s = await promQuery('otelcol_process_uptime_seconds_total');
        return s.length > 0 ? s : undefined;
      },
      75_000,
      3000,
    );
    const labels = samples[0]?.metric ?? {};
    // Resource attributes are promoted to labels (spec 9.1).
    assert.ok(labels.service_name, 'service_name label');
    assert.equal(labels.service_namespace, 'opentelemetry-demo');
  });
});

describe('jaeger', () => {
  test('API v3 lists services under the /jaeger/ui base path', async () => {
    const res = await fetch(`${JAEGER}/api/v3/services`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { services?: string[] };
    assert.ok(typeof body === 'object' && body !== null);
    assert.ok(body.services === undefined || Array.isArray(body.services));
  });
});
