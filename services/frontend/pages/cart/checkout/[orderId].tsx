import Link from 'next/link';
import { useRouter } from 'next/router';
import { AdBanner, Recommendations } from '../../../components/Extras.tsx';
import { Layout, Price, productImage } from '../../../components/Layout.tsx';
import { formatMoney, isMoney, multiply, totalOf } from '../../../lib/money.ts';
import type { Order } from '../../../lib/types.ts';

function parseOrder(raw: unknown): Order | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    // The order comes from the URL, so anyone can hand us any JSON: only a
    // well-formed one is shown (and only well-formed money is multiplied).
    const order = JSON.parse(raw) as Order;
    const wellFormed =
      order &&
      typeof order.orderId === 'string' &&
      Array.isArray(order.items) &&
      order.items.every(
        (line) =>
          typeof line?.item === 'object' &&
          line.item !== null &&
          Number.isSafeInteger(line.item.quantity) &&
          (line.cost === undefined || isMoney(line.cost)),
      ) &&
      (order.shippingCost === undefined || isMoney(order.shippingCost));
    return wellFormed ? order : undefined;
  } catch {
    return undefined;
  }
}

export default function OrderConfirmation() {
  const router = useRouter();
  const order = parseOrder(router.query.order);
  const currency = order?.shippingCost?.currencyCode ?? order?.items[0]?.cost?.currencyCode ?? 'USD';
  const lineTotals = order?.items.map((i) => (i.cost ? multiply(i.cost, i.item.quantity) : undefined));
  const grand = order
    ? totalOf(currency, [
        ...(lineTotals ?? []).flatMap((t) => (t ? [t] : [])),
        ...(order.shippingCost ? [order.shippingCost] : []),
      ])
    : undefined;
  const a = order?.shippingAddress;
  return (
    <Layout title="Otel Demo - Checkout">
      <div className="container section">
        {!router.isReady ? null : !order ? (
          <div className="card empty-cart">
            <h2>We could not read this order.</h2>
            <Link href="/" className="button primary">
              Continue Shopping
            </Link>
          </div>
        ) : (
          <div className="confirmation">
            <div className="confirmation-head">
              <span className="check" aria-hidden="true">
                ✓
              </span>
              <div>
                <h1 className="page-title">Your order is complete!</h1>
                <p className="muted">We&apos;ve sent you a confirmation email.</p>
              </div>
            </div>
            <div className="card order-card">
              <dl className="order-meta">
                <dt>Order</dt>
                <dd data-cy="order-id">{order.orderId}</dd>
                <dt>Tracking</dt>
                <dd>{order.shippingTrackingId}</dd>
                {a && (
                  <>
                    <dt>Shipping to</dt>
                    <dd>
                      {a.streetAddress}, {a.city}, {a.state} {a.zipCode}, {a.country}
                    </dd>
                  </>
                )}
              </dl>
              {order.items.map((i, n) => (
                <div className="cart-line" key={i.item.productId} data-cy="checkout-item">
                  {i.item.product?.picture ? (
                    // biome-ignore lint/performance/noImgElement: served by image-provider
                    <img src={productImage(i.item.product.picture)} alt="" />
                  ) : (
                    <span />
                  )}
                  <div className="cart-line-info">
                    <p className="name">{i.item.product?.name ?? i.item.productId}</p>
                    <p className="muted">Quantity: {i.item.quantity}</p>
                  </div>
                  <span />
                  <Price money={lineTotals?.[n]} />
                </div>
              ))}
              <dl className="totals">
                <dt>Shipping</dt>
                <dd>{formatMoney(order.shippingCost)}</dd>
                <dt className="grand">Total</dt>
                <dd className="grand" data-cy="order-total">
                  {formatMoney(grand)}
                </dd>
              </dl>
            </div>
            <Link href="/" className="button primary large">
              Continue Shopping
            </Link>
          </div>
        )}
      </div>
      {order && <Recommendations productIds={order.items.map((i) => i.item.productId)} />}
      {order && <AdBanner contextKeys={[]} />}
    </Layout>
  );
}
