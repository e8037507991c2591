import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import * as copies from '../src/semconv-incubating.ts';

test('every copied incubating name equals the semantic-conventions export of the same name', () => {
  const published = incubating as Record<string, unknown>;
  for (const [name, value] of Object.entries(copies)) {
    assert.equal(published[name], value, `${name} in @opentelemetry/semantic-conventions/incubating`);
  }
  assert.ok(Object.keys(copies).length >= 20);
});
