import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cartReady } from '../src/readiness.ts';

const yes = async () => true;
const no = async () => false;
const fails = async (): Promise<boolean> => {
  throw new Error('ECONNREFUSED');
};

describe('cart readiness', () => {
  test('ready when storage answers and failedReadinessProbe is off', async () => {
    assert.equal(await cartReady(yes, no), true);
  });

  test('failedReadinessProbe on makes it not ready even with storage up', async () => {
    assert.equal(await cartReady(yes, yes), false);
  });

  test('storage down or unreachable makes it not ready', async () => {
    assert.equal(await cartReady(no, no), false);
    assert.equal(await cartReady(fails, no), false);
  });
});
