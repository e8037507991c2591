// The neighbour client against fake neighbours on loopback: a gRPC CartService
// and an HTTP JSON server whose answers each test sets.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CartServiceClient, CartServiceService } from '@astroshop/proto';
import {
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import {
  callBudget,
  grpcNeighbour,
  httpNeighbour,
  httpStatusOf,
  MAX_ATTEMPTS,
  NeighbourError,
  startGrpcServer,
  unary,
  withCallerDeadline,
} from '../src/index.ts';
import { createLogger } from '../src/logger.ts';

type Answer = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => void;

/** A CartService whose every method answers with `fake.answer`, counting calls and recording deadlines. */
const fake = {
  answer: ((_call, callback) => callback(null, { userId: 'u', items: [] })) as Answer,
  calls: 0,
  deadlines: [] as number[],
};
const handle = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
  fake.calls++;
  fake.deadlines.push(Number(call.getDeadline()));
  fake.answer(call, callback);
};
const grpcServer = new Server();
grpcServer.addService(CartServiceService, { getCart: handle, addItem: handle, emptyCart: handle });
let grpcAddress = '';

let httpAnswer: (res: ServerResponse) => void = (res) => res.end('{}');
let httpCalls = 0;
const httpServer = createServer((req, res) => {
  httpCalls++;
  req.resume().on('end', () => httpAnswer(res));
});
let httpBase = '';

before(async () => {
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  grpcAddress = `127.0.0.1:${port}`;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
after(() => {
  grpcServer.forceShutdown();
  httpServer.closeAllConnections();
  httpServer.close();
});

function reset(answer: Answer) {
  fake.answer = answer;
  fake.calls = 0;
  fake.deadlines = [];
}
const failWith =
  (code: status, details = 'fake failure'): Answer =>
  (_call, callback) =>
    callback({ code, details });
/** Never answers: the call can only end by its deadline. */
const hang: Answer = () => undefined;

// The neighbour re-bases a deadline on its own clock when the call arrives, so
// it may land a little after ours on a loaded machine; 10 s of slack still
// tells a capped deadline from the configured 60 s.
const SLACK_MS = 10_000;

const isNeighbourError = (e: unknown): e is NeighbourError => e instanceof NeighbourError;

/** An assert.rejects check: a NeighbourError with `code` whose message matches `message`. */
const failsWith =
  (code: status, message: RegExp) =>
  (e: unknown): true => {
    assert.ok(isNeighbourError(e), String(e));
    assert.equal(status[e.code], status[code]);
    assert.match(e.message, message);
    return true;
  };

describe('grpcNeighbour', () => {
  const cart = (timeoutMs = 2000) =>
    grpcNeighbour(CartServiceClient, { name: 'cart', address: grpcAddress, timeoutMs });

  test('answers like the plain client on success', async () => {
    reset((_call, callback) => callback(null, { userId: 'u-1', items: [{ productId: 'P', quantity: 2 }] }));
    const neighbour = cart();
    const got = await neighbour.unary('getCart', { idempotent: true })({ userId: 'u-1' });
    assert.deepEqual(got, { userId: 'u-1', items: [{ productId: 'P', quantity: 2 }] });
    await neighbour.close();
  });

  // Every status a neighbour can answer, and what our caller gets.
  const TABLE: [status, status][] = [
    [status.CANCELLED, status.UNAVAILABLE],
    [status.UNKNOWN, status.INTERNAL],
    [status.INVALID_ARGUMENT, status.INVALID_ARGUMENT],
    [status.NOT_FOUND, status.NOT_FOUND],
    [status.ALREADY_EXISTS, status.ALREADY_EXISTS],
    [status.PERMISSION_DENIED, status.PERMISSION_DENIED],
    [status.RESOURCE_EXHAUSTED, status.RESOURCE_EXHAUSTED],
    [status.FAILED_PRECONDITION, status.FAILED_PRECONDITION],
    [status.ABORTED, status.INTERNAL],
    [status.OUT_OF_RANGE, status.OUT_OF_RANGE],
    [status.UNIMPLEMENTED, status.INTERNAL],
    [status.INTERNAL, status.INTERNAL],
    [status.UNAVAILABLE, status.UNAVAILABLE],
    [status.DATA_LOSS, status.INTERNAL],
    [status.UNAUTHENTICATED, status.UNAUTHENTICATED],
  ];
  for (const [answered, expected] of TABLE) {
    test(`a neighbour's ${status[answered]} reaches the caller as ${status[expected]}, naming cart and the method`, async () => {
      reset(failWith(answered, `reason ${answered}`));
      const neighbour = cart();
      // A write: one attempt whatever the code, so the table sees the first answer.
      await assert.rejects(
        neighbour.unary('emptyCart', { idempotent: false })({ userId: 'u' }),
        (e: unknown) => {
          assert.ok(isNeighbourError(e));
          assert.equal(status[e.code], status[expected]);
          assert.equal(e.neighbourCode, answered);
          assert.equal(e.neighbour, 'cart');
          assert.equal(e.step, 'CartService.EmptyCart');
          assert.equal(
            e.message,
            `cart (CartService.EmptyCart at ${grpcAddress}): ${status[answered]}: reason ${answered}`,
          );
          return true;
        },
      );
      assert.equal(fake.calls, 1);
      await neighbour.close();
    });
  }

  test("its own timeout is UNAVAILABLE 'no answer within' naming cart; the neighbour saw that deadline", async () => {
    reset(hang);
    const neighbour = cart(300);
    const before = Date.now();
    await assert.rejects(
      neighbour.unary('getCart', { idempotent: true })({ userId: 'u' }),
      failsWith(status.UNAVAILABLE, /^cart \(CartService\.GetCart at .*\): no answer within 300 ms$/),
    );
    // A timeout is not retried: the budget is spent.
    assert.equal(fake.calls, 1);
    // The neighbour got a deadline, not an open-ended call (the wire carries a
    // relative timeout, so only "far below unbounded" is a load-proof check).
    assert.ok(fake.deadlines[0]! < before + SLACK_MS, `deadline ${fake.deadlines[0]! - before} ms out`);
    await neighbour.close();
  });

  test("is cut to the caller's remaining deadline and then says it was the caller's", async () => {
    reset(hang);
    const neighbour = cart(60_000);
    const callerDeadline = Date.now() + 250;
    await assert.rejects(
      withCallerDeadline(callerDeadline, () =>
        neighbour.unary('getCart', { idempotent: true })({ userId: 'u' }),
      ),
      failsWith(status.DEADLINE_EXCEEDED, /the caller's deadline left \d+ ms and it passed$/),
    );
    assert.equal(fake.calls, 1);
    // What the neighbour was told: the caller's deadline, not the configured 60 s.
    assert.ok(
      fake.deadlines[0]! < callerDeadline + SLACK_MS,
      `${fake.deadlines[0]! - callerDeadline} ms past`,
    );
    await neighbour.close();
  });

  test('a longer caller deadline leaves the configured timeout in force', () => {
    const now = 1_000_000;
    assert.deepEqual(callBudget(2000, now), { at: now + 2000, ms: 2000, byCaller: false });
    withCallerDeadline(now + 10_000, () =>
      assert.deepEqual(callBudget(2000, now), { at: now + 2000, ms: 2000, byCaller: false }),
    );
    withCallerDeadline(now + 500, () =>
      assert.deepEqual(callBudget(2000, now), { at: now + 500, ms: 500, byCaller: true }),
    );
    withCallerDeadline(Number.POSITIVE_INFINITY, () =>
      assert.deepEqual(callBudget(2000, now), { at: now + 2000, ms: 2000, byCaller: false }),
    );
  });

  test("an inbound gRPC call's deadline reaches the neighbour through service-kit's unary", async () => {
    reset(hang);
    const logger = createLogger('clients-test');
    const neighbour = cart(60_000);
    const getCart = neighbour.unary('getCart', { idempotent: true });
    // A front service (itself a CartService) that asks the fake cart.
    const front = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      services: [
        {
          definition: CartServiceService,
          name: 'oteldemo.CartService',
          implementation: {
            getCart: unary(logger, (request: { userId: string }) => getCart(request)),
            addItem: unary(logger, async () => ({})),
            emptyCart: unary(logger, async () => ({})),
          },
        },
      ],
    });
    const client = new CartServiceClient(`127.0.0.1:${front.port}`, credentials.createInsecure());
    const inboundDeadline = Date.now() + 400;
    const failure = await new Promise<{ code: number; details: string }>((resolve) =>
      client.getCart({ userId: 'u' }, new Metadata(), { deadline: inboundDeadline }, (e) =>
        resolve(e as unknown as { code: number; details: string }),
      ),
    );
    assert.equal(failure.code, status.DEADLINE_EXCEEDED);
    assert.equal(fake.calls, 1);
    assert.ok(
      fake.deadlines[0]! < inboundDeadline + SLACK_MS,
      `${fake.deadlines[0]! - inboundDeadline} ms past the inbound one`,
    );
    client.close();
    await front.close();
    await neighbour.close();
  });

  test('retries an idempotent call on UNAVAILABLE, at most MAX_ATTEMPTS times; a write never', async () => {
    const neighbour = cart();
    let left = 1;
    const flaky: Answer = (call, callback) =>
      left-- > 0 ? failWith(status.UNAVAILABLE)(call, callback) : callback(null, { userId: 'u', items: [] });

    reset(flaky);
    left = 1;
    assert.deepEqual(await neighbour.unary('getCart', { idempotent: true })({ userId: 'u' }), {
      userId: 'u',
      items: [],
    });
    assert.equal(fake.calls, 2, 'read: failed once, retried once');

    reset(flaky);
    left = 1;
    await assert.rejects(
      neighbour.unary('addItem', { idempotent: false })({ userId: 'u', item: undefined }),
      (e: unknown) => {
        assert.ok(isNeighbourError(e) && e.code === status.UNAVAILABLE);
        return true;
      },
    );
    assert.equal(fake.calls, 1, 'write: never repeated');

    reset(failWith(status.UNAVAILABLE));
    await assert.rejects(neighbour.unary('getCart', { idempotent: true })({ userId: 'u' }));
    assert.equal(fake.calls, MAX_ATTEMPTS, 'read: bounded');

    reset(failWith(status.INTERNAL));
    await assert.rejects(neighbour.unary('getCart', { idempotent: true })({ userId: 'u' }));
    assert.equal(fake.calls, 1, 'only UNAVAILABLE is retried');
    await neighbour.close();
  });

  test('a neighbour nobody listens on is UNAVAILABLE naming it and its address', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const dead = `127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const neighbour = grpcNeighbour(CartServiceClient, { name: 'cart', address: dead, timeoutMs: 2000 });
    await assert.rejects(neighbour.unary('getCart', { idempotent: true })({ userId: 'u' }), (e: unknown) => {
      assert.ok(isNeighbourError(e));
      assert.equal(e.code, status.UNAVAILABLE);
      assert.ok(e.message.startsWith(`cart (CartService.GetCart at ${dead}): UNAVAILABLE`), e.message);
      return true;
    });
    await neighbour.close();
  });

  test("a request grpc-js cannot encode is the caller's INVALID_ARGUMENT", async () => {
    reset(failWith(status.OK));
    const neighbour = cart();
    await assert.rejects(
      neighbour.unary('addItem', { idempotent: false })({
        userId: 'u',
        item: { productId: 'P', quantity: 2 ** 40 },
      }),
      (e: unknown) => isNeighbourError(e) && e.code === status.INVALID_ARGUMENT,
    );
    assert.equal(fake.calls, 0);
    await neighbour.close();
  });
});

describe('httpNeighbour', () => {
  const quote = (timeoutMs = 2000) => httpNeighbour({ name: 'quote', address: httpBase, timeoutMs });
  const answerWith = (code: number, body: string) => {
    httpCalls = 0;
    httpAnswer = (res) => res.writeHead(code, { 'content-type': 'application/json' }).end(body);
  };

  test('posts JSON and returns the text', async () => {
    answerWith(200, '26.97');
    assert.equal(await quote().postJson('/getquote', { numberOfItems: 3 }, { idempotent: true }), '26.97');
  });

  // Every HTTP status a neighbour may answer with, the code our caller gets, and the HTTP status it becomes.
  const TABLE: [number, status, number][] = [
    [400, status.INVALID_ARGUMENT, 400],
    [401, status.UNAUTHENTICATED, 401],
    [403, status.PERMISSION_DENIED, 403],
    [404, status.NOT_FOUND, 404],
    [409, status.ALREADY_EXISTS, 409],
    [413, status.INVALID_ARGUMENT, 400],
    [422, status.INVALID_ARGUMENT, 400],
    [429, status.RESOURCE_EXHAUSTED, 429],
    [500, status.INTERNAL, 502],
    [501, status.INTERNAL, 502],
    [502, status.UNAVAILABLE, 503],
    [503, status.UNAVAILABLE, 503],
    [504, status.UNAVAILABLE, 503],
  ];
  for (const [answered, code, http] of TABLE) {
    test(`HTTP ${answered} → ${status[code]} → ${http} for an HTTP caller, naming quote and the step`, async () => {
      answerWith(answered, `{"error":"reason ${answered}"}`);
      await assert.rejects(quote().postJson('/getquote', {}, { idempotent: false }), (e: unknown) => {
        assert.ok(isNeighbourError(e));
        assert.equal(status[e.code], status[code]);
        assert.equal(e.httpStatus, answered);
        assert.equal(httpStatusOf(e), http);
        assert.equal(
          e.message,
          `quote (POST /getquote at ${httpBase}): HTTP ${answered}: reason ${answered}`,
        );
        return true;
      });
      assert.equal(httpCalls, 1);
    });
  }

  test("no answer in time is UNAVAILABLE; past the caller's deadline DEADLINE_EXCEEDED", async () => {
    httpCalls = 0;
    httpAnswer = () => undefined;
    await assert.rejects(quote(200).postJson('/getquote', {}, { idempotent: true }), (e: unknown) => {
      assert.ok(isNeighbourError(e));
      assert.equal(e.code, status.UNAVAILABLE);
      assert.match(e.message, /^quote \(POST \/getquote at .*\): no answer within 200 ms$/);
      return true;
    });
    assert.equal(httpCalls, 1, 'a timeout is not retried');
    await assert.rejects(
      withCallerDeadline(Date.now() + 150, () =>
        quote(60_000).postJson('/getquote', {}, { idempotent: true }),
      ),
      (e: unknown) =>
        isNeighbourError(e) && e.code === status.DEADLINE_EXCEEDED && /caller's deadline/.test(e.message),
    );
    httpServer.closeAllConnections();
  });

  test('unreachable is UNAVAILABLE with the cause', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const dead = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    await assert.rejects(
      httpNeighbour({ name: 'quote', address: dead, timeoutMs: 1000 }).postJson(
        '/getquote',
        {},
        { idempotent: false },
      ),
      (e: unknown) =>
        isNeighbourError(e) &&
        e.code === status.UNAVAILABLE &&
        e.message.startsWith(`quote (POST /getquote at ${dead}): unreachable (`) &&
        /ECONNREFUSED/.test(e.message),
    );
  });

  test('retries an idempotent POST on 503, bounded; a write never', async () => {
    answerWith(503, '{"error":"down"}');
    await assert.rejects(quote().postJson('/getquote', {}, { idempotent: true }));
    assert.equal(httpCalls, MAX_ATTEMPTS);
    answerWith(503, '{"error":"down"}');
    await assert.rejects(quote().postJson('/ship-order', {}, { idempotent: false }));
    assert.equal(httpCalls, 1);
    let left = 1;
    httpCalls = 0;
    httpAnswer = (res) => (left-- > 0 ? res.writeHead(503).end() : res.end('"ok"'));
    assert.equal(await quote().postJson('/getquote', {}, { idempotent: true }), '"ok"');
    assert.equal(httpCalls, 2);
    answerWith(400, '{"error":"bad"}');
    await assert.rejects(quote().postJson('/getquote', {}, { idempotent: true }));
    assert.equal(httpCalls, 1, 'a 4xx is not retried');
  });
});
