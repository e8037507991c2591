import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRoute, normalizePath, ROUTES, resolve } from '../src/routes.ts';

describe('routing table', () => {
  it('keeps the spec §5 order, with the catch-all last', () => {
    assert.deepEqual(
      ROUTES.map((r) => r.name),
      [
        'otlp-http',
        'jaeger-redirect',
        'jaeger',
        'grafana-redirect',
        'grafana',
        'images',
        'flagservice',
        'feature',
        'loadgen-redirect',
        'loadgen',
        'frontend',
      ],
    );
  });

  const cases: [string, string, string][] = [
    // [request target, route, forwarded target]
    ['/otlp-http/v1/traces', 'otlp-http', '/v1/traces'],
    ['/jaeger/ui/search?service=cart', 'jaeger', '/jaeger/ui/search?service=cart'],
    ['/grafana/d/abc', 'grafana', '/grafana/d/abc'],
    ['/images/products/RoofBinoculars.jpg', 'images', '/products/RoofBinoculars.jpg'],
    [
      '/flagservice/flagd.evaluation.v1.Service/ResolveAll',
      'flagservice',
      '/flagd.evaluation.v1.Service/ResolveAll',
    ],
    ['/feature', 'feature', '/'],
    ['/feature/', 'feature', '/'],
    ['/feature/advanced?x=1', 'feature', '/advanced?x=1'],
    ['/feature/api/read', 'feature', '/api/read'],
    ['/loadgen/', 'loadgen', '/'],
    ['/loadgen/stats', 'loadgen', '/stats'],
    ['/', 'frontend', '/'],
    ['/api/products?currencyCode=EUR', 'frontend', '/api/products?currencyCode=EUR'],
    ['/product/OLJCESPC7Z', 'frontend', '/product/OLJCESPC7Z'],
    // prefix routes need their trailing slash: these belong to the frontend
    ['/otlp-http', 'frontend', '/otlp-http'],
    ['/imagesx/a.png', 'frontend', '/imagesx/a.png'],
  ];
  for (const [target, route, forwarded] of cases) {
    it(`${target} → ${route} as ${forwarded}`, () => {
      const r = resolve(target);
      assert.equal(r.kind, 'forward');
      if (r.kind !== 'forward') return;
      assert.equal(r.route.name, route);
      assert.equal(r.url, forwarded);
    });
  }

  for (const [target, location] of [
    ['/jaeger', '/jaeger/'],
    ['/grafana', '/grafana/'],
    ['/loadgen', '/loadgen/'],
    ['/jaeger?x=1', '/jaeger/?x=1'],
  ] as const) {
    it(`redirects ${target} → ${location}`, () => {
      const r = resolve(target);
      assert.equal(r.kind, 'redirect');
      if (r.kind === 'redirect') assert.equal(r.location, location);
    });
  }

  it('tells the upstream which prefix it lives under', () => {
    const r = resolve('/feature/advanced');
    assert.equal(r.kind === 'forward' && r.strippedPrefix, '/feature');
    const f = resolve('/product/x');
    assert.equal(f.kind === 'forward' && f.strippedPrefix, '');
  });

  it('streams flagd without a timeout; others have one', () => {
    const flag = resolve('/flagservice/x');
    assert.equal(flag.kind === 'forward' && flag.action.timeoutMs, 0);
    const front = resolve('/');
    assert.ok(front.kind === 'forward' && front.action.timeoutMs > 0);
  });

  it('only websocket-enabled routes upgrade', () => {
    const feature = resolve('/feature/live');
    assert.equal(feature.kind === 'forward' && feature.action.websocket, true);
    const images = resolve('/images/x');
    assert.equal(images.kind === 'forward' && Boolean(images.action.websocket), false);
  });

  it('resolves dot segments before matching, so a route cannot be escaped', () => {
    assert.equal(normalizePath('/images/../feature/x'), '/feature/x');
    assert.equal(normalizePath('/images/./products//a.jpg'), '/images/products/a.jpg');
    assert.equal(normalizePath('/../../etc/passwd'), '/etc/passwd');
    assert.equal(normalizePath('/a/b/..'), '/a/');
    assert.equal(findRoute(normalizePath('/images/../flagservice/x'))?.name, 'flagservice');
    const r = resolve('/images/../../etc/passwd');
    assert.equal(r.kind === 'forward' && r.route.name, 'frontend');
    assert.equal(r.kind === 'forward' && r.url, '/etc/passwd');
  });
});
