import type { Ad } from '@astroshop/proto';
import { ATTR, boundedLabel, withSpan } from '@astroshop/telemetry';
import type { Tracer } from '@opentelemetry/api';
import { ADS_BY_CATEGORY, adsForCategory, RANDOM_AD_COUNT, randomAds } from './ads.ts';

export type RequestType = 'TARGETED' | 'NOT_TARGETED';
export type ResponseType = 'TARGETED' | 'RANDOM';

export interface AdPick {
  ads: Ad[];
  requestType: RequestType;
  responseType: ResponseType;
}

export interface AdPickerDeps {
  tracer: Tracer;
  /** Called with how many ads went out for a category (`random` for the fallback). */
  onServed: (category: string, count: number) => void;
  random?: () => number;
}

export const RANDOM_CATEGORY = 'random';

const CATEGORY_LABELS: ReadonlySet<string> = new Set([...Object.keys(ADS_BY_CATEGORY), RANDOM_CATEGORY]);

/**
 * The `category` label of demo.ad.served: context keys come from the request,
 * so only categories with ads (and `random`) are labels; anything else is `other`.
 */
export const categoryLabel = (category: string): string => boundedLabel(category, CATEGORY_LABELS);

/**
 * Ads for every context key (one `getAdsByCategory` span each); two random ads
 * when there are no keys or none of them has ads.
 */
export function adPicker(deps: AdPickerDeps): (contextKeys: readonly string[]) => Promise<AdPick> {
  const { tracer, onServed } = deps;

  const byCategory = (category: string) =>
    withSpan(tracer, 'getAdsByCategory', (span) => {
      const ads = adsForCategory(category);
      span.setAttributes({ [ATTR.adCategory]: category, [ATTR.adCount]: ads.length });
      onServed(category, ads.length);
      return ads;
    });

  const random = () =>
    withSpan(tracer, 'getRandomAds', (span) => {
      const ads = randomAds(deps.random);
      span.setAttribute(ATTR.adCount, RANDOM_AD_COUNT);
      onServed(RANDOM_CATEGORY, ads.length);
      return ads;
    });

  return async (contextKeys) => {
    if (contextKeys.length === 0) {
      return { ads: await random(), requestType: 'NOT_TARGETED', responseType: 'RANDOM' };
    }
    const targeted: Ad[] = [];
    for (const key of contextKeys) targeted.push(...(await byCategory(key)));
    return targeted.length > 0
      ? { ads: targeted, requestType: 'TARGETED', responseType: 'TARGETED' }
      : { ads: await random(), requestType: 'TARGETED', responseType: 'RANDOM' };
  };
}
