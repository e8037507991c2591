// The raw-socket cases, as a table. A new bad-input class is ONE row: a name,
// the targets, the bytes (or steps), and what must happen. Every row is judged
// by the same oracle: no 5xx status line, an answer or a close within the
// bound ('reply'), a never-finished request cut off within the slow bound
// ('cut-off'), or nothing but survival ('survive': resets, garbage on gRPC).
import type { RawStep } from './raw.ts';
import type { TargetName } from './targets.ts';

export type Expect = 'reply' | 'cut-off' | 'survive';

export interface RawCase {
  name: string;
  targets: readonly TargetName[];
  /** The steps for one target (a function when the bytes depend on it). */
  steps: RawStep[] | ((t: TargetName) => RawStep[]);
  repeat?: number;
  expect?: Expect;
}

const HTTP_SERVERS = [
  'frontend-proxy',
  'frontend',
  'image-provider',
  'flagd-ui',
  'load-generator',
  'quote',
  'shipping',
  'email',
] as const;
const EDGE = ['frontend-proxy', 'frontend'] as const;
const GRPC_SERVERS = [
  'ad',
  'cart',
  'checkout',
  'currency',
  'payment',
  'product-catalog',
  'recommendation',
] as const;

/** Where each HTTP server takes a POST body (so smuggling and slow bodies hit a real body parser). */
const POST_PATH: Partial<Record<TargetName, string>> = {
  'frontend-proxy': '/api/cart',
  frontend: '/api/cart',
  'image-provider': '/products/x.jpg',
  'flagd-ui': '/api/flags/robustness-no-such-flag',
  // An empty object is not a valid start (users is required), so no load is ever started.
  'load-generator': '/api/start',
  quote: '/getquote',
  shipping: '/get-quote',
  email: '/send_order_confirmation',
};
const postPath = (t: TargetName) => POST_PATH[t] ?? '/';

const CRLF = '\r\n';
/** A request from its head lines (CRLF-joined, blank line added) and an optional body. */
const req = (lines: string[], body = '') => `${lines.join(CRLF)}${CRLF}${CRLF}${body}`;
const H = 'Host: localhost';
const C = 'Connection: close';
const line = (requestLine: string) => [req([requestLine, H, C])];
const upgrade = (path: string, key = 'dGhlIHNhbXBsZSBub25jZQ==') =>
  req([
    `GET ${path} HTTP/1.1`,
    H,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${key}`,
  ]);
const smuggle = (headers: string[], body: string) => (t: TargetName) => [
  req([`POST ${postPath(t)} HTTP/1.1`, H, 'Content-Type: application/json', ...headers], body),
];
const SMUGGLED = `GET /robustness-smuggled HTTP/1.1${CRLF}${H}${CRLF}${C}${CRLF}${CRLF}`;

// A never-finished request must be cut off within this: service-kit's guard
// gives headers 10 s and the whole request 30 s (swept every second).
export const SLOW_BOUND_MS = Number(process.env.ROBUSTNESS_SLOW_BOUND_MS ?? 45_000);

export const RAW_CASES: RawCase[] = [
  // ------------------------------------------------------------ malformed request lines
  { name: 'request target /\\[', targets: HTTP_SERVERS, steps: line('GET /\\[ HTTP/1.1') },
  { name: 'request target //[', targets: HTTP_SERVERS, steps: line('GET //[ HTTP/1.1') },
  { name: 'request target //[::1]:x/', targets: HTTP_SERVERS, steps: line('GET //[::1]:x/ HTTP/1.1') },
  { name: 'request target /\\\\host', targets: HTTP_SERVERS, steps: line('GET /\\\\evil.example/ HTTP/1.1') },
  { name: 'absolute-form target http://[/', targets: HTTP_SERVERS, steps: line('GET http://[/ HTTP/1.1') },
  {
    name: 'absolute-form foreign host',
    targets: HTTP_SERVERS,
    steps: line('GET http://evil.example/ HTTP/1.1'),
  },
  { name: 'asterisk-form', targets: HTTP_SERVERS, steps: line('OPTIONS * HTTP/1.1') },
  { name: 'GET *', targets: HTTP_SERVERS, steps: line('GET * HTTP/1.1') },
  { name: 'CONNECT', targets: HTTP_SERVERS, steps: line('CONNECT 127.0.0.1:22 HTTP/1.1') },
  { name: 'unknown method', targets: HTTP_SERVERS, steps: line('BREW / HTTP/1.1') },
  { name: 'version HTTP/9.9', targets: HTTP_SERVERS, steps: line('GET / HTTP/9.9') },
  { name: 'version HTTP/1.1x', targets: HTTP_SERVERS, steps: line('GET / HTTP/1.1x') },
  { name: 'HTTP/0.9 (no version)', targets: HTTP_SERVERS, steps: [`GET /${CRLF}${CRLF}`] },
  { name: 'NUL in target', targets: HTTP_SERVERS, steps: line('GET /\0 HTTP/1.1') },
  { name: 'NUL after version', targets: HTTP_SERVERS, steps: line('GET / HTTP/1.1\0') },
  {
    name: 'bare LF line ends',
    targets: HTTP_SERVERS,
    steps: ['GET / HTTP/1.1\nHost: x\nConnection: close\n\n'],
  },
  // Empty lines before a request line are allowed (RFC 9112 §2.2): the server
  // rightly waits for the request, so this is a slow client that must be cut off.
  { name: 'empty lines flood', targets: HTTP_SERVERS, expect: 'cut-off', steps: [CRLF.repeat(20_000)] },
  { name: 'percent tricks in API path', targets: EDGE, steps: line('GET /api/products/%E0%A4%A HTTP/1.1') },
  { name: 'truncated escape in API path', targets: EDGE, steps: line('GET /api/products/% HTTP/1.1') },
  {
    name: 'truncated escape in query',
    targets: EDGE,
    steps: line('GET /api/products?currencyCode=%E0%A HTTP/1.1'),
  },
  {
    name: 'UTF-8 bytes in target',
    targets: HTTP_SERVERS,
    steps: [Buffer.from(`GET /\u{1F680}/\u00e9 HTTP/1.1${CRLF}${H}${CRLF}${C}${CRLF}${CRLF}`, 'utf8')],
  },
  {
    name: 'invalid UTF-8 in target',
    targets: HTTP_SERVERS,
    steps: [
      Buffer.concat([
        Buffer.from('GET /'),
        Buffer.from([0xc0, 0xae, 0xff, 0xfe]),
        Buffer.from(` HTTP/1.1${CRLF}${H}${CRLF}${C}${CRLF}${CRLF}`),
      ]),
    ],
  },

  // ------------------------------------------------------------ Host header
  { name: 'no Host', targets: HTTP_SERVERS, steps: [req(['GET / HTTP/1.1', C])] },
  { name: 'Host: [', targets: HTTP_SERVERS, steps: [req(['GET / HTTP/1.1', 'Host: [', C])] },
  { name: 'Host with space', targets: HTTP_SERVERS, steps: [req(['GET / HTTP/1.1', 'Host: a b', C])] },
  { name: 'two Hosts', targets: HTTP_SERVERS, steps: [req(['GET / HTTP/1.1', H, 'Host: evil.example', C])] },
  { name: 'Host: %', targets: HTTP_SERVERS, steps: [req(['GET / HTTP/1.1', 'Host: %', C])] },

  // ------------------------------------------------------------ header floods
  {
    name: '3000 headers',
    targets: HTTP_SERVERS,
    steps: [req(['GET / HTTP/1.1', H, C, ...Array.from({ length: 3000 }, (_, i) => `X-R${i}: v`)])],
  },
  {
    name: 'one 100 KB header',
    targets: HTTP_SERVERS,
    steps: [req(['GET / HTTP/1.1', H, C, `X-Big: ${'a'.repeat(100_000)}`])],
  },
  {
    name: '1 MB of headers',
    targets: EDGE,
    steps: [
      req([
        'GET / HTTP/1.1',
        H,
        C,
        ...Array.from({ length: 1000 }, (_, i) => `X-R${i}: ${'b'.repeat(1000)}`),
      ]),
    ],
  },
  { name: 'NUL in header value', targets: HTTP_SERVERS, steps: [req(['GET / HTTP/1.1', H, C, 'X-A: b\0c'])] },
  { name: 'space in header name', targets: HTTP_SERVERS, steps: [req(['GET / HTTP/1.1', H, C, 'X A: b'])] },
  {
    name: 'huge cookie',
    targets: EDGE,
    steps: [req(['GET / HTTP/1.1', H, C, `Cookie: ${'c=1; '.repeat(3000)}`])],
  },
  {
    name: 'bad traceparent/baggage',
    targets: HTTP_SERVERS,
    steps: [
      req([
        'GET / HTTP/1.1',
        H,
        C,
        'traceparent: 00-zz-zz-zz',
        `baggage: ${'k=%;'.repeat(500)}`,
        'tracestate: ,,,=,=',
      ]),
    ],
  },

  // ------------------------------------------------------------ smuggling
  {
    name: 'CL + TE',
    targets: HTTP_SERVERS,
    steps: smuggle(['Content-Length: 4', 'Transfer-Encoding: chunked'], `0${CRLF}${CRLF}${SMUGGLED}`),
  },
  {
    name: 'TE + CL',
    targets: HTTP_SERVERS,
    steps: smuggle(['Transfer-Encoding: chunked', 'Content-Length: 40'], `0${CRLF}${CRLF}${SMUGGLED}`),
  },
  {
    name: 'double CL',
    targets: HTTP_SERVERS,
    steps: smuggle(['Content-Length: 2', 'Content-Length: 60'], `{}${SMUGGLED}`),
  },
  {
    name: 'TE chunked, identity',
    targets: HTTP_SERVERS,
    steps: smuggle(['Transfer-Encoding: chunked, identity', C], `2${CRLF}{}${CRLF}0${CRLF}${CRLF}`),
  },
  {
    name: 'TE with space before colon',
    targets: HTTP_SERVERS,
    steps: smuggle(['Transfer-Encoding : chunked', 'Content-Length: 2', C], '{}'),
  },
  {
    name: 'TE xchunked',
    targets: HTTP_SERVERS,
    steps: smuggle(['Transfer-Encoding: xchunked', C], `2${CRLF}{}${CRLF}0${CRLF}${CRLF}`),
  },
  {
    name: 'obs-fold header',
    targets: HTTP_SERVERS,
    steps: smuggle(['Content-Length: 2', 'X-Folded: a', ' b', C], '{}'),
  },
  {
    name: 'chunk size overflow',
    targets: HTTP_SERVERS,
    steps: smuggle(['Transfer-Encoding: chunked', C], `FFFFFFFFFFFFFFFFFFFF${CRLF}x${CRLF}0${CRLF}${CRLF}`),
  },
  { name: 'negative CL', targets: HTTP_SERVERS, steps: smuggle(['Content-Length: -1', C], '{}') },
  { name: 'CL with plus sign', targets: HTTP_SERVERS, steps: smuggle(['Content-Length: +2', C], '{}') },
  {
    name: 'CL larger than body, then FIN',
    targets: HTTP_SERVERS,
    steps: (t) => [...smuggle(['Content-Length: 100000', C], '{"a":')(t), { end: true }],
  },
  {
    name: 'pipelined burst',
    targets: HTTP_SERVERS,
    steps: [`${`GET /robustness-pipelined HTTP/1.1${CRLF}${H}${CRLF}${CRLF}`.repeat(50)}${SMUGGLED}`],
  },

  // ------------------------------------------------------------ upgrades and resets
  {
    name: 'websocket upgrade then reset',
    targets: HTTP_SERVERS,
    repeat: 20,
    expect: 'survive',
    steps: [upgrade('/'), { reset: true }],
  },
  {
    name: 'ws upgrade on /feature then reset',
    targets: ['frontend-proxy'],
    repeat: 20,
    expect: 'survive',
    steps: [upgrade('/feature/'), { reset: true }],
  },
  {
    name: 'ws upgrade on /grafana then reset',
    targets: ['frontend-proxy'],
    repeat: 10,
    expect: 'survive',
    steps: [upgrade('/grafana/api/live/ws'), { reset: true }],
  },
  {
    name: 'ws upgrade, short wait, reset',
    targets: EDGE,
    repeat: 10,
    expect: 'survive',
    steps: [upgrade('/feature/'), { waitMs: 30 }, { reset: true }],
  },
  { name: 'ws upgrade with bad key', targets: HTTP_SERVERS, steps: [upgrade('/', '%%%'), { end: true }] },
  { name: 'ws upgrade to bad target', targets: EDGE, steps: [upgrade('//['), { end: true }] },
  {
    name: 'h2c upgrade',
    targets: HTTP_SERVERS,
    steps: [
      req([
        'GET / HTTP/1.1',
        H,
        'Connection: Upgrade, HTTP2-Settings',
        'Upgrade: h2c',
        'HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA',
        C,
      ]),
    ],
  },
  {
    name: 'reset mid-body',
    targets: HTTP_SERVERS,
    repeat: 5,
    expect: 'survive',
    steps: (t) => [
      `POST ${postPath(t)} HTTP/1.1${CRLF}${H}${CRLF}Content-Type: application/json${CRLF}Content-Length: 1000${CRLF}${CRLF}{"userId":`,
      { reset: true },
    ],
  },
  {
    name: 'reset mid-headers',
    targets: HTTP_SERVERS,
    repeat: 5,
    expect: 'survive',
    steps: [`GET / HTTP/1.1${CRLF}${H}${CRLF}X-Half: `, { reset: true }],
  },

  // ------------------------------------------------------------ encoded paths at image-provider (direct and via the proxy)
  ...[
    '/products/%2e%2e/%2e%2e/package.json',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/products/..%2f..%2fpackage.json',
    '/products/..%5c..%5cpackage.json',
    '/products/%c0%ae%c0%ae/package.json',
    '/products/%%32%65%%32%65/package.json',
    '/products/%00',
    '/products/x.jpg%00.png',
    '/products/%',
    '/products/%E0%A4%A',
    '/products/%ZZ',
    '/.%2e/.%2e/etc/passwd',
  ].flatMap((path): RawCase[] => [
    { name: `image path ${path}`, targets: ['image-provider'], steps: line(`GET ${path} HTTP/1.1`) },
    {
      name: `proxied image path ${path}`,
      targets: ['frontend-proxy'],
      steps: line(`GET /images${path} HTTP/1.1`),
    },
  ]),
  {
    name: 'proxy routes with truncated escapes',
    targets: ['frontend-proxy'],
    steps: line('GET /feature/% HTTP/1.1'),
  },
  {
    name: 'proxy loadgen with NUL escape',
    targets: ['frontend-proxy'],
    steps: line('GET /loadgen/%00 HTTP/1.1'),
  },
  {
    name: 'proxy jaeger with dot segments',
    targets: ['frontend-proxy'],
    steps: line('GET /jaeger/%2e%2e/%2e%2e/ HTTP/1.1'),
  },
  {
    name: 'proxy otlp with bad body',
    targets: ['frontend-proxy'],
    steps: [
      req(
        [
          'POST /otlp-http/v1/traces HTTP/1.1',
          H,
          C,
          'Content-Type: application/x-protobuf',
          'Content-Length: 5',
        ],
        '\xff\xff\xff\xff\xff',
      ),
    ],
  },

  // ------------------------------------------------------------ slow clients: must be cut off in bounded time
  {
    name: 'slow body (1 byte/s, never finished)',
    targets: HTTP_SERVERS,
    expect: 'cut-off',
    steps: (t) => [
      `POST ${postPath(t)} HTTP/1.1${CRLF}${H}${CRLF}Content-Type: application/json${CRLF}Content-Length: 100000${CRLF}${CRLF}`,
      { trickle: ' ', everyMs: 1000, forMs: SLOW_BOUND_MS },
    ],
  },
  {
    name: 'slow headers (slowloris)',
    targets: HTTP_SERVERS,
    expect: 'cut-off',
    steps: [
      `GET / HTTP/1.1${CRLF}${H}${CRLF}`,
      { trickle: 'X-Slow: 1\r\n', everyMs: 1000, forMs: SLOW_BOUND_MS },
    ],
  },

  // ------------------------------------------------------------ non-gRPC bytes at the gRPC servers
  {
    name: 'HTTP/1.1 at a gRPC port',
    targets: GRPC_SERVERS,
    expect: 'survive',
    steps: line('POST /oteldemo.CartService/GetCart HTTP/1.1'),
  },
  {
    name: 'h2 preface then garbage',
    targets: GRPC_SERVERS,
    expect: 'survive',
    steps: [`PRI * HTTP/2.0${CRLF}${CRLF}SM${CRLF}${CRLF}`, Buffer.alloc(4096, 0xff)],
  },
  {
    name: 'garbage bytes at a gRPC port',
    targets: GRPC_SERVERS,
    expect: 'survive',
    steps: [Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 131) % 256))],
  },
  {
    name: 'h2 preface then reset',
    targets: GRPC_SERVERS,
    repeat: 10,
    expect: 'survive',
    steps: [`PRI * HTTP/2.0${CRLF}${CRLF}SM${CRLF}${CRLF}`, { reset: true }],
  },
];
