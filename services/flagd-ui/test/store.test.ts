import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { type FlagConfig, validateConfig } from '../src/flags.ts';
import { FlagStore, InvalidConfigError } from '../src/store.ts';

const shippedFile = new URL('../../../flagd/demo.flagd.json', import.meta.url);

describe('FlagStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagd-ui-'));
  const file = join(dir, 'demo.flagd.json');
  let store: FlagStore;

  beforeEach(() => {
    for (const f of readdirSync(dir)) rmSync(join(dir, f));
    copyFileSync(shippedFile, file);
    store = new FlagStore(file);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as FlagConfig;

  it('writes the new file and keeps the previous one as .bak', async () => {
    const before = readFileSync(file, 'utf8');
    await store.switchVariant('adFailure', 'on');
    assert.equal(onDisk().flags.adFailure?.defaultVariant, 'on');
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), before);
    assert.deepEqual(readdirSync(dir).sort(), ['demo.flagd.json', 'demo.flagd.json.bak']);
  });

  it('replaces the file by rename, never rewriting it in place', async () => {
    // A reader holding the old inode (like flagd mid-read) keeps a complete old file.
    const { statSync } = await import('node:fs');
    const inode = statSync(file).ino;
    await store.switchVariant('adFailure', 'on');
    assert.notEqual(statSync(file).ino, inode);
  });

  it('refuses an invalid configuration and leaves the file untouched', async () => {
    const before = readFileSync(file, 'utf8');
    const bad = structuredClone(onDisk()) as unknown as { flags: Record<string, { defaultVariant: string }> };
    (bad.flags.adFailure as { defaultVariant: string }).defaultVariant = 'sometimes';
    await assert.rejects(store.write(bad), (error: unknown) => {
      assert.ok(error instanceof InvalidConfigError);
      assert.match(error.problems.join(), /sometimes/);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.deepEqual(readdirSync(dir), ['demo.flagd.json']);
  });

  it('serialises concurrent writes: 20 parallel toggles leave valid JSON with every update applied', async () => {
    const flags = Object.keys(onDisk().flags).filter((k) => {
      const f = onDisk().flags[k];
      return f && 'on' in f.variants && !f.targeting;
    });
    assert.ok(flags.length >= 5);
    const toggles = Array.from({ length: 20 }, (_, i) => flags[i % flags.length] as string);
    // Each flag is toggled an even or odd number of times; all must land.
    const expected = new Map<string, string>();
    const results = await Promise.allSettled(
      toggles.map((key, i) => {
        const variant = i % 2 === 0 ? 'on' : 'off';
        expected.set(key, variant);
        return store.switchVariant(key, variant);
      }),
    );
    assert.deepEqual(
      results.filter((r) => r.status === 'rejected'),
      [],
    );
    const final = onDisk();
    assert.deepEqual(validateConfig(final), []);
    for (const [key, variant] of expected) assert.equal(final.flags[key]?.defaultVariant, variant, key);
    assert.deepEqual(readdirSync(dir).sort(), ['demo.flagd.json', 'demo.flagd.json.bak']);
  });

  it('keeps working after a failed write in the queue', async () => {
    const results = await Promise.allSettled([
      store.switchVariant('adFailure', 'nope'),
      store.switchVariant('adFailure', 'on'),
    ]);
    assert.equal(results[0]?.status, 'rejected');
    assert.equal(results[1]?.status, 'fulfilled');
    assert.equal(onDisk().flags.adFailure?.defaultVariant, 'on');
  });

  it('reports unhealthy when the file cannot be read', async () => {
    await store.read();
    assert.equal(store.healthy, true);
    writeFileSync(file, '{ not json');
    await assert.rejects(store.read(), /cannot read flag file/);
    assert.equal(store.healthy, false);
  });
});
