import type { PlaceOrderRequest } from '@astroshop/proto';
import { invalidArgument } from '@astroshop/service-kit';
import { z } from 'zod';

const required = (field: string) => z.string().trim().min(1, `${field} is required`);

// Shipping rejects an address with any empty field (spec §1.3), so we say so
// up front instead of failing after the cart was priced.
const addressSchema = z.object(
  {
    streetAddress: required('address.street_address'),
    city: required('address.city'),
    state: required('address.state'),
    country: required('address.country'),
    zipCode: required('address.zip_code'),
  },
  { error: 'address is required' },
);

const schema = z.object({
  userId: required('user_id'),
  userCurrency: z.string().regex(/^[A-Z]{3}$/, 'user_currency must be a 3-letter ISO 4217 code such as USD'),
  address: addressSchema,
  email: z.email('email must look like name@example.com'),
  // The card itself is judged by payment; here only its presence.
  creditCard: z.object(
    { creditCardNumber: required('credit_card.credit_card_number') },
    { error: 'credit_card is required' },
  ),
});

/** INVALID_ARGUMENT listing every problem of the request at once. */
export function assertValidOrderRequest(request: PlaceOrderRequest): void {
  const result = schema.safeParse(request);
  if (result.success) return;
  const problems = [...new Set(result.error.issues.map((issue) => issue.message))];
  throw invalidArgument(`invalid order request: ${problems.join('; ')}`);
}
