import Link from 'next/link';
import { Layout } from '../components/Layout.tsx';

export default function NotFound() {
  return (
    <Layout title="Otel Demo - Page Not Found">
      <div className="container section error-page">
        <p className="error-code">404</p>
        <h1>Lost in space</h1>
        <p className="muted">The page you are looking for drifted out of our field of view.</p>
        <Link href="/" className="button primary">
          Back to the shop
        </Link>
      </div>
    </Layout>
  );
}
