import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@astroshop/service-kit';
import { createFrontendProxy, type ProxyHandle } from '../src/proxy.ts';
import type { ClusterName, Clusters } from '../src/routes.ts';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A fake upstream recording what reached it; `handler` may take over. */
function upstream(name: string, handler?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    if (handler?.(req, res)) return;
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ upstream: name, url: req.url }));
    });
  });
  return { server, seen };
}

const listen = (server: http.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );

/** Resolves once `condition` holds; the bound only turns a hang into a failure, it claims no speed. */
async function until(what: string, condition: () => boolean, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Rejects with `what` if `promise` has not settled within the hang guard. */
function orHang<T>(what: string, promise: Promise<T>, boundMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: ${what}`)), boundMs);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

describe('frontend proxy', () => {
  const logger = createLogger('frontend-proxy-test');
  logger.level = 'silent';
  let proxy: ProxyHandle;
  let base: string;
  const ups: Record<string, ReturnType<typeof upstream>> = {};
  const servers: http.Server[] = [];
  const upstreamSockets: net.Socket[] = [];
  /** The fault delays the proxy asked for, each held until the test releases it. */
  const waits: { ms: number; release: () => void }[] = [];
  const heldWait = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      waits.push({ ms, release: resolve });
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  /** The upstream's second chunk of /stream waits for this. */
  let releaseSecondChunk = () => {};
  const secondChunk = new Promise<void>((resolve) => {
    releaseSecondChunk = resolve;
  });

  before(async () => {
    const clusters = {} as Clusters;
    const names: ClusterName[] = [
      'otel-collector',
      'jaeger',
      'image-provider',
      'flagd',
      'flagd-ui',
      'frontend',
    ];
    for (const name of names) {
      const u = upstream(name, (req, res) => {
        if (req.url === '/stream') {
          // The second chunk is held until the client has read the first: a
          // buffering proxy would never deliver the first one.
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('first\n');
          void secondChunk.then(() => res.end('second\n'));
          return true;
        }
        if (req.url === '/hang') return true; // never answers
        return false;
      });
      u.server.on('upgrade', (_req, socket) => {
        upstreamSockets.push(socket as net.Socket);
        socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n');
        socket.on('data', (d) => socket.write(`echo:${d}`));
      });
      ups[name] = u;
      servers.push(u.server);
      clusters[name] = { host: '127.0.0.1', port: await listen(u.server) };
    }
    // grafana and load-generator are "down": nothing listens there.
    clusters.grafana = { host: '127.0.0.1', port: await freePort() };
    clusters['load-generator'] = { host: '127.0.0.1', port: await freePort() };
    proxy = createFrontendProxy({
      clusters,
      logger,
      faults: { maxActive: 2, maxDelayMs: 1500, wait: heldWait },
      timeoutOverrideMs: 400,
    });
    base = `http://127.0.0.1:${await proxy.listen('127.0.0.1', 0)}`;
  });

  after(async () => {
    await proxy.close(100);
    // Upgraded sockets leave the HTTP server's books, so close() alone would wait forever.
    for (const socket of upstreamSockets) socket.destroy();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('forwards to the route upstream with the prefix rewritten and query kept', async () => {
    const res = await fetch(`${base}/images/products/RoofBinoculars.jpg?v=1`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      upstream: 'image-provider',
      url: '/products/RoofBinoculars.jpg?v=1',
    });
    const flag = await (await fetch(`${base}/feature/advanced`)).json();
    assert.deepEqual(flag, { upstream: 'flagd-ui', url: '/advanced' });
    assert.equal(ups['flagd-ui']?.seen.at(-1)?.headers['x-forwarded-prefix'], '/feature');
    const front = await (await fetch(`${base}/product/OLJCESPC7Z`)).json();
    assert.deepEqual(front, { upstream: 'frontend', url: '/product/OLJCESPC7Z' });
    assert.equal(ups.frontend?.seen.at(-1)?.headers['x-forwarded-prefix'], undefined);
    assert.ok(ups.frontend?.seen.at(-1)?.headers['x-forwarded-for']);
  });

  it('passes request bodies and methods through (OTLP POST)', async () => {
    const body = JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(200_000) });
    const res = await fetch(`${base}/otlp-http/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 200);
    const seen = ups['otel-collector']?.seen.at(-1);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, '/v1/traces');
    assert.equal(seen?.body, body);
  });

  it('streams responses instead of buffering them', async () => {
    const res = await fetch(`${base}/flagservice/stream`);
    const reader = res.body?.getReader();
    assert.ok(reader);
    // The upstream sends the rest only after this read: buffering would hang here.
    const first = await orHang('first chunk (the proxy buffered the response)', reader.read());
    assert.match(new TextDecoder().decode(first.value), /^first/);
    releaseSecondChunk();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    assert.match(rest, /second/);
  });

  it('redirects bare prefixes with 301, keeping the query', async () => {
    for (const [from, to] of [
      ['/jaeger', '/jaeger/'],
      ['/grafana?orgId=1', '/grafana/?orgId=1'],
      ['/loadgen', '/loadgen/'],
    ]) {
      const res = await fetch(`${base}${from}`, { redirect: 'manual' });
      assert.equal(res.status, 301, from);
      assert.equal(res.headers.get('location'), to);
    }
  });

  it('holds requests carrying the fault header for that delay before forwarding, and strips it', async () => {
    const images = ups['image-provider'];
    assert.ok(images);
    const forwardedBefore = images.seen.length;
    const waitsBefore = waits.length;
    const pending = fetch(`${base}/images/products/a.jpg`, {
      headers: { 'x-envoy-fault-delay-request': '500' },
    });
    await until('the proxy to start the fault delay', () => waits.length > waitsBefore);
    const held = waits.at(-1);
    assert.equal(held?.ms, 500);
    assert.equal(images.seen.length, forwardedBefore, 'forwarded while the delay was still running');
    held?.release();
    const res = await orHang('the delayed request', pending);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(images.seen.length, forwardedBefore + 1);
    assert.equal(images.seen.at(-1)?.headers['x-envoy-fault-delay-request'], undefined);
  });

  it('ignores invalid fault headers and clamps huge delays', async () => {
    const waitsBefore = waits.length;
    const invalid = await orHang(
      'a request with an invalid fault header',
      fetch(`${base}/images/a`, { headers: { 'x-envoy-fault-delay-request': 'soon' } }),
    );
    assert.equal(invalid.status, 200);
    await invalid.arrayBuffer();
    assert.equal(waits.length, waitsBefore, 'an invalid header started a delay');

    const huge = fetch(`${base}/images/a`, { headers: { 'x-envoy-fault-delay-request': '99999999' } });
    await until('the clamped delay to start', () => waits.length > waitsBefore);
    assert.equal(waits.at(-1)?.ms, 1500, 'clamped to maxDelayMs');
    waits.at(-1)?.release();
    assert.equal((await orHang('the clamped request', huge)).status, 200);
  });

  it('bounds concurrent faults: beyond maxActive requests pass undelayed', async () => {
    const waitsBefore = waits.length;
    let answered = 0;
    const requests = Array.from({ length: 4 }, () =>
      fetch(`${base}/images/a`, { headers: { 'x-envoy-fault-delay-request': '600' } }).then(async (res) => {
        await res.arrayBuffer();
        answered++;
        return res.status;
      }),
    );
    // Two take the two fault slots and are held; the other two find them full and pass.
    await until('two held and two answered', () => waits.length - waitsBefore === 2 && answered === 2);
    assert.equal(proxy.faults.active, 2);
    for (const held of waits.slice(waitsBefore)) held.release();
    assert.deepEqual(await orHang('the held requests', Promise.all(requests)), [200, 200, 200, 200]);
    assert.equal(waits.length - waitsBefore, 2, 'only maxActive requests were delayed');
  });

  it('answers 502 JSON naming the upstream when it is down', async () => {
    const res = await fetch(`${base}/grafana/api/health`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 502);
    const body = (await res.json()) as { error: string; upstream: string };
    assert.equal(body.upstream, 'grafana');
    assert.match(body.error, /connection refused/);
  });

  it('answers a small HTML page to browsers', async () => {
    const res = await fetch(`${base}/loadgen/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /502 Bad Gateway/);
    assert.match(html, /load-generator/);
  });

  it('answers 504 when the upstream does not respond in time', async () => {
    // The 504 is the proxy's own timeout firing; the guard only turns a hang into a failure.
    const res = await orHang('the answer to a hanging upstream', fetch(`${base}/hang`));
    assert.equal(res.status, 504);
    assert.match(((await res.json()) as { error: string }).error, /frontend/);
  });

  it('upgrades websockets on /feature and relays frames both ways', async () => {
    const { port } = new URL(base);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.write(
      'GET /feature/live/websocket HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n',
    );
    let received = '';
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('data', (d) => {
        received += d;
        if (received.includes('\r\n\r\n') && !received.includes('echo:')) socket.write('ping');
        if (received.includes('echo:ping')) resolve();
      });
    });
    assert.match(received, /^HTTP\/1.1 101/);
    socket.destroy();
  });

  it('refuses websocket upgrades on routes without them', async () => {
    const { port } = new URL(base);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.write('GET /images/x HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\r\n');
    let received = '';
    for await (const chunk of socket) received += chunk;
    assert.match(received, /^HTTP\/1.1 404/);
  });

  /** Raw bytes in, everything the proxy wrote until it closed out. */
  async function rawExchange(bytes: string): Promise<string> {
    const { port } = new URL(base);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.write(bytes);
    let received = '';
    for await (const chunk of socket) received += chunk;
    return received;
  }

  it('survives upgrade-then-reset, repeated, on refused and on proxied websocket routes', async () => {
    const { port } = new URL(base);
    const targets = ['/images/x', '/feature/live/websocket', '/nowhere', '/loadgen/ws'];
    for (let i = 0; i < 40; i++) {
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((r) => socket.once('connect', r));
      socket.write(
        `GET ${targets[i % targets.length]} HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n`,
      );
      // Half of them reset at once, half after the proxy had time to answer.
      if (i % 2) await new Promise((r) => setImmediate(r));
      socket.resetAndDestroy();
      await new Promise((r) => socket.once('close', r));
    }
    const res = await fetch(`${base}/livez`);
    assert.equal(res.status, 200);
  });

  it('answers malformed upgrades with a status and closes', async () => {
    const upgrade = 'upgrade: websocket\r\nconnection: Upgrade\r\n\r\n';
    assert.match(await rawExchange(`GET * HTTP/1.1\r\nhost: x\r\n${upgrade}`), /^HTTP\/1.1 400/);
    assert.match(
      await rawExchange(
        'GET /feature/live/websocket HTTP/1.1\r\nhost: x\r\nupgrade: h2c\r\nconnection: Upgrade\r\n\r\n',
      ),
      /^HTTP\/1.1 400 Bad Request[\s\S]*only websocket upgrades/,
    );
    assert.match(
      await rawExchange('GET /\\[ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
      /^HTTP\/1.1 400/,
    );
    assert.match(await rawExchange(`GET /feature/\\[ HTTP/1.1\r\nhost: x\r\n${upgrade}`), /^HTTP\/1.1 400/);
    assert.match(
      await rawExchange('GET /images/\\[ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
      /^HTTP\/1.1 400/,
    );
    assert.match(await rawExchange('BLAH\r\n\r\n'), /^HTTP\/1.1 400/);
  });

  it('answers /livez itself, 200 even while the frontend is away', async () => {
    const before = ups.frontend?.seen.length;
    const res = await fetch(`${base}/livez`);
    assert.equal(res.status, 200);
    assert.equal(ups.frontend?.seen.length, before);
  });

  it('has its own health endpoint that does not reach the frontend', async () => {
    const before = ups.frontend?.seen.length;
    for (const path of ['/health', '/readyz', '/health?x=1']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(((await res.json()) as { status: string }).status, 'SERVING');
    }
    assert.equal(ups.frontend?.seen.length, before);
  });
});

describe('frontend proxy drain', () => {
  it('finishes in-flight requests on close and refuses new connections', async () => {
    const logger = createLogger('frontend-proxy-test');
    logger.level = 'silent';
    const slow = http.createServer((_req, res) => {
      setTimeout(() => res.end('done'), 300);
    });
    const port = await listen(slow);
    const target = { host: '127.0.0.1', port };
    const clusters = Object.fromEntries(
      [
        'otel-collector',
        'jaeger',
        'grafana',
        'image-provider',
        'flagd',
        'flagd-ui',
        'load-generator',
        'frontend',
      ].map((n) => [n, target]),
    ) as Clusters;
    const proxy = createFrontendProxy({ clusters, logger });
    const proxyPort = await proxy.listen('127.0.0.1', 0);
    const inFlight = fetch(`http://127.0.0.1:${proxyPort}/slow`, { headers: { connection: 'close' } });
    await new Promise((r) => setTimeout(r, 100));
    const closing = proxy.close(2000);
    const res = await inFlight;
    assert.equal(await res.text(), 'done');
    await closing;
    await assert.rejects(fetch(`http://127.0.0.1:${proxyPort}/`));
    slow.closeAllConnections();
    await new Promise((r) => slow.close(r));
  });
});
