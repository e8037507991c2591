import type { Logger } from '@astroshop/service-kit';
import { Kafka, type KafkaConfig, type LogEntry, logLevel } from 'kafkajs';
// Before any connection: idle connections must not spin a 1 ms timer.
import './request-queue-fix.ts';

/** `KAFKA_ADDR` may list several brokers, comma-separated. */
export function parseBrokers(address: string): string[] {
  return address
    .split(',')
    .map((broker) => broker.trim().replace(/^[a-z]+:\/\//i, ''))
    .filter((broker) => broker.length > 0);
}

// kafkajs reports every failed reconnect as an ERROR; while the broker is down
// (or still starting: the services no longer wait for it at boot) that is one
// line per attempt, ~40 per consumer per start. So its errors are warnings
// here, and a broker's connection failures are logged once per
// CONNECTION_LOG_EVERY_MS (with how many were folded in), the rest at debug;
// the consumer logs the outage itself, once.
const CONNECTION_LOG_EVERY_MS = 30_000;
const CONNECTION_FAILURE = /^Connection (error|timeout)/i;

export function kafkaLogger(logger: Logger, now: () => number = Date.now) {
  return () => {
    const lastWarned = new Map<string, { at: number; folded: number }>();
    return ({ level, log }: LogEntry) => {
      const { message, ...fields } = log;
      const child = { component: 'kafkajs', ...fields };
      if (level > logLevel.WARN) return logger.debug(child, message);
      if (CONNECTION_FAILURE.test(message)) {
        const broker = String(fields.broker ?? '');
        const last = lastWarned.get(broker);
        if (last && now() - last.at < CONNECTION_LOG_EVERY_MS) {
          last.folded += 1;
          return logger.debug(child, message);
        }
        lastWarned.set(broker, { at: now(), folded: 0 });
        if (last?.folded)
          return logger.warn(
            { ...child, repeated: last.folded },
            `${message} (and ${last.folded} more since)`,
          );
      }
      logger.warn(child, message);
    };
  };
}

/** Round-trip bounds; a producer that must not hold a request tightens them. */
export type KafkaTimeouts = Pick<KafkaConfig, 'connectionTimeout' | 'requestTimeout' | 'retry'>;

export function createKafka(options: {
  clientId: string;
  brokers: string[];
  logger: Logger;
  timeouts?: KafkaTimeouts;
}): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    // Deadlines on every broker round trip, so an unreachable broker fails fast.
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    // Reconnect attempts at most 2 s apart: a consumer retrying at kafkajs's
    // 10 s cap found a broker back from an outage up to 10 s late, and with the
    // group rejoin on top accounting missed the 10 s recovery bound of the
    // outage test (test/faults) about as often as it met it. Loopback attempts
    // are cheap; the consumer's own loop still backs off between whole reconnects.
    retry: { initialRetryTime: 300, maxRetryTime: 2000, retries: 12 },
    ...options.timeouts,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogger(options.logger),
  });
}
