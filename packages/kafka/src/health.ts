import { type Drainable, listenHost, startHealthEndpoint } from '@astroshop/service-kit';
import type { OrderConsumer } from './consumer.ts';

/**
 * The consumers have no server of their own; when HEALTH_HTTP_PORT is set
 * (the chart and compose set it) they answer GET /livez (200 while the
 * process answers) and GET /health: 200 while the consumer is joined to its
 * group and fetching, 503 otherwise.
 */
export async function consumerHealth(consumer: OrderConsumer, env = process.env): Promise<Drainable[]> {
  const port = Number(env.HEALTH_HTTP_PORT);
  if (!Number.isInteger(port) || port <= 0) return [];
  const host = listenHost.parse(env.LISTEN_HOST);
  return [await startHealthEndpoint({ host, port, ready: () => consumer.running() })];
}
