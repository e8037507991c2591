import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAdminRequest, createHttpApp, createLogger, guardAdminRoutes } from '../src/index.ts';

process.env.LOG_LEVEL = 'silent';
const json = { 'content-type': 'application/json' };

describe('checkAdminRequest', () => {
  test('same-origin JSON from the shop is allowed, with or without Origin', () => {
    assert.equal(checkAdminRequest({ ...json, host: 'localhost:8080' }, {}), undefined);
    assert.equal(
      checkAdminRequest({ ...json, host: 'localhost:8080', origin: 'http://localhost:8080' }, {}),
      undefined,
    );
    assert.equal(checkAdminRequest({ ...json, host: '127.0.0.1:4000' }, {}), undefined);
    assert.equal(checkAdminRequest({ ...json, host: 'flagd-ui:4000' }, {}), undefined);
    assert.equal(checkAdminRequest({ ...json, host: '[::1]:8080' }, {}), undefined);
    assert.equal(
      checkAdminRequest({ 'content-type': 'application/json; charset=utf-8', host: 'localhost' }, {}),
      undefined,
    );
  });

  test('anything but JSON is 415 (a cross-site HTML form cannot send JSON)', () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data',
      undefined,
    ]) {
      assert.equal(
        checkAdminRequest({ 'content-type': type, host: 'localhost:8080' }, {})?.status,
        415,
        type,
      );
    }
  });

  test('a foreign Origin, a cross-site fetch or a rebinding Host is 403', () => {
    const cases = [
      { host: 'localhost:8080', origin: 'http://evil.example' },
      { host: 'localhost:8080', origin: 'null' },
      { host: 'localhost:8080', origin: 'http://localhost:9999' },
      { host: 'localhost:8080', 'sec-fetch-site': 'cross-site' },
      // DNS rebinding: the page's own name resolves to 127.0.0.1, Origin matches Host.
      { host: 'evil.example:8080', origin: 'http://evil.example:8080' },
      { host: 'evil.example:8080' },
      { host: '' },
    ];
    for (const headers of cases) {
      assert.equal(checkAdminRequest({ ...json, ...headers }, {})?.status, 403, JSON.stringify(headers));
    }
  });

  test('ADMIN_ALLOWED_HOSTS adds a public name', () => {
    const policy = { allowedHosts: ['shop.example.com'] };
    const headers = { ...json, host: 'shop.example.com', origin: 'https://shop.example.com' };
    assert.equal(checkAdminRequest(headers, policy), undefined);
    assert.equal(checkAdminRequest(headers, {})?.status, 403);
  });

  test('with ADMIN_TOKEN, the token is required (Bearer or x-admin-token)', () => {
    const policy = { token: 's3cret' };
    const base = { ...json, host: 'localhost:8080' };
    assert.equal(checkAdminRequest(base, policy)?.status, 401);
    assert.equal(checkAdminRequest({ ...base, authorization: 'Bearer nope' }, policy)?.status, 401);
    assert.equal(checkAdminRequest({ ...base, authorization: 'Bearer s3cret' }, policy), undefined);
    assert.equal(checkAdminRequest({ ...base, 'x-admin-token': 's3cret' }, policy), undefined);
  });
});

describe('guardAdminRoutes', () => {
  test('guards state-changing methods only; reads stay open', async () => {
    const app = createHttpApp({ logger: createLogger('t') });
    guardAdminRoutes(app, {});
    let writes = 0;
    app.get('/api/read', async () => ({ ok: true }));
    app.post('/api/write', async () => {
      writes++;
      return {};
    });
    assert.equal((await app.inject({ url: '/api/read' })).statusCode, 200);
    const form = await app.inject({
      method: 'POST',
      url: '/api/write',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      payload: 'users=500',
    });
    assert.equal(form.statusCode, 415);
    assert.match(form.json().error, /application\/json/);
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/write',
      headers: { origin: 'http://evil.example' },
      payload: {},
    });
    assert.equal(foreign.statusCode, 403);
    assert.equal(writes, 0);
    assert.equal((await app.inject({ method: 'POST', url: '/api/write', payload: {} })).statusCode, 200);
    assert.equal(writes, 1);
    await app.close();
  });
});
