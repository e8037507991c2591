import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskCardNumber } from '@astroshop/telemetry';
import type { Span } from '@opentelemetry/api';
import { annotateRequest } from '../src/place-order.ts';
import { orderRequest } from './fakes.ts';

/** A span that only remembers its attributes. */
function recordingSpan() {
  const attributes: Record<string, unknown> = {};
  const span = {
    setAttribute(key: string, value: unknown) {
      attributes[key] = value;
      return span;
    },
    setAttributes(values: Record<string, unknown>) {
      Object.assign(attributes, values);
      return span;
    },
  };
  return { span: span as unknown as Span, attributes };
}

describe('card data on the PlaceOrder span', () => {
  test('the number is masked to its last four before it touches the span; the CVV never does', () => {
    for (const typed of [
      '4432-8015-6152-0454',
      ' 4432 8015 6152 0454 ',
      '4432801561520454',
      '\t4432.8015.6152.0454\n',
    ]) {
      const request = orderRequest();
      request.creditCard = {
        creditCardNumber: typed,
        creditCardCvv: 672,
        creditCardExpirationMonth: 1,
        creditCardExpirationYear: 2030,
      };
      const { span, attributes } = recordingSpan();
      annotateRequest(span, request);
      assert.equal(attributes['demo.payment.card_number'], '****-****-****-0454', JSON.stringify(typed));
      assert.equal('demo.payment.card_cvv' in attributes, false);
      const everything = JSON.stringify(attributes);
      assert.doesNotMatch(everything, /4432|8015|6152|672/);
    }
  });

  test('maskCardNumber: never more than four digits out', () => {
    assert.equal(maskCardNumber('4111 1111 1111 1111'), '****-****-****-1111');
    assert.equal(maskCardNumber('12345'), '****');
    assert.equal(maskCardNumber(''), '****');
    assert.equal(maskCardNumber(undefined), '****');
  });
});
