import Head from 'next/head';
import Link from 'next/link';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { api } from '../lib/api.ts';
import { useQuery } from '../lib/hooks.ts';
import { formatMoney } from '../lib/money.ts';
import { useShop } from '../lib/store.tsx';

export const productImage = (picture: string) => `/images/products/${picture}`;

function CurrencySwitcher() {
  const { session, setCurrency } = useShop();
  const { data } = useQuery('currencies', api.currencies);
  const current = session?.currencyCode ?? 'USD';
  const codes = [...new Set([...(data ?? []), current])].sort();
  return (
    <label className="currency">
      <span className="visually-hidden">Currency</span>
      <select
        name="currency_code"
        data-cy="currency-switcher"
        value={current}
        onChange={(e) => setCurrency(e.target.value)}
      >
        {codes.map((code) => (
          <option key={code} value={code}>
            {code}
          </option>
        ))}
      </select>
    </label>
  );
}

function CartIcon() {
  const { cart } = useShop();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const count = cart?.items.reduce((n, i) => n + i.quantity, 0) ?? 0;
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="cart-menu" ref={box}>
      <button
        type="button"
        className="cart-button"
        data-cy="cart-icon"
        aria-label={`Cart, ${count} items`}
        onClick={() => setOpen((v) => !v)}
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path
            d="M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 8H6.2"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
          <circle cx="9" cy="19" r="1.5" fill="currentColor" />
          <circle cx="17" cy="19" r="1.5" fill="currentColor" />
        </svg>
        {count > 0 && (
          <span className="cart-count" data-cy="cart-item-count">
            {count}
          </span>
        )}
      </button>
      {open && (
        <div className="cart-dropdown" data-cy="cart-dropdown">
          <h3>Shopping cart</h3>
          {count === 0 ? (
            <p className="muted">Your cart is empty.</p>
          ) : (
            <ul>
              {cart?.items.map((item) => (
                <li key={item.productId} data-cy="cart-dropdown-item">
                  {/* biome-ignore lint/performance/noImgElement: images come from image-provider, not next/image */}
                  <img src={productImage(item.product.picture)} alt="" width={48} height={48} />
                  <div>
                    <p className="name">{item.product.name}</p>
                    <p className="muted" data-cy="cart-dropdown-item-quantity">
                      Quantity: {item.quantity}
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <Link
            href="/cart"
            className="button primary"
            data-cy="cart-go-to-shopping"
            onClick={() => setOpen(false)}
          >
            Go to Shopping Cart
          </Link>
        </div>
      )}
    </div>
  );
}

export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { session } = useShop();
  const [platform, setPlatform] = useState('local');
  useEffect(() => setPlatform(window.ENV?.NEXT_PUBLIC_PLATFORM || 'local'), []);
  return (
    <>
      <Head>
        <title>{title}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <header className="site-header">
        <div className="container header-row">
          <Link href="/" className="brand">
            <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
              <circle cx="16" cy="16" r="15" fill="#1b2a4a" />
              <path d="M7 21l14-9 2 3-14 9z" fill="#f5b841" />
              <path d="M15 20l-3 7M17 19l4 7" stroke="#cfd8ee" strokeWidth="1.6" strokeLinecap="round" />
              <circle cx="24" cy="8" r="1.4" fill="#fff" />
              <circle cx="8" cy="10" r="1" fill="#fff" />
            </svg>
            <span>
              Astronomy <strong>Shop</strong>
            </span>
          </Link>
          <nav className="header-actions">
            <CurrencySwitcher />
            <CartIcon />
          </nav>
        </div>
      </header>
      <main className="site-main">{children}</main>
      <footer className="site-footer">
        <div className="container footer-row">
          <p>
            This shop is a demo of <a href="https://opentelemetry.io">OpenTelemetry</a> — telescopes are not
            for sale.
          </p>
          <p className="session">
            <span data-cy="session-id">session-id: {session?.userId ?? '…'}</span>
            <span className="badge">{platform}</span>
          </p>
        </div>
      </footer>
    </>
  );
}

export function Price({ money, cy }: { money: Parameters<typeof formatMoney>[0]; cy?: string }) {
  return (
    <span className="price" data-cy={cy}>
      {formatMoney(money)}
    </span>
  );
}
