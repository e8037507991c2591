import Link from 'next/link';
import { Layout } from '../components/Layout.tsx';

export default function ServerError() {
  return (
    <Layout title="Otel Demo - Server Error">
      <div className="container section error-page">
        <p className="error-code">500</p>
        <h1>Something went wrong</h1>
        <p className="muted">Our telescope lost its alignment. Please try again in a moment.</p>
        <Link href="/" className="button primary">
          Back to the shop
        </Link>
      </div>
    </Layout>
  );
}
