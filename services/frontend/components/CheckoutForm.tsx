import { type FormEvent, type MouseEvent, useState } from 'react';
import type { PlaceOrderRequest } from '../lib/types.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const DEFAULT_ADDRESS = {
  streetAddress: '1600 Amphitheatre Parkway',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
  zipCode: '94043',
};

type Fields = Omit<PlaceOrderRequest, 'userId' | 'userCurrency'>;

export function CheckoutForm({ busy, onSubmit }: { busy: boolean; onSubmit(fields: Fields): void }) {
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 20 }, (_, i) => thisYear + i);
  const [f, setF] = useState({
    email: 'someone@example.com',
    ...DEFAULT_ADDRESS,
    creditCardNumber: '4432-8015-6152-0454',
    creditCardCvv: '672',
    creditCardExpirationMonth: 1,
    creditCardExpirationYear: Math.max(2030, thisYear),
  });
  const set = (key: keyof typeof f) => (e: { target: { value: string } }) =>
    setF((prev) => ({
      ...prev,
      [key]: typeof prev[key] === 'number' ? Number(e.target.value) : e.target.value,
    }));

  const send = () =>
    onSubmit({
      email: f.email,
      address: {
        streetAddress: f.streetAddress,
        city: f.city,
        state: f.state,
        country: f.country,
        zipCode: f.zipCode,
      },
      creditCard: {
        creditCardNumber: f.creditCardNumber,
        creditCardCvv: Number(f.creditCardCvv),
        creditCardExpirationMonth: f.creditCardExpirationMonth,
        creditCardExpirationYear: f.creditCardExpirationYear,
      },
    });
  // Enter in a field submits the form.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };
  // A click places the order inside the click's own handler, so the browser's
  // click span is the parent of the checkout call (one trace per click). An
  // invalid form falls through to the browser's own validation messages.
  const click = (e: MouseEvent<HTMLButtonElement>) => {
    if (!e.currentTarget.form?.checkValidity()) return;
    e.preventDefault();
    send();
  };

  return (
    <form className="checkout-form card" onSubmit={submit}>
      <h2>Shipping address</h2>
      <label className="wide">
        E-mail address
        <input type="email" required value={f.email} onChange={set('email')} />
      </label>
      <label className="wide">
        Street address
        <input required value={f.streetAddress} onChange={set('streetAddress')} />
      </label>
      <label>
        Zip code
        <input required value={f.zipCode} onChange={set('zipCode')} />
      </label>
      <label>
        City
        <input required value={f.city} onChange={set('city')} />
      </label>
      <label>
        State
        <input required value={f.state} onChange={set('state')} />
      </label>
      <label>
        Country
        <input required value={f.country} onChange={set('country')} />
      </label>
      <h2>Payment</h2>
      <label className="wide">
        Credit card number
        <input
          required
          inputMode="numeric"
          pattern="\d{4}-\d{4}-\d{4}-\d{4}"
          value={f.creditCardNumber}
          onChange={set('creditCardNumber')}
        />
      </label>
      <label>
        Month
        <select value={f.creditCardExpirationMonth} onChange={set('creditCardExpirationMonth')}>
          {MONTHS.map((name, i) => (
            <option key={name} value={i + 1}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Year
        <select value={f.creditCardExpirationYear} onChange={set('creditCardExpirationYear')}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      <label>
        CVV
        <input
          required
          inputMode="numeric"
          pattern="\d{3}"
          value={f.creditCardCvv}
          onChange={set('creditCardCvv')}
        />
      </label>
      <button
        type="submit"
        className="button primary large wide"
        data-cy="checkout-place-order"
        disabled={busy}
        onClick={click}
      >
        {busy ? 'Placing order…' : 'Place Order'}
      </button>
    </form>
  );
}
