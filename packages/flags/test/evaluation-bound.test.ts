import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Provider } from '@openfeature/server-sdk';
import { booleanFlag, FLAG, numberFlag, OpenFeature } from '../src/index.ts';

// A provider that accepts every evaluation and never answers: what the flagd
// provider did against a peer that takes the connection but speaks no gRPC.
const silent: Provider = {
  metadata: { name: 'silent' },
  runsOn: 'server',
  resolveBooleanEvaluation: () => new Promise(() => {}),
  resolveNumberEvaluation: () => new Promise(() => {}),
  resolveStringEvaluation: () => new Promise(() => {}),
  resolveObjectEvaluation: () => new Promise(() => {}),
};

test('an evaluation that never answers yields the caller’s default', async () => {
  await OpenFeature.setProviderAndWait(silent);
  try {
    assert.equal(await booleanFlag(FLAG.adFailure, true), true);
    assert.equal(await numberFlag(FLAG.kafkaQueueProblems, 7), 7);
  } finally {
    await OpenFeature.clearProviders();
  }
});
