import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from '@astroshop/service-kit';
import type { Runner } from '../src/runner.ts';
import type { Stats } from '../src/stats.ts';
import { createWebApp } from '../src/web.ts';

process.env.LOG_LEVEL = 'silent';

function app(admin = {}) {
  const started: [number, number][] = [];
  const runner = {
    state: 'stopped',
    users: 0,
    spawnRate: 1,
    http: { target: 0, errors: 0 },
    start: (users: number, rate: number) => void started.push([users, rate]),
    stop: async () => undefined,
  } as unknown as Runner;
  const stats = { reset: () => undefined } as unknown as Stats;
  const web = createWebApp({
    logger: createLogger('t'),
    runner,
    stats,
    target: new URL('http://127.0.0.1:8080'),
    flagError: () => undefined,
    admin,
  });
  return { web, started };
}

describe('load generator control', () => {
  test('a plain HTML form post (any page the operator visits) cannot start users: 415', async () => {
    const { web, started } = app();
    const res = await web.inject({
      method: 'POST',
      url: '/api/start',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      payload: 'users=500&spawnRate=100',
    });
    assert.equal(res.statusCode, 415);
    assert.deepEqual(started, []);
  });

  test('a cross-origin JSON post is 403; the same-origin one starts', async () => {
    const { web, started } = app();
    const foreign = await web.inject({
      method: 'POST',
      url: '/api/start',
      headers: { origin: 'http://evil.example' },
      payload: { users: 500, spawnRate: 100 },
    });
    assert.equal(foreign.statusCode, 403);
    const stop = await web.inject({
      method: 'POST',
      url: '/api/stop',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: {},
    });
    assert.equal(stop.statusCode, 403);
    const ok = await web.inject({
      method: 'POST',
      url: '/api/start',
      headers: { host: 'localhost:8080', origin: 'http://localhost:8080' },
      payload: { users: 5, spawnRate: 2 },
    });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(started, [[5, 2]]);
  });

  test('bad numbers are a 400 naming the field; the token is honoured when set', async () => {
    const { web, started } = app({ token: 'tok' });
    const noToken = await web.inject({ method: 'POST', url: '/api/start', payload: { users: 5 } });
    assert.equal(noToken.statusCode, 401);
    const bad = await web.inject({
      method: 'POST',
      url: '/api/start',
      headers: { 'x-admin-token': 'tok' },
      payload: { users: '5e9' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error, /users/);
    assert.deepEqual(started, []);
  });
});
