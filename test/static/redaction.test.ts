// The collector's card-number redaction (the second line of defence; services
// mask before recording, see maskCardNumber), checked offline: the OTTL
// patterns are read from the config files the collector runs and applied here
// to what users actually type. Go's RE2 and JavaScript agree on this syntax
// (\d, \D, {n,}, non-capturing groups, anchors).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { maskCardNumber } from '../../packages/telemetry/src/redact.ts';

const root = join(import.meta.dirname, '..', '..');
const CONFIGS = ['otel-collector/config.yaml', 'helm/astronomy-shop/files/otel-collector/config.yaml'];

/** An OTTL string literal's content as the collector sees it: `$$` is a literal `$`, `\\` one backslash. */
const ottlString = (literal: string) => literal.replaceAll('$$', '$').replace(/\\(.)/g, '$1');

function statements(file: string, kind: 'trace' | 'log'): string[] {
  const config = parseYaml(readFileSync(join(root, file), 'utf8'));
  return config.processors['transform/redact_sensitive_data'][`${kind}_statements`] as string[];
}

/** The collector's card_number statements as a JS function over the attribute value. */
function redaction(file: string, kind: 'trace' | 'log'): (value: string) => string {
  const target = kind === 'trace' ? 'span' : 'log';
  const attr = `${target}.attributes["demo.payment.card_number"]`;
  const all = statements(file, kind);
  const replace = all.find((s) => s.startsWith(`replace_pattern(${attr}`));
  const fallback = all.find((s) => s.startsWith(`set(${attr}, "****") where`));
  assert.ok(replace, `${file}: no replace_pattern on ${attr}`);
  assert.ok(fallback, `${file}: no fallback mask on ${attr}`);
  const [, pattern = '', replacement = ''] =
    /, "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"\)$/.exec(replace) ?? [];
  const [, keep = ''] = /IsMatch\([^,]+, "((?:[^"\\]|\\.)*)"\)$/.exec(fallback) ?? [];
  const re = new RegExp(ottlString(pattern));
  const masked = new RegExp(ottlString(keep));
  return (value) => {
    const replaced = value.replace(re, ottlString(replacement));
    return masked.test(replaced) ? replaced : '****';
  };
}

const TYPED = [
  '4432-8015-6152-0454',
  '4432801561520454',
  '4432 8015 6152 0454',
  ' 4432-8015-6152-0454 ',
  '  4432 8015 6152 0454\t',
  '\n4432.8015.6152.0454\n',
  '4432/8015/6152/0454',
  '4432 - 8015 - 6152 - 0454',
  '4432  8015  6152  0454',
];

describe('collector card-number redaction', () => {
  for (const file of CONFIGS) {
    for (const kind of ['trace', 'log'] as const) {
      test(`${file} (${kind}): separator and whitespace variants keep only the last four`, () => {
        const redact = redaction(file, kind);
        for (const typed of TYPED) assert.equal(redact(typed), '****-****-****-0454', JSON.stringify(typed));
      });

      test(`${file} (${kind}): what is not a card number is masked whole; masked values stay`, () => {
        const redact = redaction(file, kind);
        for (const junk of ['12345', 'abc', '4432-8015', '']) assert.equal(redact(junk), '****', junk);
        assert.equal(redact('****-****-****-0454'), '****-****-****-0454');
        // What the services already send passes through unchanged.
        assert.equal(redact(maskCardNumber(' 4432 8015 6152 0454 ')), '****-****-****-0454');
      });

      test(`${file} (${kind}): the CVV is deleted`, () => {
        const target = kind === 'trace' ? 'span' : 'log';
        assert.ok(
          statements(file, kind).includes(`delete_key(${target}.attributes, "demo.payment.card_cvv")`),
        );
      });
    }
  }
});
