import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { booleanFlag, FLAG, InMemoryProvider, OpenFeature } from '@astroshop/flags';
import {
  createClient,
  type ListRecommendationsRequest,
  ProductCatalogServiceService,
  RecommendationServiceClient,
  unary,
} from '@astroshop/proto';
import { createLogger, type GrpcServerHandle, GrpcStatus, startGrpcServer } from '@astroshop/service-kit';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { productCatalogClient } from '../src/catalog-client.ts';
import { LeakyProductCache } from '../src/leaky-cache.ts';
import { productLister } from '../src/product-list.ts';
import { recommendationService } from '../src/server.ts';
import { PRODUCT_IDS, PRODUCTS } from './fixtures.ts';

process.env.LOG_LEVEL = 'silent';
const logger = createLogger('recommendation-test');

/** A stand-in ProductCatalogService that counts calls and can be told to hang. */
async function fakeCatalog() {
  const state = { calls: 0, hang: false };
  const server = new Server();
  server.addService(ProductCatalogServiceService, {
    listProducts: (_call: unknown, callback: (e: null, r: unknown) => void) => {
      state.calls++;
      if (!state.hang) callback(null, { products: PRODUCTS });
    },
    getProduct: () => undefined,
    searchProducts: () => undefined,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { state, address: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
}

async function unusedAddress(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `127.0.0.1:${port}`;
}

async function startRecommendation(catalogAddress: string, timeoutMs = 1000) {
  const catalog = productCatalogClient({ name: 'product-catalog', address: catalogAddress, timeoutMs });
  const cache = new LeakyProductCache({ bytesPerMiss: 1_000_000 });
  const listProducts = productLister({
    tracer: trace.getTracer('test'),
    logger,
    catalog,
    cache,
    cacheFailureEnabled: () => booleanFlag(FLAG.recommendationCacheFailure, false),
  });
  const server: GrpcServerHandle = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [recommendationService(logger, listProducts)],
    logger,
  });
  const client = createClient(RecommendationServiceClient, `127.0.0.1:${server.port}`);
  const call = unary(client.listRecommendations, client);
  return {
    cache,
    list: (productIds: string[]) => call({ userId: 'u1', productIds } as ListRecommendationsRequest),
    close: async () => {
      client.close();
      await server.close();
      await catalog.close();
    },
  };
}

async function setCacheFailure(on: boolean) {
  await OpenFeature.setProviderAndWait(
    new InMemoryProvider({
      [FLAG.recommendationCacheFailure]: {
        variants: { on: true, off: false },
        defaultVariant: on ? 'on' : 'off',
        disabled: false,
      },
    }),
  );
}

describe('ListRecommendations against a fake catalog', () => {
  let catalog: Awaited<ReturnType<typeof fakeCatalog>>;
  let service: Awaited<ReturnType<typeof startRecommendation>>;

  before(async () => {
    catalog = await fakeCatalog();
    service = await startRecommendation(catalog.address, 500);
  });
  after(async () => {
    await service.close();
    catalog.close();
    await OpenFeature.close();
  });

  test('returns up to five known ids, never a requested one, for both input shapes', async () => {
    await setCacheFailure(false);
    for (const productIds of [['OLJCESPC7Z', '66VCHSJNUP'], [...'OLJCESPC7Z,66VCHSJNUP']]) {
      const { productIds: got } = await service.list(productIds);
      assert.equal(got.length, 5);
      assert.equal(new Set(got).size, 5);
      for (const id of got) assert.ok(PRODUCT_IDS.includes(id), `unknown id ${id}`);
      assert.ok(!got.includes('OLJCESPC7Z') && !got.includes('66VCHSJNUP'), `got ${got}`);
    }
  });

  test('bad input is INVALID_ARGUMENT with a reason', async () => {
    await assert.rejects(service.list(['X'.repeat(100)]), (error: { code: number; details: string }) => {
      assert.equal(error.code, GrpcStatus.INVALID_ARGUMENT);
      assert.match(error.details, /longer than 64/);
      return true;
    });
  });

  test('with recommendationCacheFailure on, hits skip the catalog and the cache only grows', async () => {
    await setCacheFailure(true);
    const callsBefore = catalog.state.calls;
    const sizes: number[] = [];
    for (let i = 0; i < 30; i++) {
      const { productIds } = await service.list(['OLJCESPC7Z']);
      assert.ok(!productIds.includes('OLJCESPC7Z'));
      sizes.push(service.cache.size);
    }
    const calls = catalog.state.calls - callsBefore;
    assert.ok(calls >= 1 && calls < 30, `catalog called ${calls} times for 30 requests`);
    assert.deepEqual(
      [...sizes].sort((a, b) => a - b),
      sizes,
    );
    assert.ok(sizes.at(-1)! > 100);

    await setCacheFailure(false);
    const frozen = service.cache.size;
    await service.list([]);
    assert.equal(service.cache.size, frozen, 'flag off: no more growth');
  });

  test('a catalog that does not answer is UNAVAILABLE within the deadline', async () => {
    await setCacheFailure(false);
    catalog.state.hang = true;
    try {
      // The message says the neighbour client's own 500 ms deadline ended the call (no clock here).
      await assert.rejects(service.list([]), (error: { code: number; details: string }) => {
        assert.equal(error.code, GrpcStatus.UNAVAILABLE);
        assert.match(error.details, /product-catalog .* no answer within 500 ms/);
        return true;
      });
    } finally {
      catalog.state.hang = false;
    }
  });
});

describe('ListRecommendations with the catalog down', () => {
  test('is UNAVAILABLE naming product-catalog, and recovers when it comes back', async () => {
    const address = await unusedAddress();
    const service = await startRecommendation(address, 500);
    try {
      await assert.rejects(service.list([]), (error: { code: number; details: string }) => {
        assert.equal(error.code, GrpcStatus.UNAVAILABLE);
        assert.ok(
          error.details.startsWith(`product-catalog (ProductCatalogService.ListProducts at ${address})`),
        );
        return true;
      });
      const server = new Server();
      server.addService(ProductCatalogServiceService, {
        listProducts: (_c: unknown, cb: (e: null, r: unknown) => void) => cb(null, { products: PRODUCTS }),
        getProduct: () => undefined,
        searchProducts: () => undefined,
      });
      await new Promise<number>((resolve, reject) =>
        server.bindAsync(address, ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
      );
      try {
        const deadline = Date.now() + 5000;
        let got: string[] | undefined;
        while (!got && Date.now() < deadline) {
          got = await service.list([]).then(
            (r) => r.productIds,
            () => undefined,
          );
          if (!got) await new Promise((r) => setTimeout(r, 200));
        }
        assert.equal(got?.length, 5, 'recovered once the catalog listens');
      } finally {
        server.forceShutdown();
      }
    } finally {
      await service.close();
    }
  });
});
