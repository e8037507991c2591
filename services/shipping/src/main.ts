import { closeFlags, startFlags } from '@astroshop/flags';
import { listenHttp, runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { createQuoteClient } from './quote-client.ts';
import { shippingApp } from './server.ts';

await runService('shipping', async (logger) => {
  const config = loadConfig();
  startFlags();
  const shutdown = new AbortController();
  const app = shippingApp({
    logger,
    quotes: createQuoteClient({
      name: 'quote',
      address: config.QUOTE_ADDR,
      timeoutMs: config.QUOTE_TIMEOUT_MS,
    }),
    shutdown: shutdown.signal,
    quoteAddress: config.QUOTE_ADDR,
  });
  const server = await listenHttp(app, { host: config.LISTEN_HOST, port: config.SHIPPING_PORT, logger });
  logger.info({ 'event.name': 'shipping.server.started', port: server.port }, 'shipping started');
  return {
    // Sleeping international orders are woken first, or the server drain would wait on them.
    resources: [{ close: async () => shutdown.abort() }, server, { close: closeFlags }],
  };
});
