// PlaceOrder on loopback: each worker fills its own cart (two items, on the
// stack's cart service), places the order, repeats. Only PlaceOrder is timed.
//   node bench/checkout.ts [seconds=60] [concurrency=4]    (the stack's checkout)
import { CartServiceClient, CheckoutServiceClient, createClient, unary } from '@astroshop/proto';
import { describeErrors, drive, type Instance, type LoadOptions, type LoadResult } from './lib.ts';
import type { Target } from './overhead.ts';
import { grpcServing } from './probes.ts';

const CART_ADDR = process.env.CART_ADDR ?? '127.0.0.1:7070';

/** A caller that places orders through the checkout at `checkoutAddress`. */
function orderCaller(checkoutAddress: string) {
  const cart = createClient(CartServiceClient, CART_ADDR);
  const checkout = createClient(CheckoutServiceClient, checkoutAddress);
  const addItem = unary(cart.addItem, cart);
  const placeOrder = unary(checkout.placeOrder, checkout);
  const run = `${process.pid}-${Date.now()}`;
  const call = async (worker: number) => {
    const userId = `bench-${run}-${worker}`;
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
    return { timedMs: performance.now() - started };
  };
  return {
    call,
    close: () => {
      cart.close();
      checkout.close();
    },
  };
}

/** Latency is PlaceOrder's alone; throughput counts whole iterations (cart filled + order). */
export async function placeOrders(checkoutAddress: string, load: LoadOptions): Promise<LoadResult> {
  const caller = orderCaller(checkoutAddress);
  try {
    return await drive(caller.call, load);
  } finally {
    caller.close();
  }
}

export const placeOrderTarget: Target = {
  ready: (i: Instance) => grpcServing(`127.0.0.1:${i.port}`),
  open: (i: Instance) => orderCaller(`127.0.0.1:${i.port}`),
};

if (import.meta.main) {
  const seconds = Number(process.argv[2] ?? 60);
  const concurrency = Number(process.argv[3] ?? 4);
  const r = await placeOrders(process.env.CHECKOUT_ADDR ?? '127.0.0.1:5050', { seconds, concurrency });
  console.log(`PlaceOrder, ${concurrency} workers, ${seconds} s`);
  console.log(`  orders ok  ${r.calls} (${r.throughput.toFixed(1)}/s)`);
  console.log(`  p50 / p95 / p99  ${r.p50.toFixed(1)} / ${r.p95.toFixed(1)} / ${r.p99.toFixed(1)} ms`);
  console.log(`  failures   ${r.errors}${r.errors ? `: ${describeErrors(r)}` : ''}`);
}
