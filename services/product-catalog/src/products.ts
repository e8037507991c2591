import type { Product } from '@astroshop/proto';

/** A row of catalog.products as the driver returns it (BIGINT arrives as a string). */
export interface ProductRow {
  id: string;
  name: string;
  description: string | null;
  picture: string | null;
  price_currency_code: string;
  price_units: string | number;
  price_nanos: number;
  categories: string | null;
}

/** Where products come from; the service only ever reads. */
export interface ProductRepository {
  list(): Promise<Product[]>;
  get(id: string): Promise<Product | undefined>;
  /** Case-insensitive substring match on name or description, ordered by id. */
  search(query: string): Promise<Product[]>;
  /** True when a connection can be made and a trivial query answers. */
  ping(): Promise<boolean>;
}

/** "accessories, telescopes" → ["accessories", "telescopes"], order kept, empties dropped. */
export function splitCategories(raw: string | null): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

export function productFromRow(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description ?? '',
    picture: row.picture ?? '',
    priceUsd: {
      currencyCode: row.price_currency_code,
      units: Number(row.price_units),
      nanos: row.price_nanos,
    },
    categories: splitCategories(row.categories),
  };
}

/** Escapes LIKE wildcards so a query of "50%" matches the text "50%", not everything. */
export function likePattern(query: string): string {
  return `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
