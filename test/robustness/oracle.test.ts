// Negative control: the suite must be able to fail. Against small fakes that
// crash on a malformed target, answer 500 or INTERNAL, or have no state to
// read, the same plans and oracle that run against the stack must report
// crashes, 5xx and missing data; against a fake that answers 4xx they pass.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { procStartTicks } from '../../scripts/devstack/src/state.ts';
import { grpcPlans } from './grpc-suite.ts';
import type { HttpCase } from './http-cases.ts';
import { httpPlans, uncoveredFrontendRoutes } from './http-suite.ts';
import { judgeGrpc, judgeHttp, Tally } from './oracle.ts';
import { loadContract } from './proto-inputs.ts';
import type { RawCase } from './raw-cases.ts';
import { judgeRaw, rawPlans } from './raw-suite.ts';
import { runSuite } from './suite.ts';
import type { Target, TargetName } from './targets.ts';

// A server with the frontend's old bug (the request URL parsed outside any
// try, so `GET //[` throws and stops the process) that also answers 500 to POST.
const BROKEN_SERVER = `
import { createServer } from 'node:http';
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://fake'); // throws on //[ -> uncaught -> exit
  if (url.pathname === '/livez') return res.writeHead(200).end('ok');
  if (req.method === 'POST') return res.writeHead(500).end('{"error":"internal"}');
  res.writeHead(400).end('{"error":"bad"}');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;
// The same without the bugs: every bad input is a 400.
const SOUND_SERVER = `
import { createServer } from 'node:http';
const server = createServer((req, res) => {
  let path = '';
  try { path = new URL(req.url, 'http://fake').pathname; } catch { return res.writeHead(400).end('bad target'); }
  if (path === '/livez') return res.writeHead(200).end('ok');
  res.writeHead(400).end('{"error":"bad"}');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

interface Fake {
  child: ChildProcess;
  target: Target;
  runDir: string;
}

async function startFake(source: string): Promise<Fake> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', () => reject(new Error('fake server exited before listening')));
  });
  const runDir = mkdtempSync(join(tmpdir(), 'robustness-'));
  const pid = child.pid as number;
  writeFileSync(
    join(runDir, 'state.json'),
    JSON.stringify({
      components: [{ name: 'fake', pid, pidStartTicks: procStartTicks(pid), restarts: 0, state: 'running' }],
    }),
  );
  return { child, runDir, target: { component: 'fake', protocol: 'http', port, livePaths: ['/livez'] } };
}

function stopFake(fake: Fake) {
  fake.child.kill('SIGKILL');
  rmSync(fake.runDir, { recursive: true, force: true });
}

const badTargetCase: RawCase = {
  name: 'request target //[',
  targets: ['fake' as TargetName],
  steps: ['GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
};
const postCase: HttpCase = {
  target: 'fake' as TargetName,
  route: '/x',
  method: 'POST',
  request: fc.record({
    path: fc.constant('/x'),
    query: fc.constant(''),
    headers: fc.constant({}),
    body: fc.string(),
  }),
};

describe('the oracle', () => {
  it('classifies statuses: 5xx and server-fault gRPC codes fail, client errors pass', () => {
    assert.equal(judgeHttp(500), '5xx');
    assert.equal(judgeHttp(502), '5xx');
    assert.equal(judgeHttp(400), null);
    assert.equal(judgeHttp(null), 'unbounded');
    assert.equal(judgeHttp(null, 'connect ECONNREFUSED 127.0.0.1:1'), 'crash');
    assert.equal(judgeHttp(null, 'socket hang up'), null);
    assert.equal(judgeGrpc(status.INTERNAL), '5xx');
    assert.equal(judgeGrpc(status.UNKNOWN), '5xx');
    assert.equal(judgeGrpc(status.UNAVAILABLE), '5xx');
    assert.equal(judgeGrpc(status.DEADLINE_EXCEEDED), 'unbounded');
    assert.equal(judgeGrpc(status.INVALID_ARGUMENT), null);
    assert.equal(judgeGrpc(status.NOT_FOUND), null);
  });

  it('fails a slow request that was never cut off, and a 5xx status line', () => {
    const base = { statuses: [], closedByServer: false, endedBy: 'gave-up' as const, ms: 1 };
    assert.equal(judgeRaw('cut-off', base)?.kind, 'unbounded');
    assert.equal(judgeRaw('reply', base)?.kind, 'unbounded');
    assert.equal(judgeRaw('survive', base), null);
    assert.equal(judgeRaw('reply', { ...base, statuses: [200, 503] })?.kind, '5xx');
    assert.equal(judgeRaw('cut-off', { ...base, closedByServer: true }), null);
  });

  it('reports zero inputs as a failure', () => {
    const tally = new Tally();
    assert.equal(tally.ok, false);
    assert.match(tally.summary(), /no inputs sent/);
  });

  it('reports frontend routes without a row, and rows without a route', () => {
    const problems = uncoveredFrontendRoutes(
      [{ template: '/api/new', methods: { GET: 1 } }],
      [
        {
          target: 'frontend',
          route: '/api/old',
          method: 'GET',
          request: fc.constant({ path: '', query: '', headers: {} }),
        },
      ],
    );
    assert.equal(problems.length, 2);
  });
});

describe('against a server that crashes and answers 500', () => {
  let fake: Fake;
  before(async () => {
    fake = await startFake(BROKEN_SERVER);
  });
  after(() => stopFake(fake));

  it('counts the 500s as 5xx for client errors', async () => {
    const tally = new Tally();
    const plans = httpPlans([postCase], {
      seed: 1,
      runs: 3,
      host: '127.0.0.1',
      targets: { fake: fake.target, frontend: fake.target },
    });
    await runSuite(
      plans.map((p) => ({ group: p.group, targets: [p.target], run: p.run })),
      tally,
      { runDir: fake.runDir, host: '127.0.0.1', watch: ['fake'], recoverMs: 0 },
    );
    assert.equal(tally.count('5xx'), 3, tally.summary());
    assert.equal(tally.ok, false);
    assert.match(tally.summary(), /^\d+ inputs, 0 crashes, 3 5xx for client errors/);
  });

  it('counts a malformed request line that stops the process as a crash', async () => {
    const tally = new Tally();
    await runSuite(rawPlans([badTargetCase], { host: '127.0.0.1', targets: { fake: fake.target } }), tally, {
      runDir: fake.runDir,
      host: '127.0.0.1',
      watch: ['fake'],
      recoverMs: 0,
    });
    assert.ok(tally.count('crash') >= 1, tally.summary());
    assert.equal(tally.ok, false);
    // And it really died (the oracle is not guessing).
    await new Promise((resolve) =>
      fake.child.exitCode !== null ? resolve(null) : fake.child.once('exit', resolve),
    );
    assert.notEqual(fake.child.exitCode, 0);
  });
});

describe('against a sound server', () => {
  let fake: Fake;
  before(async () => {
    fake = await startFake(SOUND_SERVER);
  });
  after(() => stopFake(fake));

  it('passes: the same inputs, all answered 4xx by the same process', async () => {
    const tally = new Tally();
    const plans = [
      ...httpPlans([postCase], {
        seed: 1,
        runs: 3,
        host: '127.0.0.1',
        targets: { fake: fake.target, frontend: fake.target },
      }).map((p) => ({
        group: p.group,
        targets: [p.target],
        run: p.run,
      })),
      ...rawPlans([badTargetCase], { host: '127.0.0.1', targets: { fake: fake.target } }),
    ];
    await runSuite(plans, tally, { runDir: fake.runDir, host: '127.0.0.1', watch: ['fake'], recoverMs: 0 });
    assert.equal(tally.ok, true, `${tally.summary()}: ${JSON.stringify(tally.failures)}`);
  });

  it('fails when the state file is missing (no data is not a pass)', async () => {
    const tally = new Tally();
    const plans = rawPlans([badTargetCase], { host: '127.0.0.1', targets: { fake: fake.target } });
    await runSuite(plans, tally, {
      runDir: join(fake.runDir, 'nowhere'),
      host: '127.0.0.1',
      watch: ['fake'],
      recoverMs: 0,
    });
    assert.ok(tally.count('missing-data') >= 1, tally.summary());
    assert.equal(tally.ok, false);
  });
});

describe('gRPC methods', () => {
  it('flag INTERNAL as a server fault and pass INVALID_ARGUMENT', async () => {
    const contract = loadContract();
    const server = new Server();
    // CurrencyService/Convert fails with INTERNAL, GetSupportedCurrencies answers INVALID_ARGUMENT.
    const reply = (code: number) => (_call: unknown, callback: (error: object) => void) =>
      callback({ code, details: 'x' });
    server.register(
      '/oteldemo.CurrencyService/Convert',
      reply(status.INTERNAL),
      (b: Buffer) => b,
      (b: Buffer) => b,
      'unary',
    );
    server.register(
      '/oteldemo.CurrencyService/GetSupportedCurrencies',
      reply(status.INVALID_ARGUMENT),
      (b: Buffer) => b,
      (b: Buffer) => b,
      'unary',
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    try {
      const target: Target = { component: 'fake', protocol: 'grpc', port };
      const onlyCurrency = {
        ...contract,
        methods: contract.methods.filter((m) => m.service === 'oteldemo.CurrencyService'),
      };
      const { plans, problems } = grpcPlans(
        onlyCurrency,
        { productIds: [], currencyCodes: [] },
        {
          seed: 1,
          runs: 4,
          host: '127.0.0.1',
          served: { 'oteldemo.CurrencyService': { grpc: 'currency' } },
          targets: { currency: target },
        },
      );
      assert.deepEqual(problems, []);
      const tally = new Tally();
      for (const plan of plans) await plan.run(tally);
      assert.equal(tally.count('5xx'), 4, tally.summary());
      assert.ok(tally.failures.every((f) => f.group === 'CurrencyService/Convert'));
    } finally {
      server.forceShutdown();
    }
  });

  it('fail a contract service that no server is declared for', () => {
    const contract = loadContract();
    const { problems } = grpcPlans(
      contract,
      { productIds: [], currencyCodes: [] },
      { seed: 1, runs: 1, served: {} },
    );
    assert.equal(problems.length, contract.methods.length);
  });
});
