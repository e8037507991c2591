// The native supervisor's probes speak the probe contract: gRPC Check("")
// is readiness, Check("liveness") liveness (checked against the kit's server);
// its Redis and PostgreSQL probes judge like redis-cli ping and pg_isready.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { createLogger, startGrpcServer } from '../../packages/service-kit/src/index.ts';
import {
  closeHealthClients,
  grpcHealthCheck,
  postgresCheck,
  redisCheck,
} from '../../scripts/devstack/src/health.ts';

describe('devstack gRPC probes', () => {
  test('readiness follows the service; liveness stays true while the process answers', async () => {
    const logger = createLogger('t');
    logger.level = 'silent';
    const server = await startGrpcServer({ host: '127.0.0.1', port: 0, services: [], logger });
    const address = `127.0.0.1:${server.port}`;
    assert.equal(await grpcHealthCheck(address), true);
    assert.equal(await grpcHealthCheck(address, 2000, 'liveness'), true);
    server.health.setServing(false); // e.g. its database is down
    assert.equal(await grpcHealthCheck(address), false);
    assert.equal(await grpcHealthCheck(address, 2000, 'liveness'), true);
    assert.equal(await grpcHealthCheck(address, 2000, 'no.such.Service'), false);
    await server.close();
    assert.equal(await grpcHealthCheck(address, 500, 'liveness'), false);
    closeHealthClients();
  });

  test('a service that starts after a refused probe is healthy at the next probe', async () => {
    // A free port, as a starting service's is: nothing listens yet.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise((done) => probe.close(done));
    const address = `127.0.0.1:${port}`;
    assert.equal(await grpcHealthCheck(address), false);
    const logger = createLogger('t');
    logger.level = 'silent';
    const server = await startGrpcServer({ host: '127.0.0.1', port, services: [], logger });
    // A channel kept from the refused attempt sits in its reconnect backoff
    // (1 s and growing) and fails every call at once until it ends.
    assert.equal(await grpcHealthCheck(address), true);
    await server.close();
    closeHealthClients();
  });
});

describe('devstack Redis and PostgreSQL probes (in-process, as redis-cli ping and pg_isready judge)', () => {
  /** A one-shot TCP server answering its first request with `reply`. */
  const fake = async (reply: Buffer) => {
    const server = createServer((socket) => socket.once('data', () => socket.end(reply)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as AddressInfo).port, close: () => server.close() };
  };
  /** A PostgreSQL ErrorResponse carrying SQLSTATE `code`. */
  const pgError = (code: string) => {
    const fields = Buffer.from(`SFATAL\0C${code}\0Mno\0\0`);
    const head = Buffer.alloc(5);
    head.write('E', 0);
    head.writeInt32BE(4 + fields.length, 1);
    return Buffer.concat([head, fields]);
  };

  test('PONG is healthy; LOADING, another protocol or a closed port are not', async () => {
    for (const [reply, want] of [
      ['+PONG\r\n', true],
      ['-LOADING Redis is loading the dataset in memory\r\n', false],
      ['HTTP/1.1 400 Bad Request\r\n\r\n', false],
    ] as const) {
      const server = await fake(Buffer.from(reply));
      assert.equal(await redisCheck(server.port), want, reply);
      server.close();
    }
    const closed = await fake(Buffer.alloc(0));
    closed.close();
    assert.equal(await redisCheck(closed.port), false);
  });

  test('an authentication request or an auth error is accepting; 57P03 (starting up) is not', async () => {
    const authRequest = Buffer.from([0x52, 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4]); // md5
    for (const [reply, want, what] of [
      [authRequest, true, 'auth request'],
      [pgError('28P01'), true, 'password failed'],
      [pgError('57P03'), false, 'starting up'],
      [Buffer.from('+PONG\r\n'), false, 'not postgres'],
    ] as const) {
      const server = await fake(reply);
      assert.equal(await postgresCheck(server.port), want, what);
      server.close();
    }
  });
});
