import { AdBanner } from '../components/Extras.tsx';
import { Layout } from '../components/Layout.tsx';
import { GridSkeleton, ProductGrid } from '../components/ProductCard.tsx';
import { api } from '../lib/api.ts';
import { useQuery } from '../lib/hooks.ts';
import { useShop } from '../lib/store.tsx';

export default function Home() {
  const { session } = useShop();
  const currency = session?.currencyCode;
  const { data, error } = useQuery(currency ? `products:${currency}` : null, () =>
    api.products(currency ?? 'USD'),
  );
  return (
    <Layout title="Otel Demo - Home">
      <div data-cy="home-page">
        <section className="banner" style={{ backgroundImage: 'url(/images/Banner.png)' }}>
          <div className="container banner-content">
            <p className="eyebrow">New season · Clear skies ahead</p>
            <h1>The best telescopes to see the world closer</h1>
            <a className="button primary large" href="#hot-products">
              Go Shopping
            </a>
          </div>
        </section>
        <section className="container section" id="hot-products" data-cy="hot-products">
          <h2 className="section-title">Hot Products</h2>
          {error ? (
            <p className="notice error">Products could not be loaded: {error.message}</p>
          ) : data ? (
            <ProductGrid products={data} cy="product-list" />
          ) : (
            <GridSkeleton count={8} />
          )}
        </section>
        <AdBanner contextKeys={[]} />
      </div>
    </Layout>
  );
}
