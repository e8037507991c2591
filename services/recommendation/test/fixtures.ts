import type { Product } from '@astroshop/proto';

// Ten products shaped like the real catalog (descriptions of realistic length).
export const PRODUCTS: Product[] = [
  'OLJCESPC7Z',
  '66VCHSJNUP',
  '1YMWWN1N4O',
  'L9ECAV7KIM',
  '2ZYFJ3GM2N',
  '0PUK6V6EV0',
  'LS4PSXUNUM',
  '9SIQT8TOJO',
  '6E92ZMYYFZ',
  'HQTGWGPNH4',
].map((id, i) => ({
  id,
  name: `Product number ${i}`,
  description: `A fine instrument for looking at the sky, product ${id}. `.repeat(6),
  picture: `${id}.jpg`,
  priceUsd: { currencyCode: 'USD', units: 10 + i, nanos: 0 },
  categories: ['telescopes', 'accessories'],
}));

export const PRODUCT_IDS = PRODUCTS.map((p) => p.id);
