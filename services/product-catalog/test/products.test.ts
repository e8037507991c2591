import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDatabaseUnavailable } from '../src/postgres-repository.ts';
import { likePattern, productFromRow, splitCategories } from '../src/products.ts';

describe('product rows', () => {
  test('categories are split on commas, trimmed, order kept', () => {
    assert.deepEqual(splitCategories('accessories, telescopes,assembly'), [
      'accessories',
      'telescopes',
      'assembly',
    ]);
    assert.deepEqual(splitCategories(' books '), ['books']);
    assert.deepEqual(splitCategories(''), []);
    assert.deepEqual(splitCategories(null), []);
    assert.deepEqual(splitCategories('a,,b,'), ['a', 'b']);
  });

  test('a row becomes a Product with exact money (BIGINT arrives as text)', () => {
    const product = productFromRow({
      id: '9SIQT8TOJO',
      name: 'Optical Tube Assembly',
      description: null,
      picture: 'OpticalTubeAssembly.jpg',
      price_currency_code: 'USD',
      price_units: '3599',
      price_nanos: 0,
      categories: 'accessories,telescopes,assembly',
    });
    assert.deepEqual(product.priceUsd, { currencyCode: 'USD', units: 3599, nanos: 0 });
    assert.equal(product.description, '');
    assert.deepEqual(product.categories, ['accessories', 'telescopes', 'assembly']);
  });
});

describe('search pattern', () => {
  test('lower-cases and wraps the query', () => {
    assert.equal(likePattern('Telescope'), '%telescope%');
  });

  test('escapes LIKE wildcards and the escape character', () => {
    assert.equal(likePattern('50%_off'), '%50\\%\\_off%');
    assert.equal(likePattern('a\\b'), '%a\\\\b%');
  });
});

describe('database error classification', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  test('connection problems are "unavailable"', () => {
    assert.ok(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')));
    assert.ok(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect')));
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(
      isDatabaseUnavailable(withCode('terminating connection due to administrator command', '57P01')),
    );
    assert.ok(isDatabaseUnavailable(withCode('the database system is starting up', '57P03')));
  });

  test('query mistakes are not', () => {
    assert.ok(!isDatabaseUnavailable(withCode('relation "x" does not exist', '42P01')));
    assert.ok(!isDatabaseUnavailable(withCode('syntax error', '42601')));
    assert.ok(!isDatabaseUnavailable('not an error'));
  });
});
