import Link from 'next/link';
import { useRouter } from 'next/router';
import { useState } from 'react';
import { CheckoutForm, DEFAULT_ADDRESS } from '../../components/CheckoutForm.tsx';
import { AdBanner, Recommendations } from '../../components/Extras.tsx';
import { Layout, Price, productImage } from '../../components/Layout.tsx';
import { api } from '../../lib/api.ts';
import { useQuery } from '../../lib/hooks.ts';
import { formatMoney, multiply, totalOf } from '../../lib/money.ts';
import { useShop } from '../../lib/store.tsx';
import type { Order } from '../../lib/types.ts';

const QUANTITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** What the confirmation page needs, without the long product texts. */
function orderParam(order: Order): string {
  return JSON.stringify({
    ...order,
    items: order.items.map(({ cost, item }) => ({
      cost,
      item: {
        productId: item.productId,
        quantity: item.quantity,
        product: item.product && {
          id: item.product.id,
          name: item.product.name,
          picture: item.product.picture,
        },
      },
    })),
  });
}

export default function CartPage() {
  const router = useRouter();
  const { session, cart, cartError, setQuantity, emptyCart, refreshCart } = useShop();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const currency = session?.currencyCode ?? 'USD';
  const items = cart?.items ?? [];
  const itemList = items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
  const shippingKey = session && items.length > 0 ? `shipping:${currency}:${JSON.stringify(itemList)}` : null;
  const { data: shipping, error: shippingError } = useQuery(shippingKey, () =>
    api.shipping(itemList, currency, DEFAULT_ADDRESS),
  );

  const lines = items.map((i) => ({
    ...i,
    total: i.product.priceUsd ? multiply(i.product.priceUsd, i.quantity) : undefined,
  }));
  const subtotal = totalOf(
    currency,
    lines.flatMap((l) => (l.total ? [l.total] : [])),
  );
  const total = shipping && subtotal ? totalOf(currency, [subtotal, shipping]) : subtotal;

  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    work()
      .catch((e: Error) => setProblem(e.message))
      .finally(() => setBusy(false));
  };

  const placeOrder = (fields: Parameters<Parameters<typeof CheckoutForm>[0]['onSubmit']>[0]) => {
    if (!session) return;
    setBusy(true);
    setProblem(undefined);
    api
      .placeOrder({ userId: session.userId, userCurrency: currency, ...fields }, currency)
      .then(async (order) => {
        await refreshCart();
        await router.push(`/cart/checkout/${order.orderId}?order=${encodeURIComponent(orderParam(order))}`);
      })
      .catch((e: Error) => {
        setProblem(`The order could not be placed: ${e.message}`);
        setBusy(false);
      });
  };

  return (
    <Layout title="Otel Demo - Cart">
      <div className="container section">
        <h1 className="page-title">Shopping Cart</h1>
        {cartError && <p className="notice error">The cart could not be loaded: {cartError.message}</p>}
        {!cart && !cartError ? (
          <p className="muted">Loading your cart…</p>
        ) : items.length === 0 ? (
          <div className="empty-cart card">
            <h2>Your shopping cart is empty!</h2>
            <p className="muted">Items you add to your shopping cart will appear here.</p>
            <Link href="/" className="button primary">
              Continue Shopping
            </Link>
          </div>
        ) : (
          <div className="cart-layout">
            <div>
              <div className="card cart-items">
                <div className="cart-head">
                  <h2>
                    {items.length} {items.length === 1 ? 'product' : 'products'}
                  </h2>
                  <button
                    type="button"
                    className="button ghost"
                    disabled={busy}
                    onClick={() => run(emptyCart)}
                  >
                    Empty Cart
                  </button>
                </div>
                {lines.map((line) => (
                  <div className="cart-line" key={line.productId} data-cy="cart-item">
                    {/* biome-ignore lint/performance/noImgElement: served by image-provider */}
                    <img src={productImage(line.product.picture)} alt="" />
                    <div className="cart-line-info">
                      <Link href={`/product/${line.productId}`} className="name">
                        {line.product.name}
                      </Link>
                      <p className="muted">
                        SKU #{line.productId} · <Price money={line.product.priceUsd} /> each
                      </p>
                    </div>
                    <label className="qty">
                      <span className="visually-hidden">Quantity</span>
                      <select
                        value={line.quantity}
                        disabled={busy}
                        data-cy="cart-item-quantity"
                        onChange={(e) => run(() => setQuantity(line.productId, Number(e.target.value)))}
                      >
                        {[...new Set([...QUANTITIES, line.quantity])]
                          .sort((a, b) => a - b)
                          .map((q) => (
                            <option key={q} value={q}>
                              {q}
                            </option>
                          ))}
                      </select>
                    </label>
                    <Price money={line.total} />
                  </div>
                ))}
                <dl className="totals">
                  <dt>Shipping</dt>
                  <dd data-cy="cart-shipping">
                    {shipping ? formatMoney(shipping) : shippingError ? 'unavailable' : '…'}
                  </dd>
                  <dt className="grand">Total</dt>
                  <dd className="grand" data-cy="cart-total">
                    {formatMoney(total)}
                  </dd>
                </dl>
                {shippingError && (
                  <p className="notice error">Shipping quote failed: {shippingError.message}</p>
                )}
              </div>
              {problem && <p className="notice error">{problem}</p>}
            </div>
            <CheckoutForm busy={busy} onSubmit={placeOrder} />
          </div>
        )}
      </div>
      {session && <Recommendations productIds={items.map((i) => i.productId)} />}
      <AdBanner contextKeys={items.flatMap((i) => i.product.categories)} />
    </Layout>
  );
}
