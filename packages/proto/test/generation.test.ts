// The generated code is checked in; this regenerates it from protos/ with the
// pinned buf + ts-proto and fails on any drift (run `pnpm proto:generate`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { Money, Product } from '../src/index.ts';

const pkg = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

test('generated code matches protos/ (no drift)', () => {
  const out = mkdtempSync(join(tmpdir(), 'astroshop-proto-'));
  try {
    execFileSync(
      join(pkg, 'node_modules/.bin/buf'),
      ['generate', '../../protos', '--template', 'buf.gen.yaml', '-o', out],
      {
        cwd: pkg,
      },
    );
    const fresh = join(out, 'src/generated');
    const committed = join(pkg, 'src/generated');
    const names = (dir: string) =>
      files(dir)
        .map((f) => relative(dir, f))
        .sort();
    assert.deepEqual(names(fresh), names(committed));
    for (const name of names(fresh)) {
      assert.equal(
        readFileSync(join(fresh, name), 'utf8'),
        readFileSync(join(committed, name), 'utf8'),
        `${name} drifted`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('wire format is the original contract: field numbers round-trip', () => {
  // Product.price_usd is field 5 and Money.nanos field 3: tag bytes 0x2a and 0x18.
  const bytes = Product.encode({
    id: 'OLJCESPC7Z',
    name: 'n',
    description: '',
    picture: '',
    priceUsd: { currencyCode: 'USD', units: 101, nanos: 960_000_000 },
    categories: ['telescopes'],
  }).finish();
  assert.ok(bytes.includes(0x2a));
  const money = Money.encode({ currencyCode: 'USD', units: 1, nanos: 5 }).finish();
  assert.deepEqual([...money.slice(-2)], [0x18, 5]);
  assert.equal(Product.decode(bytes).priceUsd?.nanos, 960_000_000);
});
