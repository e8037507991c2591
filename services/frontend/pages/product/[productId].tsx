import Link from 'next/link';
import { useRouter } from 'next/router';
import { useEffect, useState } from 'react';
import { AdBanner, Recommendations } from '../../components/Extras.tsx';
import { Layout, Price, productImage } from '../../components/Layout.tsx';
import { api } from '../../lib/api.ts';
import { useQuery } from '../../lib/hooks.ts';
import { useShop } from '../../lib/store.tsx';

const QUANTITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export default function ProductPage() {
  const router = useRouter();
  const productId = typeof router.query.productId === 'string' ? router.query.productId : '';
  const { session, cart, addItem } = useShop();
  const currency = session?.currencyCode;
  const key = productId && currency ? `product:${productId}:${currency}` : null;
  const { data: product, error } = useQuery(key, () => api.product(productId, currency ?? 'USD'));
  const [quantity, setQuantity] = useState(1);
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<string>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the product changes
  useEffect(() => {
    setQuantity(1);
    setAddError(undefined);
  }, [productId]);

  const onAdd = () => {
    setAdding(true);
    setAddError(undefined);
    addItem(productId, quantity).then(
      () => router.push('/cart'),
      (e: Error) => {
        setAddError(e.message);
        setAdding(false);
      },
    );
  };

  const cartIds = cart?.items.map((i) => i.productId) ?? [];
  return (
    <Layout title="Otel Demo - Product">
      <div className="container section">
        <nav className="crumbs">
          <Link href="/">Home</Link> / <span>{product?.name ?? 'Product'}</span>
        </nav>
        {error ? (
          <div className="notice error">
            <p>{error.message}</p>
            <Link href="/" className="button">
              Back to the shop
            </Link>
          </div>
        ) : !product ? (
          <div className="product-detail skeleton">
            <div className="detail-image loading" />
            <div className="detail-body">
              <p className="bar" />
              <p className="bar short" />
            </div>
          </div>
        ) : (
          <div className="product-detail" data-cy="product-detail">
            <div className="detail-image">
              {product.picture && (
                // biome-ignore lint/performance/noImgElement: served by image-provider
                <img src={productImage(product.picture)} alt={product.name} data-cy="product-picture" />
              )}
            </div>
            <div className="detail-body">
              <p className="categories">{product.categories.join(' · ')}</p>
              <h1 data-cy="product-name">{product.name}</h1>
              <p className="detail-price">
                <Price money={product.priceUsd} cy="product-price" />
              </p>
              <p className="description" data-cy="product-description">
                {product.description}
              </p>
              <div className="buy-row">
                <label>
                  Quantity
                  <select
                    data-cy="product-quantity"
                    value={quantity}
                    onChange={(e) => setQuantity(Number(e.target.value))}
                  >
                    {QUANTITIES.map((q) => (
                      <option key={q} value={q}>
                        {q}
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  className="button primary large"
                  data-cy="product-add-to-cart"
                  disabled={adding}
                  onClick={onAdd}
                >
                  {adding ? 'Adding…' : 'Add To Cart'}
                </button>
              </div>
              {addError && <p className="notice error">Could not add to cart: {addError}</p>}
            </div>
          </div>
        )}
      </div>
      {product && <Recommendations productIds={[product.id, ...cartIds]} />}
      {product && <AdBanner contextKeys={product.categories} />}
    </Layout>
  );
}
