import { readFileSync } from 'node:fs';

/** One checkout identity (spec §6.3 shape); sent as the /api/checkout body plus `userId`. */
export interface Person {
  email: string;
  address: { streetAddress: string; zipCode: string; city: string; state: string; country: string };
  userCurrency: string;
  creditCard: {
    creditCardNumber: string;
    creditCardExpirationMonth: number;
    creditCardExpirationYear: number;
    creditCardCvv: number;
  };
}

export const PEOPLE_FILE = new URL('../people.json', import.meta.url);

/** Reads and checks people.json once at start, so a broken edit fails loudly instead of per checkout. */
export function loadPeople(file: URL | string = PEOPLE_FILE): Person[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new Error(`${String(file)}: expected a non-empty array`);
  for (const [i, p] of parsed.entries()) {
    const person = p as Partial<Person>;
    if (
      typeof person.email !== 'string' ||
      typeof person.userCurrency !== 'string' ||
      typeof person.address?.country !== 'string' ||
      typeof person.creditCard?.creditCardNumber !== 'string' ||
      !Number.isInteger(person.creditCard?.creditCardExpirationYear)
    ) {
      throw new Error(`${String(file)}: entry ${i} does not have the people.json shape (spec §6.3)`);
    }
  }
  return parsed as Person[];
}
