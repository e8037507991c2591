// The exporter renewal that lets a collector back from an outage receive
// telemetry within seconds (grpc-js alone would wait out its reconnect backoff).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { type Exporter, RenewingExporter } from '../src/renewing-exporter.ts';

function fakes() {
  const made: { generation: number; shutdown: boolean; fail: boolean }[] = [];
  const create = (generation: number): Exporter<string[]> => {
    const me = { generation, shutdown: false, fail: true };
    made.push(me);
    return {
      export: (_items, done) => done({ code: me.fail ? ExportResultCode.FAILED : ExportResultCode.SUCCESS }),
      shutdown: async () => {
        me.shutdown = true;
      },
    };
  };
  return { made, create };
}

const exportOnce = (e: RenewingExporter<string[]>) =>
  new Promise<ExportResult>((resolve) => e.export(['span'], resolve));

test('a failed export replaces the exporter (new generation, old one shut down), at most once per gap', async () => {
  const { made, create } = fakes();
  const exporter = new RenewingExporter(create, 50);
  assert.equal((await exportOnce(exporter)).code, ExportResultCode.FAILED, 'the failure is still reported');
  assert.deepEqual(
    made.map((m) => m.generation),
    [0, 1],
  );
  assert.equal(made[0]?.shutdown, true);
  await exportOnce(exporter);
  assert.equal(made.length, 2, 'no second renewal inside the gap');
  await new Promise((resolve) => setTimeout(resolve, 60));
  await exportOnce(exporter);
  assert.equal(made.length, 3);
});

test('successful exports keep the exporter', async () => {
  const { made, create } = fakes();
  const exporter = new RenewingExporter(create, 0);
  (made[0] as { fail: boolean }).fail = false;
  for (let i = 0; i < 3; i++) assert.equal((await exportOnce(exporter)).code, ExportResultCode.SUCCESS);
  assert.equal(made.length, 1);
});
