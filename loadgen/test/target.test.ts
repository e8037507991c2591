import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTarget, isLoopbackHost, TargetError } from '../src/target.ts';

test('loopback targets are accepted and normalised', () => {
  assert.equal(checkTarget('http://127.0.0.1:8080/', false).href, 'http://127.0.0.1:8080/');
  assert.equal(checkTarget('http://localhost:8080', false).host, 'localhost:8080');
  assert.equal(checkTarget('http://[::1]:8080', false).hostname, '[::1]');
  assert.equal(checkTarget('http://127.5.6.7', false).hostname, '127.5.6.7');
});

test('non-loopback targets are refused unless LOADGEN_ALLOW_REMOTE', () => {
  for (const url of [
    'http://example.com',
    'http://10.0.0.5:8080',
    'http://frontend-proxy:8080',
    'http://[::ffff:8.8.8.8]',
  ]) {
    assert.throws(
      () => checkTarget(url, false),
      (e: unknown) => e instanceof TargetError && /LOADGEN_ALLOW_REMOTE/.test(e.message),
    );
  }
  assert.equal(checkTarget('http://frontend-proxy:8080', true).hostname, 'frontend-proxy');
});

test('malformed, non-http and credentialed targets are refused even when remote is allowed', () => {
  assert.throws(() => checkTarget('not a url', true), /not a URL/);
  assert.throws(() => checkTarget('ftp://127.0.0.1', true), /http/);
  assert.throws(() => checkTarget('http://u:p@127.0.0.1', true), /credentials/);
});

test('hosts that only look local are not loopback', () => {
  assert.equal(isLoopbackHost('127.0.0.1.nip.io'), false);
  assert.equal(isLoopbackHost('localhost.example.com'), false);
  assert.equal(isLoopbackHost('0.0.0.0'), false);
  assert.equal(isLoopbackHost('::ffff:127.0.0.1'), true);
});
