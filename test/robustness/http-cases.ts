// The HTTP surfaces, as a table: per route and method, how to build a bad
// (client-shaped) request. A new route is one more row. The frontend's /api/*
// rows are checked against the frontend's own routing table (apiRoutes), so a
// route added there without a row here fails the run.
//
// The admin surfaces (flagd-ui writes, the load generator's start) get ONLY
// inputs that can never be valid: the stack is shared, and a fuzzed flag
// write that happened to be valid would change every service's behaviour.
import fc from 'fast-check';
import { jsonBody } from './grpc-suite.ts';
import type { Hints, InputBuilder } from './proto-inputs.ts';
import type { TargetName } from './targets.ts';

export interface HttpRequestShape {
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpCase {
  target: TargetName;
  /** Route template, as the server names it. */
  route: string;
  method: string;
  request: fc.Arbitrary<HttpRequestShape>;
}

/** Edge and hostile strings for query values and path segments. */
const HOSTILE = [
  '',
  ' ',
  '%',
  '%E0%A4%A',
  '%00',
  '%2e%2e%2f',
  '..',
  '\u0000',
  'NaN',
  '-1',
  '1e309',
  '🚀',
  '\uD800',
  'x'.repeat(20_000),
  '[',
  '{',
  'None',
];

export function queryValue(realistic: string[] = []): fc.Arbitrary<string> {
  const values = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.string({ maxLength: 16 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
    ...(realistic.length ? [{ weight: 3, arbitrary: fc.constantFrom(...realistic) }] : []),
  );
  // Escaped, or sent raw so truncated escapes like '%E0%A' reach the parser as they are.
  return fc.tuple(values, fc.boolean()).map(([v, raw]) => (raw ? v : encodeURIComponent(v.toWellFormed())));
}

/** `?a=..&b=..` from optional parameters (each may be missing or repeated). */
export function query(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const entries = Object.entries(params).map(([name, value]) =>
    fc.array(value, { maxLength: 2 }).map((vs) => vs.map((v) => `${name}=${v}`)),
  );
  return fc.tuple(...entries, fc.constantFrom('', '&', '&=', '&&x', '&%=%')).map((parts) => {
    const tail = parts.pop() as unknown as string;
    const all = (parts as string[][]).flat();
    return all.length || tail ? `?${all.join('&')}${tail}` : '';
  });
}

/** JSON text for a query parameter that carries JSON (the frontend's /api/shipping). */
const jsonParam = (arb: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: arb.map((v) => encodeURIComponent(JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.constantFrom('', '%7B', '[', 'null', '%5B%5D', '%', '{"a":1}') },
  );

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Content types a client may get wrong. */
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-1000',
  '',
);

const shape = (
  path: fc.Arbitrary<string> | string,
  q: fc.Arbitrary<string> | string = '',
  body?: fc.Arbitrary<string>,
  headers: fc.Arbitrary<Record<string, string>> = fc.constant(JSON_HEADERS),
): fc.Arbitrary<HttpRequestShape> =>
  fc.record({
    path: typeof path === 'string' ? fc.constant(path) : path,
    query: typeof q === 'string' ? fc.constant(q) : q,
    headers,
    body: body ?? fc.constant(undefined),
  }) as fc.Arbitrary<HttpRequestShape>;

export function httpCases(json: InputBuilder, hints: Hints): HttpCase[] {
  const currency = queryValue(hints.currencyCodes);
  const productId = queryValue(hints.productIds);
  const session = queryValue(['robustness-user', '00000000-0000-0000-0000-000000000000']);
  const bigInts = fc.constantFrom(
    0,
    -1,
    1,
    2 ** 31,
    2 ** 53,
    1e21,
    10_001,
    99_999,
    1.5,
    Number.MAX_SAFE_INTEGER,
  );
  const quantity = fc.oneof(
    bigInts,
    fc.integer(),
    fc.constantFrom('1', 'abc', '', null, '2147483648', '1e3', ' 7 '),
  );
  const itemShape = fc.record(
    {
      productId: fc.oneof(
        fc.constantFrom(...(hints.productIds.length ? hints.productIds : ['X'])),
        fc.string(),
      ),
      quantity,
    },
    { requiredKeys: [] },
  );
  const cartBody = jsonBody(
    fc.record(
      { userId: fc.oneof(fc.constant('robustness-user'), fc.string()), item: itemShape },
      { requiredKeys: [] },
    ) as fc.Arbitrary<Record<string, unknown>>,
  );
  const anyBody = jsonBody(fc.object({ maxDepth: 1 }) as fc.Arbitrary<Record<string, unknown>>);
  const productPath = fc
    .oneof(
      productId,
      fc.constantFrom('%', '%E0%A4%A', '%00', '..%2F..%2F', '%2e%2e', '%ZZ', 'a%2Fb', '%F0%9F%9A%80'),
    )
    .map((id) => `/api/products/${id}`);

  const frontend = (route: string, method: string, request: fc.Arbitrary<HttpRequestShape>): HttpCase => ({
    target: 'frontend',
    route,
    method,
    request,
  });

  return [
    // ---------------------------------------------------------------- frontend /api/*
    frontend('/api/cart', 'GET', shape('/api/cart', query({ sessionId: session, currencyCode: currency }))),
    frontend(
      '/api/cart',
      'POST',
      shape(
        '/api/cart',
        query({ currencyCode: currency }),
        cartBody,
        contentType.map((t) => ({ 'content-type': t })),
      ),
    ),
    frontend('/api/cart', 'DELETE', shape('/api/cart', query({ sessionId: session }), anyBody)),
    frontend(
      '/api/checkout',
      'POST',
      shape('/api/checkout', query({ currencyCode: currency }), jsonBody(json.message('PlaceOrderRequest'))),
    ),
    frontend('/api/currency', 'GET', shape('/api/currency', query({ x: queryValue() }))),
    frontend(
      '/api/data',
      'GET',
      shape('/api/data', query({ contextKeys: queryValue(['telescopes', 'binoculars', 'None', 'a,b,,c']) })),
    ),
    frontend('/api/products', 'GET', shape('/api/products', query({ currencyCode: currency }))),
    frontend('/api/products/[productId]', 'GET', shape(productPath, query({ currencyCode: currency }))),
    frontend(
      '/api/recommendations',
      'GET',
      shape(
        '/api/recommendations',
        query({ productIds: productId, sessionId: session, currencyCode: currency }),
      ),
    ),
    frontend(
      '/api/shipping',
      'GET',
      shape(
        '/api/shipping',
        query({
          itemList: jsonParam(fc.oneof(fc.array(itemShape, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }))),
          address: jsonParam(fc.oneof(json.message('Address'), fc.jsonValue({ maxDepth: 1 }))),
          currencyCode: currency,
        }),
      ),
    ),
    frontend(
      '/api/shipping',
      'POST',
      shape(
        '/api/shipping',
        query({ currencyCode: currency }),
        jsonBody(
          fc.record(
            {
              itemList: fc.oneof(fc.array(itemShape, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
              address: fc.oneof(json.message('Address'), fc.jsonValue({ maxDepth: 1 })),
            },
            { requiredKeys: [] },
          ) as fc.Arbitrary<Record<string, unknown>>,
        ),
      ),
    ),
    frontend('/api/flags', 'GET', shape('/api/flags', query({ sessionId: session }))),

    // ---------------------------------------------------------------- quote (HTTP, JSON number in, JSON number out)
    // Valid counts come from a small fixed set: the quote counter is labelled by count.
    {
      target: 'quote',
      route: '/getquote',
      method: 'POST',
      request: shape(
        '/getquote',
        '',
        jsonBody(
          fc.record({ numberOfItems: quantity }, { requiredKeys: [] }) as fc.Arbitrary<
            Record<string, unknown>
          >,
        ),
      ),
    },

    // ---------------------------------------------------------------- image-provider
    {
      target: 'image-provider',
      route: '/*',
      method: 'GET',
      request: shape(
        fc.oneof(
          fc.constantFrom(
            '/products/%2e%2e/%2e%2e/package.json',
            '/%2e%2e/%2e%2e/etc/passwd',
            '/..%2f..%2fetc/passwd',
            '/products/%00',
            '/products/%',
            '/products/%E0%A4%A',
            '/%',
            '//',
            '/.env',
            '/products/.',
            '/products/NebulaX.jpg%00.png',
          ),
          queryValue().map((v) => `/products/${v}`),
        ),
        query({ w: queryValue(['64', '-1', '99999999999']), q: queryValue(['75']) }),
      ),
    },

    // ---------------------------------------------------------------- flagd-ui (admin: never-valid inputs only)
    {
      target: 'flagd-ui',
      route: '/api/read',
      method: 'GET',
      request: shape('/api/read', query({ x: queryValue() })),
    },
    ...['/api/write', '/api/write-to-file'].map(
      (route): HttpCase => ({
        target: 'flagd-ui',
        route,
        method: 'POST',
        request: shape(
          route,
          '',
          neverValidFlagWrite(),
          contentType.map((t) => ({ 'content-type': t })),
        ),
      }),
    ),
    {
      target: 'flagd-ui',
      route: '/api/flags/:key',
      method: 'POST',
      request: shape(
        // Flag keys that do not exist, so no write can succeed; '%' tricks for the param decoder.
        fc
          .oneof(
            fc
              .string({ maxLength: 12 })
              .map((k) => `robustness-no-such-flag-${encodeURIComponent(k.toWellFormed())}`),
            fc.constantFrom('%', '%E0%A4%A', '%00'),
          )
          .map((k) => `/api/flags/${k}`),
        '',
        jsonBody(
          fc.record(
            { variant: fc.oneof(fc.string(), fc.constantFrom(null, 1, [], {}) as fc.Arbitrary<unknown>) },
            { requiredKeys: [] },
          ) as fc.Arbitrary<Record<string, unknown>>,
        ),
        contentType.map((t) => ({ 'content-type': t })),
      ),
    },

    // ---------------------------------------------------------------- load generator UI (admin: never-valid starts only)
    {
      target: 'load-generator',
      route: '/api/stats',
      method: 'GET',
      request: shape('/api/stats', query({ x: queryValue() })),
    },
    {
      target: 'load-generator',
      route: '/api/start',
      method: 'POST',
      request: fc
        .record({ users: badUsers(), spawnRate: badSpawnRate(), form: fc.boolean() })
        .map(({ users, spawnRate, form }) => ({
          path: '/api/start',
          query: '',
          headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
          body: form
            ? `users=${encodeURIComponent(String(users))}&spawnRate=${encodeURIComponent(String(spawnRate))}`
            : JSON.stringify({ users, spawnRate }),
        })),
    },
  ];
}

/** Every method outside a route's own, per frontend route: must be 405/404, never 5xx. */
export const OTHER_METHODS = ['PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'];

/** A flag-file write that can never pass validation (no object under "data.flags"). */
function neverValidFlagWrite(): fc.Arbitrary<string> {
  const notAConfig = fc.oneof(
    fc.constantFrom(null, 0, -1, 'flags', [], [{}], true),
    fc.string().map((s) => ({ flags: s })),
    fc.constant({ flags: null }),
  );
  return fc.oneof(
    { weight: 4, arbitrary: notAConfig.map((data) => JSON.stringify({ data })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', 'null', '[]', 'data=1', '{"data":', `{"data":${'['.repeat(3000)}`),
    },
  );
}

// Out of range or not a number in BOTH fields, so no start can ever succeed.
const badUsers = () => fc.constantFrom(-1, 501, 1e9, 'abc', 'NaN', 1.5, '1e999', -0.5);
const badSpawnRate = () => fc.constantFrom(0, -1, 101, 1e9, 'abc', 'NaN', 'Infinity');
