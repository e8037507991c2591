// Recommendations and the ad: optional parts of a page. When their service
// fails they render nothing instead of taking the page down.
import { api } from '../lib/api.ts';
import { useQuery } from '../lib/hooks.ts';
import { useShop } from '../lib/store.tsx';
import { ProductGrid } from './ProductCard.tsx';

export function Recommendations({ productIds }: { productIds: string[] }) {
  const { session } = useShop();
  const ids = [...new Set(productIds)];
  const key = session ? `recs:${ids.join(',')}:${session.currencyCode}` : null;
  const { data } = useQuery(key, () =>
    api.recommendations(ids, session?.userId ?? '', session?.currencyCode ?? 'USD'),
  );
  if (!data || data.length === 0) return null;
  return (
    <section className="container section">
      <h2 className="section-title">You may also like</h2>
      <ProductGrid products={data} cy="recommendation-list" />
    </section>
  );
}

export function AdBanner({ contextKeys }: { contextKeys: string[] }) {
  const keys = [...new Set(contextKeys)].sort();
  const { data } = useQuery(`ads:${keys.join(',')}`, () => api.ads(keys));
  const ad = data?.[0];
  if (!ad) return null;
  return (
    <section className="container section">
      <a className="ad" data-cy="ad" href={ad.redirectUrl}>
        <span className="ad-label">Ad</span>
        <span className="ad-text">{ad.text}</span>
        <span className="ad-cta">Shop now →</span>
      </a>
    </section>
  );
}
