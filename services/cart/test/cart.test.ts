import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import { itemsCount, MAX_CART_LINES, mergeItem, requireItem, requireUserId } from '../src/cart.ts';

const invalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof StatusError && error.code === GrpcStatus.INVALID_ARGUMENT && pattern.test(error.message);

describe('cart rules', () => {
  test('adding a product already in the cart adds to its line', () => {
    let cart = mergeItem(undefined, 'u1', { productId: 'A', quantity: 2 });
    cart = mergeItem(cart, 'u1', { productId: 'B', quantity: 1 });
    cart = mergeItem(cart, 'u1', { productId: 'A', quantity: 3 });
    assert.deepEqual(cart, {
      userId: 'u1',
      items: [
        { productId: 'A', quantity: 5 },
        { productId: 'B', quantity: 1 },
      ],
    });
    assert.equal(itemsCount(cart), 6);
  });

  test('merging does not mutate the stored cart', () => {
    const stored = { userId: 'u1', items: [{ productId: 'A', quantity: 1 }] };
    mergeItem(stored, 'u1', { productId: 'A', quantity: 1 });
    assert.equal(stored.items[0]?.quantity, 1);
  });

  test('a cart emptied by EmptyCart (no user id) gets the user id back on the next add', () => {
    assert.equal(mergeItem({ userId: '', items: [] }, 'u1', { productId: 'A', quantity: 1 }).userId, 'u1');
  });

  test('a merged line may not exceed 1000', () => {
    const cart = mergeItem(undefined, 'u1', { productId: 'A', quantity: 999 });
    assert.throws(() => mergeItem(cart, 'u1', { productId: 'A', quantity: 2 }), invalid(/would become 1001/));
  });

  test('the number of distinct products is bounded', () => {
    let cart = mergeItem(undefined, 'u1', { productId: 'P0', quantity: 1 });
    for (let i = 1; i < MAX_CART_LINES; i++)
      cart = mergeItem(cart, 'u1', { productId: `P${i}`, quantity: 1 });
    assert.throws(() => mergeItem(cart, 'u1', { productId: 'NEW', quantity: 1 }), invalid(/100 different/));
  });

  test('user ids must be present and bounded', () => {
    assert.equal(requireUserId('abc'), 'abc');
    assert.throws(() => requireUserId(''), invalid(/required/));
    assert.throws(() => requireUserId('u'.repeat(129)), invalid(/at most 128/));
  });

  test('items need a valid product id and a quantity of 1..1000', () => {
    assert.deepEqual(requireItem({ productId: 'A1', quantity: 1000 }), { productId: 'A1', quantity: 1000 });
    assert.throws(() => requireItem(undefined), invalid(/item is required/));
    assert.throws(() => requireItem({ productId: '', quantity: 1 }), invalid(/product_id is required/));
    assert.throws(() => requireItem({ productId: 'a b', quantity: 1 }), invalid(/letters, digits/));
    assert.throws(() => requireItem({ productId: 'A', quantity: 0 }), invalid(/1\.\.1000, got 0/));
    assert.throws(() => requireItem({ productId: 'A', quantity: -1 }), invalid(/got -1/));
    assert.throws(() => requireItem({ productId: 'A', quantity: 1001 }), invalid(/got 1001/));
  });
});
