import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  currentVariant,
  type FlagConfig,
  switchVariant,
  UnknownFlagError,
  validateConfig,
} from '../src/flags.ts';

const shipped = (): FlagConfig =>
  JSON.parse(readFileSync(new URL('../../../flagd/demo.flagd.json', import.meta.url), 'utf8')) as FlagConfig;

const boolFlag = (extra: object = {}) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  ...extra,
});

describe('validateConfig', () => {
  it('accepts the shipped flag file', () => {
    assert.deepEqual(validateConfig(shipped()), []);
  });

  const invalid: [string, unknown, RegExp][] = [
    ['not an object', 42, /must be object/],
    ['missing flags', {}, /must have required property 'flags'/],
    ['unknown top-level key', { flags: {}, flagz: {} }, /unknown property "flagz"/],
    ['bad state', { flags: { a: boolFlag({ state: 'ON' }) } }, /\/flags\/a\/state/],
    [
      'misspelt key',
      { flags: { a: { ...boolFlag(), defaultVarient: 'on' } } },
      /unknown property "defaultVarient"/,
    ],
    ['missing variants', { flags: { a: { state: 'ENABLED', defaultVariant: 'on' } } }, /'variants'/],
    [
      'mixed variant types',
      { flags: { a: boolFlag({ variants: { on: true, off: 0 } }) } },
      /must all be booleans/,
    ],
    ['empty variants', { flags: { a: boolFlag({ variants: {} }) } }, /variants/],
    [
      'default not a variant',
      { flags: { a: boolFlag({ defaultVariant: 'maybe' }) } },
      /"maybe" is not one of/,
    ],
    [
      'targeting names an unknown variant',
      { flags: { a: boolFlag({ targeting: { if: [{ '==': [1, 1] }, 'nope', 'off'] } }) } },
      /targeting\/if\/1: "nope"/,
    ],
    ['targeting not an object', { flags: { a: boolFlag({ targeting: 'x' }) } }, /targeting: must be object/],
  ];
  for (const [name, data, expected] of invalid) {
    it(`rejects ${name}`, () => {
      const problems = validateConfig(data);
      assert.ok(problems.length > 0, 'no problem reported');
      assert.match(problems.join('\n'), expected);
    });
  }
});

describe('switchVariant', () => {
  it('sets defaultVariant for a flag without targeting, without touching the input', () => {
    const config = shipped();
    const next = switchVariant(config, 'imageSlowLoad', '5sec');
    assert.equal(next.flags.imageSlowLoad?.defaultVariant, '5sec');
    assert.equal(config.flags.imageSlowLoad?.defaultVariant, 'off');
    assert.equal(currentVariant(next.flags.imageSlowLoad as never), '5sec');
  });

  it('sets the "then" variant of a 3-element if whose branch names a variant (the original\'s shape)', () => {
    const config = {
      flags: { p: boolFlag({ targeting: { if: [{ '==': [{ var: 'product_id' }, 'X'] }, 'off', 'off'] } }) },
    } as unknown as FlagConfig;
    const next = switchVariant(config, 'p', 'on');
    assert.deepEqual(next.flags.p?.targeting?.if, [{ '==': [{ var: 'product_id' }, 'X'] }, 'on', 'off']);
    assert.equal(next.flags.p?.defaultVariant, 'off');
    assert.equal(currentVariant(next.flags.p as never), 'on');
    assert.deepEqual(validateConfig(next), []);
  });

  it('sets defaultVariant for our productCatalogFailure (then-branch null defers to it)', () => {
    const next = switchVariant(shipped(), 'productCatalogFailure', 'on');
    const flag = next.flags.productCatalogFailure;
    assert.equal(flag?.defaultVariant, 'on');
    assert.deepEqual(flag?.targeting?.if, [{ '==': [{ var: 'product_id' }, 'OLJCESPC7Z'] }, null, 'off']);
    assert.equal(currentVariant(flag as never), 'on');
  });

  it('rejects unknown flags and variants', () => {
    assert.throws(() => switchVariant(shipped(), 'nope', 'on'), UnknownFlagError);
    assert.throws(() => switchVariant(shipped(), 'adFailure', 'sometimes'), /no variant "sometimes"/);
    assert.throws(() => switchVariant(shipped(), 'toString', 'on'), /does not exist/);
  });
});
