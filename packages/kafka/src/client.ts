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
// that is one line per attempt, so its errors are warnings here and the
// consumer logs the outage itself, once.
function kafkaLogger(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...fields } = log;
      const child = { component: 'kafkajs', ...fields };
      if (level <= logLevel.WARN) logger.warn(child, message);
      else logger.debug(child, message);
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
