import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import { httpNeighbours } from '../src/http-neighbours.ts';
import { orderRequest } from './fakes.ts';

type Handler = (body: unknown, res: ServerResponse) => void;
let handler: Handler = (_body, res) => res.end('{}');
const bodies: unknown[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let raw = '';
  req.on('data', (chunk) => {
    raw += chunk;
  });
  req.on('end', () => {
    const body = JSON.parse(raw);
    bodies.push(body);
    handler(body, res);
  });
});
let base = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

/** Shipping at `shipping`, email at the fake. */
const at = (shipping: string) => ({
  shipping: { name: 'shipping', address: shipping, timeoutMs: 3000 },
  email: { name: 'email', address: base, timeoutMs: 3000 },
});

const ITEMS = [{ productId: 'OLJCESPC7Z', quantity: 2 }];

describe('shipping and email over HTTP', () => {
  test('get-quote sends snake_case and reads cost_usd', async () => {
    handler = (_body, res) =>
      res.end(JSON.stringify({ cost_usd: { currency_code: 'USD', units: 17, nanos: 980000000 } }));
    const cost = await httpNeighbours(at(base)).quoteShipping(orderRequest().address!, ITEMS);
    assert.deepEqual(cost, { currencyCode: 'USD', units: 17, nanos: 980_000_000 });
    assert.deepEqual(bodies.at(-1), {
      address: {
        street_address: '1600 Amphitheatre Parkway',
        city: 'Mountain View',
        state: 'CA',
        country: 'United States',
        zip_code: '94043',
      },
      items: [{ product_id: 'OLJCESPC7Z', quantity: 2 }],
    });
  });

  test('ship-order returns the tracking id; email gets {email, order} in snake_case', async () => {
    handler = (_body, res) => res.end(JSON.stringify({ tracking_id: 'abc' }));
    const http = httpNeighbours(at(base));
    assert.equal(await http.shipOrder(orderRequest().address!, ITEMS), 'abc');
    handler = (_body, res) => res.end();
    await http.sendConfirmation('a@b.co', {
      orderId: 'o-1',
      shippingTrackingId: 'abc',
      shippingCost: { currencyCode: 'USD', units: 8, nanos: 0 },
      shippingAddress: orderRequest().address,
      items: [{ item: ITEMS[0], cost: { currencyCode: 'USD', units: 101, nanos: 960_000_000 } }],
    });
    const body = bodies.at(-1) as { email: string; order: Record<string, unknown> };
    assert.equal(body.email, 'a@b.co');
    assert.equal(body.order.order_id, 'o-1');
    assert.equal(body.order.shipping_tracking_id, 'abc');
    assert.deepEqual(body.order.shipping_cost, { currency_code: 'USD', units: 8 });
  });

  test('a 503 is UNAVAILABLE, a 400 INVALID_ARGUMENT, both naming shipping and the step', async () => {
    const http = httpNeighbours(at(base));
    handler = (_body, res) => res.writeHead(503).end('{"error":"quote down"}');
    await assert.rejects(
      http.quoteShipping(orderRequest().address!, ITEMS),
      (e: unknown) =>
        e instanceof StatusError &&
        e.code === GrpcStatus.UNAVAILABLE &&
        e.message === `shipping (POST /get-quote at ${base}): HTTP 503: quote down`,
    );
    handler = (_body, res) => res.writeHead(400).end('{"error":"bad address"}');
    await assert.rejects(
      http.shipOrder(orderRequest().address!, ITEMS),
      (e: unknown) =>
        e instanceof StatusError && e.code === GrpcStatus.INVALID_ARGUMENT && /bad address/.test(e.message),
    );
    // A neighbour's other "your request is wrong" answers are the caller's mistake too.
    for (const status of [413, 422]) {
      handler = (_body, res) => res.writeHead(status).end('{"error":"too many items"}');
      await assert.rejects(
        http.quoteShipping(orderRequest().address!, ITEMS),
        (e: unknown) => e instanceof StatusError && e.code === GrpcStatus.INVALID_ARGUMENT,
      );
    }
  });

  test('a service that is not there is UNAVAILABLE naming it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const http = httpNeighbours(at(`http://127.0.0.1:${port}`));
    await assert.rejects(
      http.quoteShipping(orderRequest().address!, ITEMS),
      (e: unknown) =>
        e instanceof StatusError &&
        e.code === GrpcStatus.UNAVAILABLE &&
        e.message.startsWith(`shipping (POST /get-quote at http://127.0.0.1:${port}): unreachable (`) &&
        /ECONNREFUSED/.test(e.message),
    );
  });
});
