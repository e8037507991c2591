import type { OrderResult } from '@astroshop/proto';
import type { Drainable, Logger } from '@astroshop/service-kit';
import { context } from '@opentelemetry/api';
import type { Consumer, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { consumerParentContext } from './headers.ts';
import { reuseMemberId } from './member-id.ts';
import { decodeOrderResult, PoisonMessageError } from './order.ts';
import { AbortedError, abortableSleep, backoffDelay, retryUntilDone } from './retry.ts';

export interface ConsumedOrder {
  order: OrderResult;
  message: KafkaMessage;
  partition: number;
  /** Aborts on shutdown: long waits inside a handler must honour it. */
  signal: AbortSignal;
}

export interface OrderConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  /** Prefix of the log event names, e.g. `accounting` → `accounting.kafka.connecting`. */
  eventPrefix: string;
  /** Brokers, for the "connecting" log line. */
  brokers: string[];
  handle: (consumed: ConsumedOrder) => Promise<void>;
  /**
   * A retriable failure (e.g. the database is down) keeps the record: the
   * partition waits and retries with backoff, and the offset is not committed
   * until it succeeds. Anything else is logged and the record skipped.
   */
  isRetriable?: (error: unknown) => boolean;
}

export interface OrderConsumer extends Drainable {
  /** True while the consumer is joined to its group and fetching. */
  running(): boolean;
}

/**
 * A consumer group member on one topic that decodes each record as an
 * `OrderResult` and hands it to `handle`, from the earliest offset. It
 * supervises itself: a broker outage (at start or later) is logged once and
 * retried with backoff until Kafka is back; SIGTERM stops fetching, lets the
 * record in hand finish (or abandons its retry without committing) and leaves
 * the group.
 */
export function startOrderConsumer(options: OrderConsumerOptions): OrderConsumer {
  const { kafka, groupId, topic, logger, eventPrefix } = options;
  const isRetriable = options.isRetriable ?? (() => false);
  const shutdown = new AbortController();
  // One consumer per group in this process: a restart may rejoin as the same member.
  reuseMemberId(groupId);
  let current: Consumer | undefined;
  let joined = false;

  const eachMessage = async ({ message, partition, heartbeat }: EachMessagePayload) => {
    const fields = { partition, offset: message.offset };
    let order: OrderResult;
    try {
      order = decodeOrderResult(message.value);
    } catch (error) {
      // Undecodable bytes never get better: skip them (the offset moves on).
      logger.error(
        { ...fields, 'event.name': `${eventPrefix}.order.parsing_failed`, err: error },
        'skipping record',
      );
      return;
    }
    const parent = consumerParentContext(message.headers);
    // A heartbeat that fails between attempts is the group's trouble (a
    // rebalance, an expired session, a lost broker), never the record's: it is
    // rethrown as is, so kafkajs rejoins and redelivers the record instead of
    // committing past it. Judged by the handler's isRetriable, it read as "bad
    // data": skipped, and the order lost.
    let groupError: unknown;
    const heartbeatOrThrow = async () => {
      try {
        await heartbeat();
      } catch (error) {
        groupError = error;
        throw error;
      }
    };
    try {
      await context.with(parent, () =>
        retryUntilDone(() => options.handle({ order, message, partition, signal: shutdown.signal }), {
          isRetriable,
          signal: shutdown.signal,
          maxDelayMs: 3000,
          betweenAttempts: heartbeatOrThrow,
          onOutage: (error) =>
            logger.warn(
              { ...fields, err: error },
              `cannot process order ${order.orderId} yet, holding the partition and retrying: ${(error as Error).message}`,
            ),
          onRecovered: (attempts) =>
            logger.info({ ...fields, attempts }, `order ${order.orderId} processed after the outage ended`),
        }),
      );
    } catch (error) {
      // Shutdown mid-retry: throw so kafkajs does not commit; the record is redelivered.
      if (error instanceof AbortedError || shutdown.signal.aborted) throw error;
      if (groupError !== undefined && error === groupError) throw error;
      if (error instanceof PoisonMessageError || !isRetriable(error)) {
        logger.error(
          { ...fields, 'event.name': `${eventPrefix}.order.parsing_failed`, err: error },
          `order ${order.orderId} could not be processed, skipping: ${(error as Error).message}`,
        );
        return;
      }
      throw error;
    }
  };

  /** Resolves with the error of a crash kafkajs will not recover from by itself. */
  const unrecoverableCrash = (consumer: Consumer) =>
    new Promise<Error>((resolve) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        joined = false;
        if (!payload.restart) resolve(payload.error);
      });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joined = true;
      });
      consumer.on(consumer.events.STOP, () => {
        joined = false;
      });
      shutdown.signal.addEventListener('abort', () => resolve(new AbortedError('stopping')), { once: true });
    });

  const supervise = async () => {
    for (let failures = 0; !shutdown.signal.aborted; ) {
      // A short session (the broker's 6 s minimum): a member the group still
      // lists is waited for until its session expires whenever a join comes
      // under a new member id (this process restarted; after a broker restart
      // we rejoin under the old id, see member-id.ts) — 30 s would hold every
      // order that long. The retry loop below heartbeats between attempts (at
      // most 3 s apart).
      const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 2000 });
      current = consumer;
      const crashed = unrecoverableCrash(consumer);
      try {
        logger.info(
          { 'event.name': `${eventPrefix}.kafka.connecting`, brokers: options.brokers, topic, groupId },
          `Connecting to Kafka: ${options.brokers.join(',')}`,
        );
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ eachMessage, autoCommit: true });
        if (failures > 0) logger.info({ topic, groupId }, 'Kafka reachable again: consuming');
        failures = 0;
        const error = await crashed;
        if (shutdown.signal.aborted) return;
        throw error;
      } catch (error) {
        if (shutdown.signal.aborted) return;
        failures++;
        // Capped at 5 s: a broker back from an outage is consumed from again
        // within seconds (the outage test allows 10 s), at one attempt per 5 s while it is away.
        const delay = backoffDelay(failures, 1000, 5000);
        logger.error(
          { 'event.name': `${eventPrefix}.kafka.consume_failed`, err: error, retryInMs: delay },
          `Consume error: Kafka unavailable (${(error as Error).message}); reconnecting`,
        );
        joined = false;
        await consumer.disconnect().catch(() => undefined);
        await abortableSleep(delay, shutdown.signal).catch(() => undefined);
      }
    }
  };

  const loop = supervise();

  return {
    running: () => joined,
    close: async () => {
      logger.info({ 'event.name': `${eventPrefix}.consumer.closing` }, 'Closing consumer');
      shutdown.abort();
      // disconnect() waits for the record in hand; bounded so SIGTERM never hangs.
      await Promise.race([
        Promise.all([current?.disconnect().catch(() => undefined), loop]),
        new Promise((resolve) => setTimeout(resolve, 8000).unref()),
      ]);
    },
  };
}
