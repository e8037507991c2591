// One status mapping: for every gRPC status a neighbour can answer, the
// frontend's /api answer carries the same HTTP status a service-kit Fastify
// service gives for the same neighbour failure (issue 16: FAILED_PRECONDITION
// was a 502 here and a 400 there).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHttpApp, createLogger, GrpcStatus } from '@astroshop/service-kit';
import { neighbourFailure } from '@astroshop/service-kit/testing';
import type { Gateways } from '../src/server/gateways.ts';
import { apiRoutes } from '../src/server/handlers.ts';
import { runApi } from '../src/server/router.ts';

const codes = Object.entries(GrpcStatus).filter(
  (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] !== GrpcStatus.OK,
);

/** The frontend's answer when the ad neighbour fails with `code`. */
async function frontendStatus(code: number) {
  const gateways = {
    ad: {
      getAds: async () => {
        throw neighbourFailure('ad', code, 'the reason, naming contextKeys');
      },
    },
  } as unknown as Gateways;
  return runApi(apiRoutes({ imageSlowLoad: async () => 0 }), gateways, {
    method: 'GET',
    url: new URL('/api/data', 'http://frontend'),
    readBody: async () => '',
  });
}

describe('frontend /api status = service-kit HTTP status', () => {
  it('agrees for every gRPC status, names the neighbour and keeps its reason', async () => {
    const logger = createLogger('status-mapping-test');
    logger.level = 'silent';
    const app = createHttpApp({ logger });
    app.get('/fail/:code', async (request) => {
      throw neighbourFailure('ad', Number((request.params as { code: string }).code), 'x');
    });
    try {
      const seen = new Map<number, string[]>();
      for (const [name, code] of codes) {
        const kit = await app.inject({ method: 'GET', url: `/fail/${code}` });
        const ours = await frontendStatus(code);
        assert.equal(
          ours.status,
          kit.statusCode,
          `${name}: frontend ${ours.status}, service-kit ${kit.statusCode}`,
        );
        // A timeout's reason is whose deadline passed, not the neighbour's words.
        const reason =
          code === GrpcStatus.DEADLINE_EXCEEDED ? /no answer within/ : /the reason, naming contextKeys$/;
        assert.match(
          (ours.body as { error: string }).error,
          /^ad service (rejected the request|unavailable|timed out|failed): /,
        );
        assert.match((ours.body as { error: string }).error, reason);
        assert.equal(ours.serverFault, ours.status >= 500, name);
        seen.set(ours.status, [...(seen.get(ours.status) ?? []), name]);
      }
      // The classes the issue names, so a table that collapsed them all to one status fails too.
      const statusOf = (name: string) => [...seen].find(([, names]) => names.includes(name))?.[0];
      assert.equal(statusOf('FAILED_PRECONDITION'), 400);
      assert.equal(statusOf('INVALID_ARGUMENT'), 400);
      assert.equal(statusOf('NOT_FOUND'), 404);
      assert.equal(statusOf('UNAVAILABLE'), 503);
      assert.equal(statusOf('INTERNAL'), 502);
    } finally {
      await app.close();
    }
  });
});
