// The native flag server (scripts/devstack/src/flagd-server.ts) survives
// whatever a client sends: every service reads flags from it, so one bad
// request must not stop it. Spawned on free ports, offline.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FlagServer, startFlagServer } from '../lib/flag-server.ts';

const root = join(import.meta.dirname, '..', '..');

/** Raw bytes in; resolves when the server closed or answered (never rejects). */
function raw(port: number, bytes: string, reset = false): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('error', () => resolve(received));
    socket.on('data', (chunk) => {
      received += chunk;
    });
    socket.on('close', () => resolve(received));
    socket.on('connect', () => {
      socket.write(bytes);
      if (reset) socket.resetAndDestroy();
    });
  });
}

describe('native flag server under bad input', () => {
  let server: FlagServer;
  let ports: FlagServer['ports'];

  before(async () => {
    // A short header timeout, so the slow-client case below is quick (the guard's rule, not its default).
    server = await startFlagServer(join(root, 'flagd/demo.flagd.json'), { FLAGD_HEADERS_TIMEOUT_MS: '300' });
    ports = server.ports;
  });
  after(() => server.stop());

  test('malformed requests, resets and bad escapes leave the same process answering', async () => {
    for (const port of Object.values(ports)) {
      assert.match(await raw(port, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400/);
      await raw(
        port,
        'GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n',
        true,
      );
      await raw(
        port,
        'POST /ofrep/v1/evaluate/flags HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"co',
        true,
      );
      assert.match(
        await raw(port, 'GET //[ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
        /^HTTP\/1\.1 [45]\d\d/,
      );
    }
    const badKey = await fetch(`http://127.0.0.1:${ports.ofrep}/ofrep/v1/evaluate/flags/%E0%A4%A`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(badKey.status, 400);
    const huge = await fetch(`http://127.0.0.1:${ports.ofrep}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      body: JSON.stringify({ context: { pad: 'x'.repeat(200_000) } }),
    }).catch(() => undefined);
    if (huge) assert.equal(huge.status, 400);
    const ok = await fetch(`http://127.0.0.1:${ports.ofrep}/ofrep/v1/evaluate/flags/adFailure`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(ok.status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${ports.management}/livez`)).status, 200);
    assert.ok(server.alive());
  });

  test('a client that never finishes its headers is answered 408 and cut off (the shared HTTP guard)', {
    timeout: 20_000,
  }, async () => {
    // raw() resolves only when the server closes the connection: without the
    // guard's header timeout this would wait for Node's own (60 s and more); the
    // test's timeout only turns that into a failure, it claims no speed.
    for (const port of [ports.ofrep, ports.management])
      assert.match(
        await raw(port, 'POST /ofrep/v1/evaluate/flags HTTP/1.1\r\nhost: x\r\n'),
        /^HTTP\/1\.1 408/,
      );
    assert.ok(server.alive());
  });
});
