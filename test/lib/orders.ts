import type { PlaceOrderRequest } from '@astroshop/proto';

/**
 * A valid PlaceOrder request for the stack tests: the original's test card
 * (Visa, accepted by payment) expiring in two years, a US address.
 */
export function orderRequest(
  userId: string,
  { currency, email }: { currency: string; email: string },
): PlaceOrderRequest {
  return {
    userId,
    userCurrency: currency,
    email,
    address: {
      streetAddress: '1600 Amphitheatre Parkway',
      city: 'Mountain View',
      state: 'CA',
      country: 'US',
      zipCode: '94043',
    },
    creditCard: {
      creditCardNumber: '4432-8015-6152-0454',
      creditCardCvv: 672,
      creditCardExpirationYear: new Date().getUTCFullYear() + 2,
      creditCardExpirationMonth: 1,
    },
  };
}
