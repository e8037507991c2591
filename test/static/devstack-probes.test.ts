// The native supervisor's probes speak the probe contract: gRPC Check("")
// is readiness, Check("liveness") liveness (checked against the kit's server).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger, startGrpcServer } from '../../packages/service-kit/src/index.ts';
import { closeHealthClients, grpcHealthCheck } from '../../scripts/devstack/src/health.ts';

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
});
