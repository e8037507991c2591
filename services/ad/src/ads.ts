import type { Ad } from '@astroshop/proto';

const ad = (productId: string, text: string): Ad => ({ redirectUrl: `/product/${productId}`, text });

/** The original's ad inventory, by product category. Categories not listed have no ads. */
export const ADS_BY_CATEGORY: Readonly<Record<string, readonly Ad[]>> = {
  binoculars: [ad('2ZYFJ3GM2N', 'Roof Binoculars for sale. 50% off.')],
  telescopes: [ad('66VCHSJNUP', 'Starsense Explorer Refractor Telescope for sale. 20% off.')],
  accessories: [
    ad('0PUK6V6EV0', 'Solar System Color Imager for sale. 30% off.'),
    ad('6E92ZMYYFZ', 'Solar Filter for sale. Buy two, get third one for free'),
    ad('L9ECAV7KIM', 'Lens Cleaning Kit for sale. Buy one, get second one for free'),
  ],
  assembly: [ad('9SIQT8TOJO', 'Optical Tube Assembly for sale. 10% off.')],
  travel: [
    ad('1YMWWN1N4O', 'Eclipsmart Travel Refractor Telescope for sale. Buy one, get second kit for free'),
  ],
};

export const ALL_ADS: readonly Ad[] = Object.values(ADS_BY_CATEGORY).flat();
export const RANDOM_AD_COUNT = 2;

export function adsForCategory(category: string): Ad[] {
  return Object.hasOwn(ADS_BY_CATEGORY, category) ? [...(ADS_BY_CATEGORY[category] ?? [])] : [];
}

/** Uniform picks from the whole inventory, with replacement (the same ad may appear twice). */
export function randomAds(random: () => number = Math.random, count = RANDOM_AD_COUNT): Ad[] {
  return Array.from({ length: count }, () => ALL_ADS[Math.floor(random() * ALL_ADS.length)] as Ad);
}
