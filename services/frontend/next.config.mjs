// Pages router; the storefront is rendered by Next, /api/* is served by src/main.ts.
/** @type {import('next').NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Type errors are caught by `pnpm typecheck`; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  images: { unoptimized: true },
  turbopack: { root: new URL('../..', import.meta.url).pathname },
};

export default config;
