import type { Logger } from '@astroshop/service-kit';
import { createHttpApp, type FastifyInstance } from '@astroshop/service-kit';
import fastifyStatic from '@fastify/static';

export interface ImageServerOptions {
  root: string;
  maxAgeS: number;
  logger: Logger;
}

/**
 * Static pictures with ETag/Last-Modified revalidation (304) and cache
 * headers. @fastify/static (send) refuses paths that leave `root`, decoded or
 * not, and dotfiles; unknown files fall through to the kit's JSON 404.
 */
export async function createImageServer(options: ImageServerOptions): Promise<FastifyInstance> {
  const app = createHttpApp({ logger: options.logger });
  const counters = { accepted: 0, requests: 0, active: 0, inFlight: 0 };

  app.server.on('connection', (socket) => {
    counters.accepted++;
    counters.active++;
    socket.once('close', () => counters.active--);
  });
  app.addHook('onRequest', async () => {
    counters.requests++;
    counters.inFlight++;
  });
  app.addHook('onResponse', async () => {
    counters.inFlight--;
  });

  // nginx stub_status format, so an nginx receiver or the original's healthcheck can read it.
  app.get('/status', async (_request, reply) => {
    const { accepted, requests, active, inFlight } = counters;
    const waiting = Math.max(0, active - inFlight);
    return reply
      .type('text/plain')
      .header('cache-control', 'no-store')
      .send(
        `Active connections: ${active} \nserver accepts handled requests\n ${accepted} ${accepted} ${requests} \nReading: 0 Writing: ${inFlight} Waiting: ${waiting} \n`,
      );
  });

  await app.register(fastifyStatic, {
    root: options.root,
    prefix: '/',
    index: false,
    list: false,
    dotfiles: 'ignore',
    etag: true,
    lastModified: true,
    cacheControl: true,
    maxAge: options.maxAgeS * 1000,
    // The frontend's next/image loader appends ?w=&q=; the picture is the same.
    wildcard: true,
  });
  return app;
}
