// The native runner reads .env like docker compose does: `${NAME}` reuses a
// value set once (the demo credentials in DB_CONNECTION_STRING).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseEnvFile } from '../../scripts/devstack/src/env.ts';

describe('.env parsing', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: .env syntax, not a JS template
  test('${NAME} and ${NAME:-default} expand from earlier keys or the given ones', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: .env syntax, not a JS template
    const env = parseEnvFile('A=1\nB=x${A}y\nC=${MISSING:-dflt}\nD=${FROM_BEFORE}\nE="${A}"\n', {
      FROM_BEFORE: 'b',
    });
    assert.deepEqual(env, { A: '1', B: 'x1y', C: 'dflt', D: 'b', E: '1' });
  });

  test("the repo's .env builds DB_CONNECTION_STRING from the demo credentials set once", () => {
    const env = parseEnvFile(readFileSync(join(import.meta.dirname, '..', '..', '.env'), 'utf8'));
    assert.equal(
      env.DB_CONNECTION_STRING,
      `postgres://${env.POSTGRES_ASTRONOMY_USER}:${env.POSTGRES_ASTRONOMY_PASSWORD}@astronomy-db:5432/astronomy_db?sslmode=disable`,
    );
    assert.doesNotMatch(env.DB_CONNECTION_STRING ?? '', /\$\{/);
    const overridden = parseEnvFile(
      readFileSync(join(import.meta.dirname, '..', '..', '.env'), 'utf8').replace(
        'POSTGRES_ASTRONOMY_PASSWORD=astronomy_password',
        'POSTGRES_ASTRONOMY_PASSWORD=s3cret',
      ),
    );
    assert.match(overridden.DB_CONNECTION_STRING ?? '', /:s3cret@/);
  });
});
