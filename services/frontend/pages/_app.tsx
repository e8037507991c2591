import App, { type AppContext, type AppProps } from 'next/app';
import { ShopProvider } from '../lib/store.tsx';
import '../styles/globals.css';

// Browser tracing starts in instrumentation-client.ts, before hydration.

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
