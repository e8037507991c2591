import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { Logger } from '@astroshop/service-kit';
import pg from 'pg';
import { createLedgerPool } from '../src/database.ts';

/** The part of pg.Client that pg-pool drives: connect, end, and `error` events. */
class FakeClient extends EventEmitter {
  connect(callback: (error?: Error) => void) {
    process.nextTick(callback);
  }
  end(callback?: () => void) {
    process.nextTick(() => callback?.());
  }
}

function recordingLogger() {
  const warnings: string[] = [];
  const logger = { warn: (_fields: unknown, message: string) => warnings.push(message) } as unknown as Logger;
  return { logger, warnings };
}

/** The ledger's pool over fake connections, and the warnings it logged. */
function ledgerPoolOnFakeClients() {
  const { logger, warnings } = recordingLogger();
  const pool = createLedgerPool(
    'postgres://u:p@127.0.0.1:1/db',
    logger,
    FakeClient as unknown as typeof pg.Client,
  );
  return { pool, warnings };
}

const terminated = () => new Error('terminating connection due to administrator command');

test('a connection lost while checked out (mid-transaction) is logged, not fatal', async () => {
  const { pool, warnings } = ledgerPoolOnFakeClients();
  const client = await pool.connect();
  assert.doesNotThrow(() => (client as unknown as EventEmitter).emit('error', terminated()));
  assert.deepEqual(warnings, [
    'postgres connection lost: terminating connection due to administrator command',
  ]);
  client.release(true);
  await pool.end();
});

test('negative control: a bare pg.Pool lets the same event escape (what stopped accounting)', async () => {
  const pool = new pg.Pool({ Client: FakeClient as unknown as typeof pg.Client });
  pool.on('error', () => {});
  const client = await pool.connect();
  assert.throws(
    () => (client as unknown as EventEmitter).emit('error', terminated()),
    /terminating connection/,
  );
  client.release(true);
  await pool.end();
});

test('an idle connection lost is logged, not fatal', async () => {
  const { pool, warnings } = ledgerPoolOnFakeClients();
  const client = await pool.connect();
  client.release();
  assert.doesNotThrow(() => (client as unknown as EventEmitter).emit('error', terminated()));
  assert.ok(warnings.length >= 1);
  await pool.end();
});
