import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, type FastifyInstance } from '@astroshop/service-kit';
import type { FlagConfig } from '../src/flags.ts';
import { createFlagdUi } from '../src/server.ts';
import { FlagStore } from '../src/store.ts';

describe('flagd-ui HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagd-ui-http-'));
  const file = join(dir, 'demo.flagd.json');
  let app: FastifyInstance;

  before(async () => {
    copyFileSync(new URL('../../../flagd/demo.flagd.json', import.meta.url), file);
    const logger = createLogger('flagd-ui-test');
    logger.level = 'silent';
    const store = new FlagStore(file);
    await store.read();
    app = createFlagdUi({ store, logger });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as FlagConfig;

  it('GET /api/read and the legacy /api/read-file return {flags}', async () => {
    for (const url of ['/api/read', '/api/read-file']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { flags: onDisk().flags });
    }
  });

  it('POST /api/write replaces the file and answers {}', async () => {
    const data = onDisk();
    (data.flags.cartFailure as { defaultVariant: string }).defaultVariant = '50%';
    for (const url of ['/api/write', '/api/write-to-file']) {
      const res = await app.inject({ method: 'POST', url, payload: { data } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {});
    }
    assert.equal(onDisk().flags.cartFailure?.defaultVariant, '50%');
  });

  it('POST /api/write answers 400 with every problem for an invalid config', async () => {
    const before = readFileSync(file, 'utf8');
    const res = await app.inject({
      method: 'POST',
      url: '/api/write',
      payload: { data: { flags: { a: { state: 'ON', variants: { x: 1 }, defaultVariant: 'y' } } } },
    });
    assert.equal(res.statusCode, 400);
    const body = res.json() as { errors: string[] };
    assert.ok(body.errors.some((e) => /state/.test(e)));
    assert.equal(readFileSync(file, 'utf8'), before);
    const missing = await app.inject({ method: 'POST', url: '/api/write', payload: { flags: {} } });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().error, /"data"/);
  });

  it('POST /api/flags/:key switches a variant; unknown flag 404, unknown variant 400', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/api/flags/imageSlowLoad',
      payload: { variant: '10sec' },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(onDisk().flags.imageSlowLoad?.defaultVariant, '10sec');
    const unknown = await app.inject({ method: 'POST', url: '/api/flags/nope', payload: { variant: 'on' } });
    assert.equal(unknown.statusCode, 404);
    const badVariant = await app.inject({
      method: 'POST',
      url: '/api/flags/adFailure',
      payload: { variant: 'x' },
    });
    assert.equal(badVariant.statusCode, 400);
  });

  it('renders every flag on the dashboard, with links under the proxy prefix', async () => {
    const res = await app.inject({ url: '/', headers: { 'x-forwarded-prefix': '/feature' } });
    assert.equal(res.statusCode, 200);
    for (const key of Object.keys(onDisk().flags)) assert.match(res.body, new RegExp(`data-flag="${key}"`));
    assert.match(res.body, /href="\/feature\/advanced"/);
    assert.match(res.body, /data-prefix="\/feature"/);
    assert.match(res.body, /This flag has targeting rules/);
    const direct = await app.inject({ url: '/' });
    assert.match(direct.body, /href="\/advanced"/);
    const hostile = await app.inject({ url: '/', headers: { 'x-forwarded-prefix': '"><script>' } });
    assert.match(hostile.body, /data-prefix=""/);
  });

  it('renders the advanced editor with the current JSON', async () => {
    const res = await app.inject({ url: '/advanced' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<textarea[^>]*>\{\n {2}&quot;\$schema&quot;/);
  });
});

describe('flagd-ui admin safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagd-ui-admin-'));
  const file = join(dir, 'demo.flagd.json');
  let app: FastifyInstance;
  before(async () => {
    copyFileSync(new URL('../../../flagd/demo.flagd.json', import.meta.url), file);
    const logger = createLogger('flagd-ui-test');
    logger.level = 'silent';
    const store = new FlagStore(file);
    await store.read();
    app = createFlagdUi({ store, logger, admin: { token: 't0ken' } });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const variantOnDisk = () =>
    (JSON.parse(readFileSync(file, 'utf8')) as FlagConfig).flags.kafkaQueueProblems?.defaultVariant;

  it('refuses form posts (415), foreign origins (403) and a missing token (401); nothing is written', async () => {
    const attempts = [
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-admin-token': 't0ken' },
        payload: 'variant=on',
        status: 415,
      },
      {
        headers: { 'content-type': 'text/plain', 'x-admin-token': 't0ken' },
        payload: '{"variant":"on"}',
        status: 415,
      },
      {
        headers: {
          'content-type': 'application/json',
          origin: 'http://evil.example',
          'x-admin-token': 't0ken',
        },
        payload: '{"variant":"on"}',
        status: 403,
      },
      { headers: { 'content-type': 'application/json' }, payload: '{"variant":"on"}', status: 401 },
    ];
    for (const { headers, payload, status } of attempts) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/flags/kafkaQueueProblems',
        headers,
        payload,
      });
      assert.equal(res.statusCode, status, JSON.stringify(headers));
    }
    assert.equal(variantOnDisk(), 'off');
    const ok = await app.inject({
      method: 'POST',
      url: '/api/flags/kafkaQueueProblems',
      headers: { authorization: 'Bearer t0ken' },
      payload: { variant: 'on' },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(variantOnDisk(), 'on');
  });

  it("a variant outside the flag's bounds (kafkaQueueProblems = 1e9) is a 400 naming it", async () => {
    const config = JSON.parse(readFileSync(file, 'utf8')) as FlagConfig;
    (config.flags.kafkaQueueProblems as { variants: Record<string, number> }).variants.on = 1e9;
    const res = await app.inject({
      method: 'POST',
      url: '/api/write',
      headers: { 'x-admin-token': 't0ken' },
      payload: { data: config },
    });
    assert.equal(res.statusCode, 400);
    assert.match(
      res.json().error,
      /flags\/kafkaQueueProblems\/variants\/on: 1000000000 is outside 0\.\.1000/,
    );
  });
});
