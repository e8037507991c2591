import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  createHttpApp,
  createLogger,
  endSocket,
  escapedErrorHandler,
  guardHttpServer,
  isRequestScoped,
  LIVENESS,
  startGrpcServer,
  startHealthEndpoint,
} from '../src/index.ts';

process.env.LOG_LEVEL = 'silent';
const logger = createLogger('t');

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Sends raw bytes, returns everything the server wrote until it closed. */
async function raw(port: number, bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.write(bytes);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('guardHttpServer', () => {
  test('an Upgrade then a reset does not reach uncaughtException; the server answers the next request', async () => {
    // The refusal path of an upgrade handler: it writes to the upgraded socket,
    // which Node left without an error listener. Without the guard, the
    // write to the reset socket throws ECONNRESET/EPIPE out of the process.
    let clientReset!: () => void;
    const resetDone = new Promise<void>((r) => {
      clientReset = r;
    });
    const refusals: Promise<void>[] = [];
    const server = guardHttpServer(
      createServer((_req, res) => res.end('ok')),
      logger,
    );
    server.on('upgrade', (_req, socket) => {
      refusals.push(
        resetDone.then(async () => {
          // Let the RST arrive before the refusal is written.
          await new Promise((r) => setTimeout(r, 20));
          const settled = new Promise<void>((done) => {
            socket.once('error', () => done());
            socket.write('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
            socket.write('x'.repeat(64 * 1024));
            socket.end(() => done());
          });
          await settled;
          socket.destroy();
        }),
      );
    });
    const port = await listen(server);
    for (let i = 0; i < 5; i++) {
      const client: Socket = connect(port, '127.0.0.1');
      client.on('error', () => undefined);
      await once(client, 'connect');
      client.write('GET /ws HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n');
      while (refusals.length <= i) await new Promise((r) => setImmediate(r));
      client.resetAndDestroy();
      await once(client, 'close');
    }
    clientReset();
    await Promise.all(refusals);
    assert.deepEqual(await get(port, '/'), { status: 200, body: 'ok' });
    server.closeAllConnections();
    server.close();
  });

  test('a malformed request line gets 400 and a close, not a crash', async () => {
    const server = guardHttpServer(
      createServer((_req, res) => res.end('ok')),
      logger,
    );
    const port = await listen(server);
    const answer = await raw(port, 'GET /\\[ HTT\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request/);
    const flood = await raw(port, `GET / HTTP/1.1\r\nhost: x\r\nx-a: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(flood, /^HTTP\/1\.1 431 /);
    assert.equal((await get(port, '/')).status, 200);
    server.close();
  });

  test('a client trickling its body or headers is cut off with 408', async () => {
    const server = guardHttpServer(
      createServer((req, res) => {
        req.resume();
        req.on('end', () => res.end('ok'));
      }),
      logger,
      { headersTimeoutMs: 200, requestTimeoutMs: 400 },
    );
    const port = await listen(server);
    const trickle = async (head: string, drip: string) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.write(head);
      const dripping = setInterval(() => socket.writable && socket.write(drip), 50);
      await once(socket, 'close');
      clearInterval(dripping);
      return Buffer.concat(chunks).toString('latin1');
    };
    assert.match(
      await trickle('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n', ' '),
      /^HTTP\/1\.1 408 /,
    );
    assert.match(await trickle('GET / HTTP/1.1\r\nhost: x\r\n', 'x-slow: 1\r\n'), /^HTTP\/1\.1 408 /);
    assert.equal((await get(port, '/')).status, 200);
    server.close();
  });

  test('endSocket never throws on a destroyed socket', () => {
    const socket = connect(1, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.destroy();
    assert.doesNotThrow(() => endSocket(socket, 'HTTP/1.1 400 Bad Request\r\n\r\n'));
  });
});

describe('escaped errors', () => {
  test('request-scoped errors are survived, anything else is fatal', () => {
    const fatal: unknown[] = [];
    const handle = escapedErrorHandler(logger, (e) => fatal.push(e));
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const badUrl = Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' });
    handle(reset);
    handle(badUrl);
    handle(new URIError('URI malformed'));
    assert.deepEqual(fatal, []);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    handle(bug);
    handle('a string');
    assert.deepEqual(fatal, [bug, 'a string']);
    assert.equal(isRequestScoped(Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD' })), true);
    assert.equal(isRequestScoped(Object.assign(new Error('x'), { code: 'ENOENT' })), false);
  });
});

describe('probes', () => {
  test('HTTP app: /livez stays 200 while /health and /readyz follow readiness', async () => {
    let ready = false;
    const app = createHttpApp({ logger, ready: () => ready });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    assert.equal((await get(port, '/livez')).status, 200);
    assert.equal((await get(port, '/health')).status, 503);
    assert.equal((await get(port, '/readyz')).status, 503);
    ready = true;
    assert.equal((await get(port, '/health')).status, 200);
    assert.equal((await get(port, '/readyz')).status, 200);
    // Fastify's clientError path goes through the kit's handler too.
    assert.match(await raw(port, 'NOT HTTP AT ALL\r\n\r\n'), /^HTTP\/1\.1 400/);
    assert.equal((await get(port, '/livez')).status, 200);
    await app.close();
  });

  test('health endpoint (Kafka consumers): /livez 200 while not ready; query strings do not matter', async () => {
    let ready = false;
    const endpoint = await startHealthEndpoint({ host: '127.0.0.1', port: 0, ready: () => ready, logger });
    assert.equal((await get(endpoint.port, '/livez')).status, 200);
    assert.equal((await get(endpoint.port, '/health')).status, 503);
    assert.equal((await get(endpoint.port, '/readyz?x=1')).status, 503);
    ready = true;
    assert.equal((await get(endpoint.port, '/health?x=1')).status, 200);
    assert.equal((await get(endpoint.port, '/nope')).status, 404);
    await endpoint.close();
  });

  test('gRPC: liveness stays SERVING when readiness is NOT_SERVING', async () => {
    const handle = await startGrpcServer({ host: '127.0.0.1', port: 0, services: [], logger });
    const client = new grpc.Client(`127.0.0.1:${handle.port}`, grpc.credentials.createInsecure());
    const check = (service: string) =>
      new Promise<number>((resolve, reject) => {
        const name = Buffer.from(service);
        const request = service ? Buffer.concat([Buffer.from([0x0a, name.length]), name]) : Buffer.alloc(0);
        client.makeUnaryRequest(
          '/grpc.health.v1.Health/Check',
          (b: Buffer) => b,
          (b: Buffer) => b,
          request,
          (error, value) => (error || !value ? reject(error) : resolve(value[1] ?? 0)),
        );
      });
    const SERVING = 1;
    const NOT_SERVING = 2;
    assert.equal(await check(''), SERVING);
    handle.health.setServing(false);
    assert.equal(await check(''), NOT_SERVING);
    assert.equal(await check(LIVENESS), SERVING);
    client.close();
    await handle.close();
  });
});

describe('gRPC undecodable requests', () => {
  test('garbage bytes are INVALID_ARGUMENT naming the method, not INTERNAL; the server answers on', async () => {
    const { CurrencyServiceService } = await import('@astroshop/proto');
    const { unary: adapt } = await import('../src/index.ts');
    const handle = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      services: [
        {
          definition: CurrencyServiceService,
          name: 'oteldemo.CurrencyService',
          implementation: {
            getSupportedCurrencies: adapt(logger, async () => ({ currencyCodes: ['EUR'] })),
            convert: adapt(logger, async () => ({ currencyCode: 'EUR', units: 1, nanos: 0 })),
          },
        },
      ],
    });
    const client = new grpc.Client(`127.0.0.1:${handle.port}`, grpc.credentials.createInsecure());
    const send = (bytes: Buffer) =>
      new Promise<grpc.ServiceError | null>((resolve) => {
        client.makeUnaryRequest(
          '/oteldemo.CurrencyService/Convert',
          (b: Buffer) => b,
          (b: Buffer) => b,
          bytes,
          (error) => resolve(error),
        );
      });
    // Field 1 (from: Money) as a length-delimited field claiming 100 bytes it does not have.
    const error = await send(Buffer.from([0x0a, 0x64, 0x01]));
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(
      error?.details ?? '',
      /not a valid protobuf message for \/oteldemo\.CurrencyService\/Convert/,
    );
    assert.equal(await send(Buffer.alloc(0)), null);
    client.close();
    await handle.close();
  });
});
