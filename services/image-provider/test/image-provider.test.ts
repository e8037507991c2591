import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger, type FastifyInstance } from '@astroshop/service-kit';
import { createImageServer } from '../src/server.ts';

const root = fileURLToPath(new URL('../static', import.meta.url));

// Spec §7: the catalog's `picture` column.
const PICTURES = [
  'NationalParkFoundationExplorascope.jpg',
  'StarsenseExplorer.jpg',
  'EclipsmartTravelRefractorTelescope.jpg',
  'LensCleaningKit.jpg',
  'RoofBinoculars.jpg',
  'SolarSystemColorImager.jpg',
  'RedFlashlight.jpg',
  'OpticalTubeAssembly.jpg',
  'SolarFilter.jpg',
  'TheCometBook.jpg',
];

/** Sends a raw request line, so nothing normalises the path on the way. */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => {
      data += d;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
  });
}

describe('image-provider', () => {
  const statusOf = (path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      http
        .get(`${base}${path}`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
  let app: FastifyInstance;
  let base: string;
  let port: number;

  before(async () => {
    const logger = createLogger('image-provider-test');
    logger.level = 'silent';
    app = await createImageServer({ root, maxAgeS: 3600, logger });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as net.AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(() => app.close());

  it('serves every catalog picture as a real, small JPEG', async () => {
    for (const picture of PICTURES) {
      const res = await fetch(`${base}/products/${picture}`);
      assert.equal(res.status, 200, picture);
      assert.equal(res.headers.get('content-type'), 'image/jpeg', picture);
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], `${picture} is not a JPEG`);
      assert.ok(bytes.length < 60 * 1024, `${picture} is ${bytes.length} bytes`);
    }
  });

  it('serves the banner and logo as PNG', async () => {
    for (const file of ['Banner.png', 'opentelemetry-demo-logo.png']) {
      const res = await fetch(`${base}/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    }
  });

  it('sends caching headers and answers 304 to a matching If-None-Match', async () => {
    const res = await fetch(`${base}/products/RoofBinoculars.jpg`);
    await res.arrayBuffer();
    const etag = res.headers.get('etag');
    assert.ok(etag, 'no ETag');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=3600/);
    assert.ok(res.headers.get('last-modified'));
    // node:http, not fetch: fetch adds `cache-control: no-cache` to conditional requests.
    assert.equal(await statusOf('/products/RoofBinoculars.jpg', { 'if-none-match': etag }), 304);
    assert.equal(await statusOf('/products/RoofBinoculars.jpg', { 'if-none-match': '"nope"' }), 200);
  });

  it('ignores the image loader query string', async () => {
    const res = await fetch(`${base}/products/SolarFilter.jpg?w=640&q=75`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });

  it('answers 404 JSON for unknown files', async () => {
    const res = await fetch(`${base}/products/Nope.jpg`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.ok(((await res.json()) as { error: string }).error);
  });

  for (const target of [
    '/../package.json',
    '/products/../../package.json',
    '/%2e%2e/package.json',
    '/products/%2e%2e/%2e%2e/package.json',
    '/products/..%2f..%2fpackage.json',
    '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '//etc/passwd',
    '/etc/passwd',
    `/${encodeURIComponent(root)}%2f..%2fpackage.json`,
    // Encoding tricks must be a 4xx, never a 5xx (issue 14).
    '/products/%E0%A4%A',
    '/products/%',
    '/products/%00',
    '/products/a%00.jpg',
    '/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
    '/..%5cpackage.json',
    '/products/..%255c..%255cpackage.json',
    '/%252e%252e/package.json',
    `/products/${'a'.repeat(5000)}.jpg`,
  ]) {
    it(`does not escape the web root: ${target}`, async () => {
      const res = await rawGet(port, target);
      assert.ok([400, 403, 404].includes(res.status), `${target} → ${res.status}`);
      assert.doesNotMatch(res.body, /"name"|root:/);
    });
  }

  it('reports nginx-style status and health', async () => {
    const status = await fetch(`${base}/status`);
    assert.equal(status.status, 200);
    assert.match(
      await status.text(),
      /^Active connections: \d+ \nserver accepts handled requests\n \d+ \d+ \d+ /,
    );
    const health = await fetch(`${base}/health`);
    assert.deepEqual(await health.json(), { status: 'SERVING' });
  });
});
