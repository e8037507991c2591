// The one server: service-kit's probes and guards with /api, the forwards and
// Next.js mounted on it (Next faked: its handler is a function of (req, res)).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@astroshop/service-kit';
import { createFrontendApp } from '../src/server/app.ts';

const logger = createLogger('frontend-test');

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes raw bytes and returns everything the server sends until it closes the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('frontend server', () => {
  let base = '';
  let port = 0;
  let ready = false;
  let markLoaded: () => void = () => undefined;
  const pagesLoaded = new Promise<void>((done) => {
    markLoaded = done;
  });
  const rendered: string[] = [];
  const app = createFrontendApp({
    logger,
    api: async (req, res, url) => {
      const body = await readAll(req);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ method: req.method, path: url.pathname, query: url.search, body }));
    },
    render: async (req, res) => {
      if (req.url === '/boom') throw new Error('render failed');
      rendered.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${req.url}</p>`);
    },
    pagesReady: () => ready,
    pagesLoaded,
    collector: { host: '127.0.0.1', port: 9 },
    imageProvider: { host: '127.0.0.1', port: 9 },
  });

  before(async () => {
    // What Next does on its first request: an 'upgrade' listener that ignores what it cannot route.
    app.server.on('upgrade', () => undefined);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    base = `http://127.0.0.1:${port}`;
  });
  after(() => app.close());

  it('is live but not ready while the pages load, and a page waits for them', async () => {
    assert.equal((await fetch(`${base}/livez`)).status, 200);
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: 'NOT_SERVING' });
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    const page = fetch(`${base}/product/X`);
    // The page request is parked on pagesLoaded: nothing rendered until it resolves.
    await fetch(`${base}/livez`);
    assert.deepEqual(rendered, []);
    ready = true;
    markLoaded();
    const answer = await page;
    assert.equal(answer.status, 200);
    assert.equal(await answer.text(), '<p>/product/X</p>');
    const after = await fetch(`${base}/health`);
    assert.equal(after.status, 200);
    assert.deepEqual(await after.json(), { status: 'SERVING' });
  });

  it('hands /api requests over untouched, body and query included', async () => {
    const answer = await fetch(`${base}/api/cart?sessionId=a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"userId":"a"}',
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), {
      method: 'POST',
      path: '/api/cart',
      query: '?sessionId=a',
      body: '{"userId":"a"}',
    });
    // A body Fastify has no parser for (and no content type at all) reaches the handler too.
    const text = await fetch(`${base}/api`, {
      method: 'DELETE',
      body: 'x',
      headers: { 'content-type': 'text/x' },
    });
    assert.equal(((await text.json()) as { body: string }).body, 'x');
  });

  it('renders every other path with Next.js, the root included', async () => {
    for (const path of ['/', '/cart', '/_next/static/x.js']) {
      const answer = await fetch(`${base}${path}`);
      assert.equal(answer.status, 200, path);
      assert.equal(await answer.text(), `<p>${path}</p>`);
    }
  });

  it('answers a render failure with a 500 and keeps serving', async () => {
    const answer = await fetch(`${base}/boom`);
    assert.equal(answer.status, 500);
    assert.deepEqual(await answer.json(), { error: 'internal error' });
    assert.equal((await fetch(`${base}/livez`)).status, 200);
  });

  it('answers an unparseable request target with a 400, upgrade or not', async () => {
    for (const extra of ['', 'Connection: Upgrade\r\nUpgrade: websocket\r\n']) {
      const answer = await rawExchange(
        port,
        `GET //[ HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 400 /, JSON.stringify(extra));
      assert.match(answer, /malformed request target/);
    }
    assert.equal((await fetch(`${base}/livez`)).status, 200);
  });

  it('names the forward target that is down with a 502', async () => {
    const answer = await fetch(`${base}/images/products/x.jpg`);
    assert.equal(answer.status, 502);
    assert.match(((await answer.json()) as { error: string }).error, /127\.0\.0\.1:9 unavailable/);
  });
});
