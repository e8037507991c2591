// The frontend proxy against the running stack: every route reaches its real
// upstream, the imageSlowLoad fault delays, a down upstream is a clear 502,
// and the proxy's spans join the caller's trace.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { eventually, getTrace } from './lib/backends.ts';

const PROXY = process.env.PROXY_URL ?? 'http://127.0.0.1:8080';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

describe('frontend-proxy (stack)', () => {
  it('has its own health endpoint', async () => {
    const res = await fetch(`${PROXY}/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'SERVING');
  });

  it('redirects /jaeger and serves the Jaeger UI and API under /jaeger/ui', async () => {
    const redirect = await fetch(`${PROXY}/jaeger`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/jaeger/');
    const ui = await fetch(`${PROXY}/jaeger/ui/`);
    assert.equal(ui.status, 200);
    // The native Jaeger may be built without UI assets (a placeholder page); both name Jaeger.
    assert.match(await ui.text(), /Jaeger/);
    const services = await fetch(`${PROXY}/jaeger/ui/api/services`);
    assert.equal(services.status, 200);
    assert.ok(Array.isArray(((await services.json()) as { data: unknown }).data));
  });

  it('forwards OTLP/HTTP from browsers to the collector (/otlp-http/v1/traces)', async () => {
    const traceId = hex(16);
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'proxy-stack-test' } }] },
          scopeSpans: [
            {
              scope: { name: 'stack-test' },
              spans: [
                {
                  traceId,
                  spanId: hex(8),
                  name: 'browser span through the proxy',
                  kind: 1,
                  startTimeUnixNano: String(now - 5_000_000n),
                  endTimeUnixNano: String(now),
                  attributes: [{ key: 'test.case', value: { stringValue: 'otlp-http' } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await fetch(`${PROXY}/otlp-http/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const spans = await eventually(`trace ${traceId} in Jaeger`, async () => {
      const found = await getTrace(traceId);
      return found.some((s) => s.name === 'browser span through the proxy') ? found : undefined;
    });
    assert.equal(spans.find((s) => s.name === 'browser span through the proxy')?.service, 'proxy-stack-test');
  });

  it('reaches flagd through /flagservice/ (Connect JSON)', async () => {
    const res = await fetch(`${PROXY}/flagservice/flagd.evaluation.v1.Service/ResolveBoolean`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flagKey: 'adFailure', context: {} }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { value: unknown; variant: string };
    assert.equal(typeof body.value, 'boolean');
    assert.ok(body.variant);
  });

  it('serves product images, delayed by the imageSlowLoad fault header', async () => {
    // What must happen, read from the proxy's own spans (no wall-clock bound):
    // the faulted request is held for the asked delay and then forwarded, the
    // plain one is forwarded with no fault. How long either takes is bench's business.
    const url = `${PROXY}/images/products/RoofBinoculars.jpg`;
    const plainTrace = hex(16);
    const plain = await fetch(url, { headers: { traceparent: `00-${plainTrace}-${hex(8)}-01` } });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('content-type'), 'image/jpeg');
    await plain.arrayBuffer();

    const delayMs = 1500;
    const slowTrace = hex(16);
    const slow = await fetch(url, {
      headers: {
        'x-envoy-fault-delay-request': String(delayMs),
        'cache-control': 'no-cache',
        traceparent: `00-${slowTrace}-${hex(8)}-01`,
      },
    });
    assert.equal(slow.status, 200);
    await slow.arrayBuffer();

    const forwarded = async (traceId: string) => {
      const spans = await eventually(`proxy and image-provider spans of ${traceId}`, async () => {
        const found = await getTrace(traceId);
        const services = new Set(found.map((s) => s.service));
        return services.has('frontend-proxy') && services.has('image-provider') ? found : undefined;
      });
      const server = spans.find((s) => s.service === 'frontend-proxy' && s.kind === 2);
      assert.ok(server, `no frontend-proxy server span in ${traceId}`);
      return server;
    };
    assert.equal((await forwarded(slowTrace)).attributes['fault.delay_ms'], delayMs);
    assert.equal((await forwarded(plainTrace)).attributes['fault.delay_ms'], undefined);
  });

  it('joins the caller trace and propagates it to the upstream', async () => {
    const traceId = hex(16);
    const res = await fetch(`${PROXY}/images/products/SolarFilter.jpg`, {
      headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const spans = await eventually('proxy and image-provider spans', async () => {
      const found = await getTrace(traceId);
      const services = new Set(found.map((s) => s.service));
      return services.has('frontend-proxy') && services.has('image-provider') ? found : undefined;
    });
    const server = spans.find((s) => s.service === 'frontend-proxy' && s.kind === 2);
    assert.equal(server?.attributes['url.template'], 'images');
  });

  it('answers a clear 502 naming the upstream when it is down', async (t) => {
    // Grafana is the upstream most often absent natively; skip when it runs.
    if (await listening(Number(process.env.GRAFANA_PORT ?? 3000))) {
      t.skip('grafana is up; no down upstream to test against');
      return;
    }
    const json = await fetch(`${PROXY}/grafana/api/health`, { headers: { accept: 'application/json' } });
    assert.equal(json.status, 502);
    const body = (await json.json()) as { error: string; upstream: string };
    assert.equal(body.upstream, 'grafana');
    assert.match(body.error, /connection refused/);
    const html = await fetch(`${PROXY}/grafana/`, { headers: { accept: 'text/html' } });
    assert.equal(html.status, 502);
    assert.match(await html.text(), /502 Bad Gateway[\s\S]*grafana/);
  });
});
