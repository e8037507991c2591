import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Logger } from '@astroshop/service-kit';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { type LogEntry, logLevel } from 'kafkajs';
import { kafkaLogger } from '../src/client.ts';
import {
  AbortedError,
  backoffDelay,
  computeLag,
  contextFromHeaders,
  decodeOrderResult,
  encodeOrderResult,
  PoisonMessageError,
  parseBrokers,
  retryUntilDone,
} from '../src/index.ts';

describe('computeLag', () => {
  test('high watermark minus committed offset, per partition', () => {
    assert.deepEqual(
      computeLag(
        [
          { partition: 1, high: '50', low: '0' },
          { partition: 0, high: '120', low: '0' },
        ],
        [
          { partition: 0, offset: '100' },
          { partition: 1, offset: '50' },
        ],
      ),
      [
        { partition: 0, lag: 20 },
        { partition: 1, lag: 0 },
      ],
    );
  });

  test('a group with no commit yet lags by everything retained', () => {
    assert.deepEqual(
      computeLag([{ partition: 0, high: '30', low: '10' }], [{ partition: 0, offset: '-1' }]),
      [{ partition: 0, lag: 20 }],
    );
    assert.deepEqual(computeLag([{ partition: 0, high: '30', low: '10' }], []), [{ partition: 0, lag: 20 }]);
  });
});

describe('OrderResult records', () => {
  const order = {
    orderId: 'o-1',
    shippingTrackingId: 't-1',
    shippingCost: { currencyCode: 'USD', units: 8, nanos: 990_000_000 },
    shippingAddress: { streetAddress: '1 Main', city: 'Town', state: 'CA', country: 'US', zipCode: '94000' },
    items: [
      {
        item: { productId: 'OLJCESPC7Z', quantity: 2 },
        cost: { currencyCode: 'USD', units: 101, nanos: 960_000_000 },
      },
    ],
  };

  test('round-trips through the protobuf encoding', () => {
    assert.deepEqual(decodeOrderResult(encodeOrderResult(order)), order);
  });

  test('empty or garbage values are poison, not crashes', () => {
    assert.throws(() => decodeOrderResult(null), PoisonMessageError);
    assert.throws(() => decodeOrderResult(Buffer.alloc(0)), PoisonMessageError);
    assert.throws(() => decodeOrderResult(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])), PoisonMessageError);
  });
});

describe('trace context from headers', () => {
  test('reads a Buffer traceparent header', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const ctx = contextFromHeaders({ traceparent: Buffer.from(`00-${traceId}-b7ad6b7169203331-01`) });
      assert.equal(trace.getSpanContext(ctx)?.traceId, traceId);
      assert.equal(trace.getSpanContext(ctx)?.isRemote, true);
    } finally {
      propagation.disable();
    }
  });
});

describe('retryUntilDone', () => {
  const fast = { initialDelayMs: 1, maxDelayMs: 2 };

  test('retries retriable failures until success, reporting the outage once', async () => {
    let calls = 0;
    const outages: unknown[] = [];
    let recoveredAfter = 0;
    const result = await retryUntilDone(
      async () => {
        calls++;
        if (calls < 4) throw new Error('db down');
        return 'ok';
      },
      {
        ...fast,
        isRetriable: () => true,
        signal: new AbortController().signal,
        onOutage: (e) => outages.push(e),
        onRecovered: (n) => {
          recoveredAfter = n;
        },
      },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 4);
    assert.equal(outages.length, 1);
    assert.equal(recoveredAfter, 3);
  });

  test('a non-retriable failure ends it at once', async () => {
    let calls = 0;
    await assert.rejects(
      retryUntilDone(
        async () => {
          calls++;
          throw new Error('bad data');
        },
        { ...fast, isRetriable: () => false, signal: new AbortController().signal },
      ),
      /bad data/,
    );
    assert.equal(calls, 1);
  });

  test('shutdown abandons the retry with AbortedError', async () => {
    const controller = new AbortController();
    const pending = retryUntilDone(
      async () => {
        throw new Error('db down');
      },
      { initialDelayMs: 60_000, maxDelayMs: 60_000, isRetriable: () => true, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 10);
    await assert.rejects(pending, AbortedError);
  });
});

test('backoff grows and stays within bounds', () => {
  assert.equal(
    backoffDelay(0, 100, 5000, () => 1),
    100,
  );
  assert.equal(
    backoffDelay(3, 100, 5000, () => 1),
    800,
  );
  assert.equal(
    backoffDelay(30, 100, 5000, () => 1),
    5000,
  );
  assert.equal(
    backoffDelay(30, 100, 5000, () => 0),
    100,
  );
});

test('parseBrokers splits and strips schemes', () => {
  assert.deepEqual(parseBrokers('kafka:9092'), ['kafka:9092']);
  assert.deepEqual(parseBrokers(' a:1, PLAINTEXT://b:2 ,'), ['a:1', 'b:2']);
});

describe('kafkajs log lines', () => {
  const entry = (message: string, level = logLevel.ERROR) =>
    ({
      namespace: 'Connection',
      level,
      label: 'ERROR',
      log: { timestamp: '', message, broker: '127.0.0.1:9092' },
    }) as LogEntry;

  function recording() {
    const lines: { level: string; message: string }[] = [];
    const record = (level: string) => (_fields: unknown, message: string) => lines.push({ level, message });
    const logger = { warn: record('warn'), debug: record('debug') } as unknown as Logger;
    return { logger, lines };
  }

  test("a broker's repeated connection failures are one warning per 30 s, the rest debug", () => {
    const { logger, lines } = recording();
    let clock = 0;
    const log = kafkaLogger(logger, () => clock)();
    for (let attempt = 0; attempt < 40; attempt++) {
      log(entry('Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
      clock += 500;
    }
    assert.equal(lines.filter((line) => line.level === 'warn').length, 1);
    clock += 30_000;
    log(entry('Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
    const warnings = lines.filter((line) => line.level === 'warn');
    assert.equal(warnings.length, 2);
    assert.match(warnings[1]?.message ?? '', /and 39 more since/);
  });

  test('other errors stay warnings every time', () => {
    const { logger, lines } = recording();
    const log = kafkaLogger(logger, () => 0)();
    log(entry('The group is rebalancing, re-joining'));
    log(entry('The group is rebalancing, re-joining'));
    assert.deepEqual(
      lines.map((line) => line.level),
      ['warn', 'warn'],
    );
  });
});
