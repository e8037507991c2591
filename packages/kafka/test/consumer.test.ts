// What the order consumer tells kafkajs about a record whose handler is
// retrying through an outage when the group itself gets into trouble: a
// rejected eachMessage (kafkajs commits nothing and redelivers the record),
// never a resolved one (kafkajs commits past it: the order is skipped).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { OrderResult } from '@astroshop/proto';
import type { Logger } from '@astroshop/service-kit';
import type { EachMessagePayload, Kafka } from 'kafkajs';
import { encodeOrderResult, startOrderConsumer } from '../src/index.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;
/** kafkajs's error for a heartbeat during a rebalance (its message names no database trouble). */
const rebalancing = () =>
  Object.assign(new Error('The group is rebalancing, so a rejoin is needed'), {
    name: 'KafkaJSProtocolError',
    type: 'REBALANCE_IN_PROGRESS',
    code: 27,
    retriable: false,
  });

/**
 * A Kafka whose consumer hands one order to eachMessage with `heartbeat`
 * and reports whether eachMessage resolved (offset committed) or rejected.
 */
function fakeKafka(heartbeat: () => Promise<void>) {
  let settle: (outcome: string) => void = () => undefined;
  const outcome = new Promise<string>((resolve) => {
    settle = resolve;
  });
  const kafka = {
    consumer: () => {
      const events = new EventEmitter();
      return {
        events: { CRASH: 'crash', GROUP_JOIN: 'join', STOP: 'stop' },
        on: (name: string, listener: (...args: unknown[]) => void) => events.on(name, listener),
        connect: async () => undefined,
        subscribe: async () => undefined,
        disconnect: async () => undefined,
        run: async ({ eachMessage }: { eachMessage: (payload: EachMessagePayload) => Promise<void> }) => {
          const message = {
            offset: '7',
            value: encodeOrderResult(OrderResult.fromPartial({ orderId: 'o-1' })),
            headers: {},
          };
          eachMessage({
            topic: 'orders',
            partition: 0,
            message,
            heartbeat,
            pause: () => () => undefined,
          } as never).then(
            () => settle('committed'),
            () => settle('redelivered'),
          );
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, outcome };
}

async function consume(heartbeat: () => Promise<void>, isRetriable: (error: unknown) => boolean) {
  const { kafka, outcome } = fakeKafka(heartbeat);
  const consumer = startOrderConsumer({
    kafka,
    groupId: 'g',
    topic: 'orders',
    logger: silent,
    eventPrefix: 'test',
    brokers: ['b'],
    // The database is down: every attempt fails retriably, so the retry loop heartbeats between attempts.
    handle: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    },
    isRetriable,
  });
  const result = await outcome;
  await consumer.close();
  return result;
}

const dbOutage = (error: unknown) => (error as { code?: string }).code === 'ECONNREFUSED';

test('a heartbeat failing while the handler waits out an outage redelivers the record (never skips it)', async () => {
  const result = await consume(async () => {
    throw rebalancing();
  }, dbOutage);
  assert.equal(result, 'redelivered');
});

test('negative control: a handler error that is not retriable is skipped (committed past)', async () => {
  const { kafka, outcome } = fakeKafka(async () => undefined);
  const consumer = startOrderConsumer({
    kafka,
    groupId: 'g2',
    topic: 'orders',
    logger: silent,
    eventPrefix: 'test',
    brokers: ['b'],
    handle: async () => {
      throw new Error('bad data');
    },
    isRetriable: dbOutage,
  });
  assert.equal(await outcome, 'committed');
  await consumer.close();
});
