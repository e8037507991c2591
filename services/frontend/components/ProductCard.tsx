import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api } from '../lib/api.ts';
import { loadSession } from '../lib/session.ts';
import type { Product } from '../lib/types.ts';
import { Price, productImage } from './Layout.tsx';

let slowLoad: Promise<number> | undefined;

/** imageSlowLoad (ms), read once per page load; 0 when flags are unreachable. */
function imageDelay(): Promise<number> {
  slowLoad ??= api.flags(loadSession().userId).then(
    (f) => (Number.isFinite(f.imageSlowLoad) ? f.imageSlowLoad : 0),
    () => 0,
  );
  return slowLoad;
}

/** The card fetches its picture itself so the proxy's fault filter can delay it (spec §4.6). */
function useBlobImage(picture: string): { src?: string; failed: boolean } {
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!picture) return;
    let url: string | undefined;
    let live = true;
    imageDelay()
      .then((delay) =>
        fetch(
          new Request(productImage(picture), {
            headers: { 'x-envoy-fault-delay-request': String(delay), 'Cache-Control': 'no-cache' },
          }),
        ),
      )
      .then((response) =>
        response.ok ? response.blob() : Promise.reject(new Error(`HTTP ${response.status}`)),
      )
      .then((blob) => {
        url = URL.createObjectURL(blob);
        if (live) setSrc(url);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [picture]);
  return { src, failed };
}

export function ProductCard({ product }: { product: Product }) {
  const { src, failed } = useBlobImage(product.picture);
  return (
    <Link href={`/product/${product.id}`} className="product-card" data-cy="product-card">
      <div className={`product-image${src || failed ? '' : ' loading'}${failed ? ' missing' : ''}`}>
        {/* biome-ignore lint/performance/noImgElement: a blob URL, not a static asset */}
        {src && <img src={src} alt={product.name} />}
      </div>
      <div className="product-info">
        <p className="product-name">{product.name}</p>
        <Price money={product.priceUsd} cy="product-price" />
      </div>
    </Link>
  );
}

export function ProductGrid({ products, cy }: { products: Product[]; cy: string }) {
  return (
    <div className="product-grid" data-cy={cy}>
      {products.map((p) => (
        <ProductCard key={p.id} product={p} />
      ))}
    </div>
  );
}

export function GridSkeleton({ count }: { count: number }) {
  return (
    <div className="product-grid">
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <div key={i} className="product-card skeleton">
          <div className="product-image loading" />
          <div className="product-info">
            <p className="bar" />
            <p className="bar short" />
          </div>
        </div>
      ))}
    </div>
  );
}
