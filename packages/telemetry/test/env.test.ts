// The standard OTEL_* environment, one variable at a time: pure choices are
// unit-tested; what sdk-node does with the environment is checked end to end
// by running a probe under the real preload (test/fixtures/probe.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { selectInstrumentations } from '../src/instrumentations.ts';
import {
  applyShopDefaults,
  exporterNames,
  logRecordProcessorsFromEnv,
  otlpProtocol,
  SHOP_OTEL_DEFAULTS,
  spanProcessorsFromEnv,
} from '../src/processors.ts';

const PRELOAD = join(import.meta.dirname, '../src/register.ts');
const PROBE = join(import.meta.dirname, 'fixtures/probe.ts');

interface ProbeRun {
  stdout: string;
  stderr: string;
  probe: { carrier: string[]; sampled: boolean; metricInterval?: string; protocol?: string };
}

/** Runs the probe under the preload with exactly `env` (plus PATH), nothing inherited. */
function runProbe(env: Record<string, string>): Promise<ProbeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, PROBE], {
      env: { PATH: process.env.PATH ?? '', OTEL_SERVICE_NAME: 'probe', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('PROBE '));
      if (code !== 0 || !line) return reject(new Error(`probe exited ${code}\n${stdout}\n${stderr}`));
      resolve({ stdout, stderr, probe: JSON.parse(line.slice('PROBE '.length)) });
    });
  });
}

const CONSOLE_ONLY = {
  OTEL_TRACES_EXPORTER: 'console',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
};

describe('shop defaults', () => {
  test('fill only what is unset: OTLP/gRPC, 10 s metric interval, 5 s timeouts', () => {
    const env: NodeJS.ProcessEnv = { OTEL_METRIC_EXPORT_INTERVAL: '2500', OTEL_EXPORTER_OTLP_PROTOCOL: ' ' };
    applyShopDefaults(env);
    assert.deepEqual(env, { ...SHOP_OTEL_DEFAULTS, OTEL_METRIC_EXPORT_INTERVAL: '2500' });
    assert.equal(SHOP_OTEL_DEFAULTS.OTEL_EXPORTER_OTLP_PROTOCOL, 'grpc');
    assert.equal(SHOP_OTEL_DEFAULTS.OTEL_METRIC_EXPORT_INTERVAL, '10000');
  });

  test('nothing set: baggage + renewing OTLP/gRPC batch for spans, the renewing log processor', () => {
    const processors = spanProcessorsFromEnv({});
    assert.deepEqual(
      processors.map((p) => p.constructor.name),
      ['BaggageSpanProcessor', 'BatchSpanProcessor'],
    );
    assert.equal(logRecordProcessorsFromEnv({})?.length, 1);
  });
});

describe('OTEL_EXPORTER_OTLP_PROTOCOL', () => {
  test('per-signal variable first, then the general one, then grpc', () => {
    assert.equal(otlpProtocol({}, 'TRACES'), 'grpc');
    assert.equal(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'TRACES'), 'http/json');
    assert.equal(
      otlpProtocol(
        { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' },
        'LOGS',
      ),
      'http/protobuf',
    );
  });

  test('an unknown protocol is refused, naming the variable', () => {
    assert.throws(
      () => spanProcessorsFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }),
      /PROTOCOL=carrier-pigeon/,
    );
  });

  test('logs not on OTLP/gRPC are left to sdk-node', () => {
    assert.equal(logRecordProcessorsFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }), undefined);
    assert.equal(logRecordProcessorsFromEnv({ OTEL_LOGS_EXPORTER: 'console' }), undefined);
  });

  for (const [protocol, contentType] of [
    ['http/protobuf', 'application/x-protobuf'],
    ['http/json', 'application/json'],
  ] as const) {
    test(`${protocol}: traces, metrics and logs arrive over HTTP as ${contentType}`, async () => {
      const received: { path: string; type: string }[] = [];
      const server = createServer((req: IncomingMessage, res) => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '' });
        req.resume().on('end', () => res.writeHead(200, { 'content-type': contentType }).end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        await runProbe({
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        });
        const paths = new Set(received.map((r) => r.path));
        assert.deepEqual([...paths].sort(), ['/v1/logs', '/v1/metrics', '/v1/traces']);
        assert.ok(
          received.every((r) => r.type.startsWith(contentType)),
          JSON.stringify(received),
        );
      } finally {
        server.close();
      }
    });
  }
});

describe('OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER', () => {
  test('lists: unset is otlp, none is nothing, duplicates collapse', () => {
    assert.deepEqual(exporterNames({}, 'TRACES'), ['otlp']);
    assert.deepEqual(exporterNames({ OTEL_TRACES_EXPORTER: 'none' }, 'TRACES'), []);
    assert.deepEqual(exporterNames({ OTEL_LOGS_EXPORTER: 'console, otlp,console' }, 'LOGS'), [
      'console',
      'otlp',
    ]);
    assert.deepEqual(spanProcessorsFromEnv({ OTEL_TRACES_EXPORTER: 'none' }), []);
    const both = spanProcessorsFromEnv({ OTEL_TRACES_EXPORTER: 'console,otlp' });
    assert.ok(both[1] instanceof SimpleSpanProcessor && both[2] instanceof BatchSpanProcessor);
    assert.throws(
      () => spanProcessorsFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' }),
      /OTEL_TRACES_EXPORTER=zipkin/,
    );
  });

  test('console: the span is printed to stdout, with its baggage attributes', async () => {
    const { stdout, probe } = await runProbe(CONSOLE_ONLY);
    assert.match(stdout, /name: 'probe-span'/);
    assert.match(
      stdout,
      /'session\.id': 'probe-session'/,
      'baggage session.id copied by the baggage span processor',
    );
    assert.doesNotMatch(stdout, /not\.copied/, 'only the shop’s baggage keys become attributes');
    assert.match(stdout, /'service\.instance\.id': '[0-9a-f-]{36}'/);
    assert.match(stdout, /'host\.name':/);
    assert.match(stdout, /'os\.type': 'linux'/);
    assert.match(stdout, /'process\.pid': \d+/);
    assert.equal(probe.sampled, true);
  });

  test('console for metrics and logs too', async () => {
    const { stdout } = await runProbe({
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_LOGS_EXPORTER: 'console',
    });
    assert.match(stdout, /name: 'probe\.counter'/);
    assert.match(stdout, /body: 'probe-log'/);
    assert.doesNotMatch(stdout, /probe-span/);
  });

  test('none everywhere: no tracer provider (the span is not sampled), nothing printed', async () => {
    const { stdout, probe } = await runProbe({
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    assert.equal(probe.sampled, false);
    assert.deepEqual(stdout.trim().split('\n'), [stdout.trim()], 'only the PROBE line');
  });
});

describe('OTEL_METRIC_EXPORT_INTERVAL', () => {
  test('defaults to 10 s; a set value is kept and drives the periodic OTLP reader', async () => {
    assert.equal((await runProbe(CONSOLE_ONLY)).probe.metricInterval, '10000');
    let metricExports = 0;
    const server = createServer((req, res) => {
      if (req.method === 'GET') return res.end(String(metricExports));
      if (req.url === '/v1/metrics') metricExports++;
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // Three periodic exports before the probe stops: at the 10 s default this
      // would take 30 s, at sdk-node's 60 s three minutes; the test timeout bounds it.
      const { probe } = await runProbe({
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_METRIC_EXPORT_INTERVAL: '100',
        PROBE_METRIC_EXPORTS: '3',
        PROBE_EXPORTS_URL: `http://127.0.0.1:${port}/count`,
      });
      assert.equal(probe.metricInterval, '100');
      assert.ok(metricExports >= 3);
    } finally {
      server.close();
    }
  });
});

describe('OTEL_PROPAGATORS', () => {
  test('unset: tracecontext + baggage', async () => {
    assert.deepEqual((await runProbe(CONSOLE_ONLY)).probe.carrier, ['baggage', 'traceparent']);
  });

  test('b3: only the b3 header', async () => {
    assert.deepEqual((await runProbe({ ...CONSOLE_ONLY, OTEL_PROPAGATORS: 'b3' })).probe.carrier, ['b3']);
  });

  test('tracecontext only: baggage is not forwarded', async () => {
    const { probe } = await runProbe({ ...CONSOLE_ONLY, OTEL_PROPAGATORS: 'tracecontext' });
    assert.deepEqual(probe.carrier, ['traceparent']);
  });
});

describe('OTEL_SDK_DISABLED', () => {
  test('true: no SDK at all, even with a console exporter asked for', async () => {
    const { stdout, probe } = await runProbe({ ...CONSOLE_ONLY, OTEL_SDK_DISABLED: 'true' });
    assert.equal(probe.sampled, false);
    assert.doesNotMatch(stdout, /probe-span/);
  });
});

describe('resource', () => {
  test('OTEL_RESOURCE_ATTRIBUTES wins over the shop defaults and detectors', async () => {
    const { stdout } = await runProbe({
      ...CONSOLE_ONLY,
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=elsewhere,host.name=given',
    });
    assert.match(stdout, /'service\.namespace': 'elsewhere'/);
    assert.match(stdout, /'host\.name': 'given'/);
  });

  test('OTEL_NODE_RESOURCE_DETECTORS picks the SDK detectors (env only: no host, process or instance id)', async () => {
    const { stdout } = await runProbe({ ...CONSOLE_ONLY, OTEL_NODE_RESOURCE_DETECTORS: 'env' });
    assert.match(stdout, /'service\.name': 'probe'/);
    assert.doesNotMatch(stdout, /'host\.name'|'process\.pid'|'service\.instance\.id'/);
  });
});

describe('OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS', () => {
  const all = ['grpc', 'http', 'undici', 'pg', 'ioredis', 'kafkajs', 'pino', 'runtime-node'];

  test('unset: the shop’s subset', () => {
    assert.deepEqual(selectInstrumentations({}), all);
  });

  test('enabled keeps only the listed ones; disabled removes its own', () => {
    assert.deepEqual(selectInstrumentations({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http, pg' }), [
      'http',
      'pg',
    ]);
    assert.deepEqual(
      selectInstrumentations({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pino,runtime-node' }),
      all.filter((n) => n !== 'pino' && n !== 'runtime-node'),
    );
    assert.deepEqual(
      selectInstrumentations({
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'grpc,pg',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg',
      }),
      ['grpc'],
    );
  });

  test('a name the shop does not load is reported, not silently ignored', () => {
    const warnings: string[] = [];
    selectInstrumentations({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'htp' }, (m) => warnings.push(m));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /unknown instrumentation "htp"/);
  });
});
