import { booleanFlag, closeFlags, FLAG, numberFlag, startFlags } from '@astroshop/flags';
import { runService, startGrpcServer, startHealthProbe } from '@astroshop/service-kit';
import { METRIC } from '@astroshop/telemetry';
import { metrics } from '@opentelemetry/api';
import { CartService } from './cart-service.ts';
import { loadConfig } from './config.ts';
import { cartReady } from './readiness.ts';
import { RedisCartStore } from './redis-store.ts';
import { cartGrpcService } from './server.ts';

/** The original's buckets (spec §2.2), in seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

await runService('cart', async (logger) => {
  const config = loadConfig();
  startFlags();
  const store = new RedisCartStore({
    address: config.VALKEY_ADDR,
    commandTimeoutMs: config.VALKEY_COMMAND_TIMEOUT_MS,
    logger,
  });
  await store.waitUntilReady(3000);

  const meter = metrics.getMeter('cart');
  const latency = (name: string, description: string) =>
    meter.createHistogram(name, {
      unit: 's',
      description,
      advice: { explicitBucketBoundaries: LATENCY_BUCKETS },
    });
  const carts = new CartService({
    store,
    addItemLatency: latency(METRIC.cartAddItemLatency, 'Time to add an item in cart storage'),
    getCartLatency: latency(METRIC.cartGetCartLatency, 'Time to read a cart from storage'),
    failureProbability: () => numberFlag(FLAG.cartFailure, 0),
  });

  const server = await startGrpcServer({
    host: config.LISTEN_HOST,
    port: config.CART_PORT,
    services: [cartGrpcService(carts, logger)],
    logger,
  });
  // Ready only when Redis answers and failedReadinessProbe is off; polled so
  // a flag flip or a Redis outage shows in health within ~2 s.
  const probe = startHealthProbe({
    health: server.health,
    check: () =>
      cartReady(
        () => store.ping(),
        () => booleanFlag(FLAG.failedReadinessProbe, false),
      ),
    intervalMs: 2000,
    logger,
    what: 'redis reachable and failedReadinessProbe off',
  });
  await probe.probe();

  return { resources: [probe, server, store, { close: closeFlags }] };
});
