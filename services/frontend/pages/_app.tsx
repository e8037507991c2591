import App, { type AppContext, type AppProps } from 'next/app';
import { ShopProvider } from '../lib/store.tsx';
import { tracerStarted } from '../lib/tracer-ready.ts';
import '../styles/globals.css';

// Tracing starts before any page code fetches (the browser bundle only).
if (typeof window !== 'undefined') {
  void import('../lib/tracer.ts')
    .then((m) => m.startTracer())
    .catch((error) => console.warn('browser tracing disabled:', error))
    .finally(tracerStarted);
}

export default function ShopApp({ Component, pageProps }: AppProps) {
  return (
    <ShopProvider>
      <Component {...pageProps} />
    </ShopProvider>
  );
}

// Rendered per request (no static optimisation): _document must write the
// runtime window.ENV (endpoint, platform, synthetic flag) of this deployment.
ShopApp.getInitialProps = (context: AppContext) => App.getInitialProps(context);
