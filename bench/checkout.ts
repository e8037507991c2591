// PlaceOrder throughput and latency on loopback against the running stack.
//   node bench/checkout.ts [seconds=60] [concurrency=4]
// Each worker fills its own cart, places the order, repeats. RSS of every
// service on the order path is read from /proc before and after.
import { readdirSync, readFileSync } from 'node:fs';
import { CartServiceClient, CheckoutServiceClient, createClient, unary } from '@astroshop/proto';

const seconds = Number(process.argv[2] ?? 60);
const concurrency = Number(process.argv[3] ?? 4);
const SERVICES = [
  'checkout',
  'cart',
  'product-catalog',
  'currency',
  'payment',
  'shipping',
  'quote',
  'email',
  'accounting',
  'fraud-detection',
];

/** RSS (MiB) of each service's process, found by its entry point on the command line. */
function rssByService(): Record<string, number> {
  const found: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const service = SERVICES.find((s) => cmdline.includes(`services/${s}/src/main.ts`));
      if (!service) continue;
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      found[service] = (found[service] ?? 0) + rssKb / 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const cart = createClient(CartServiceClient, process.env.CART_ADDR ?? '127.0.0.1:7070');
const checkout = createClient(CheckoutServiceClient, process.env.CHECKOUT_ADDR ?? '127.0.0.1:5050');
const addItem = unary(cart.addItem, cart);
const placeOrder = unary(checkout.placeOrder, checkout);

const latencies: number[] = [];
const failures = new Map<string, number>();
const deadline = Date.now() + seconds * 1000;

async function worker(id: number): Promise<void> {
  const userId = `bench-${process.pid}-${id}`;
  while (Date.now() < deadline) {
    try {
      await addItem({ userId, item: { productId: 'OLJCESPC7Z', quantity: 1 } }, { timeoutMs: 5000 });
      await addItem({ userId, item: { productId: '66VCHSJNUP', quantity: 2 } }, { timeoutMs: 5000 });
      const started = performance.now();
      await placeOrder(
        {
          userId,
          userCurrency: 'USD',
          email: 'bench@example.com',
          address: { streetAddress: '1 Main St', city: 'Town', state: 'CA', country: 'US', zipCode: '94043' },
          creditCard: {
            creditCardNumber: '4432-8015-6152-0454',
            creditCardCvv: 672,
            creditCardExpirationYear: new Date().getUTCFullYear() + 2,
            creditCardExpirationMonth: 1,
          },
        },
        { timeoutMs: 20_000 },
      );
      latencies.push(performance.now() - started);
    } catch (error) {
      const key = (error as { details?: string; message?: string }).details ?? String(error);
      failures.set(key.slice(0, 120), (failures.get(key.slice(0, 120)) ?? 0) + 1);
    }
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

const before = rssByService();
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
const elapsed = (performance.now() - started) / 1000;
const after = rssByService();

const sorted = [...latencies].sort((a, b) => a - b);
console.log(`PlaceOrder, ${concurrency} concurrent, ${elapsed.toFixed(1)} s`);
console.log(`  orders ok      ${latencies.length}  (${(latencies.length / elapsed).toFixed(1)}/s)`);
console.log(
  `  p50 / p99      ${percentile(sorted, 0.5).toFixed(1)} ms / ${percentile(sorted, 0.99).toFixed(1)} ms`,
);
console.log(`  failures       ${[...failures.values()].reduce((a, b) => a + b, 0)}`);
for (const [message, count] of failures) console.log(`    ${count} × ${message}`);
console.log('  RSS MiB (before → after)');
for (const service of SERVICES) {
  if (before[service] === undefined && after[service] === undefined) continue;
  console.log(
    `    ${service.padEnd(16)} ${before[service]?.toFixed(1) ?? '-'} → ${after[service]?.toFixed(1) ?? '-'}`,
  );
}
cart.close();
checkout.close();
