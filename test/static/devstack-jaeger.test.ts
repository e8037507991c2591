// Which Jaeger `make start` runs: JAEGER_BIN, else a `jaeger` on PATH (an
// official release embeds the UI), else our build; the start table says which
// and whether the UI is real (the placeholder page says it is not).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { describeJaeger, resolveJaeger } from '../../scripts/devstack/src/jaeger.ts';

const dir = mkdtempSync(join(tmpdir(), 'jaeger-bin-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const release = join(dir, 'release', 'jaeger');
mkdirSync(join(dir, 'release'));
writeFileSync(release, '#!/bin/sh\n');
chmodSync(release, 0o755);
const notExecutable = join(dir, 'jaeger.txt');
writeFileSync(notExecutable, '');
const build = () => '/cache/jaeger-2.13.0/jaeger';

describe('Jaeger binary', () => {
  test('JAEGER_BIN wins, then PATH, then our build', () => {
    assert.deepEqual(resolveJaeger({ JAEGER_BIN: release, PATH: '/usr/bin' }, build), {
      jaeger: release,
      jaegerSource: 'JAEGER_BIN',
    });
    assert.deepEqual(resolveJaeger({ PATH: `/nonexistent:${join(dir, 'release')}` }, build), {
      jaeger: release,
      jaegerSource: 'PATH',
    });
    assert.deepEqual(resolveJaeger({ PATH: dir }, build), { jaeger: build(), jaegerSource: 'built' });
  });

  test('a JAEGER_BIN that is not an executable file is an error naming it', () => {
    assert.throws(() => resolveJaeger({ JAEGER_BIN: notExecutable }, build), /JAEGER_BIN=.*jaeger\.txt/);
    assert.throws(() => resolveJaeger({ JAEGER_BIN: dir }, build), /not an executable file/);
  });

  test('the start table tells the placeholder UI from the real one', () => {
    const placeholder = '<h1>🥋: This is not the Jaeger UI you are looking for!</h1>';
    assert.match(
      describeJaeger({ jaegerSource: 'built' }, placeholder),
      /^built from source: placeholder UI/,
    );
    assert.equal(
      describeJaeger({ jaeger: release, jaegerSource: 'JAEGER_BIN' }, '<div id="jaeger-ui-root"></div>'),
      `${release} (JAEGER_BIN): real UI`,
    );
    assert.match(describeJaeger({}, null), /UI not answering/);
  });
});
