import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createClient, type Product, ProductCatalogServiceClient, unary } from '@astroshop/proto';
import {
  createLogger,
  type GrpcServerHandle,
  GrpcStatus,
  startGrpcServer,
  unavailable,
} from '@astroshop/service-kit';
import { expectStatus } from '@astroshop/service-kit/testing';
import { FAILING_PRODUCT_ID, ProductCatalog } from '../src/catalog.ts';
import type { ProductRepository } from '../src/products.ts';
import { productCatalogService } from '../src/server.ts';

process.env.LOG_LEVEL = 'silent';

const product = (id: string, name: string, description = ''): Product => ({
  id,
  name,
  description,
  picture: `${id}.jpg`,
  priceUsd: { currencyCode: 'USD', units: 101, nanos: 960_000_000 },
  categories: ['telescopes'],
});

const PRODUCTS = [
  product('66VCHSJNUP', 'Starsense Explorer Refractor Telescope'),
  product(FAILING_PRODUCT_ID, 'National Park Foundation Explorascope'),
  product('L9ECAV7KIM', 'Lens Cleaning Kit', 'keeps lenses clean'),
];

/** In-memory catalog whose failure mode a test can switch on. */
class FakeRepository implements ProductRepository {
  failure: Error | undefined;
  lastSearch: string | undefined;
  private check() {
    if (this.failure) throw this.failure;
  }
  async list() {
    this.check();
    return PRODUCTS;
  }
  async get(id: string) {
    this.check();
    return PRODUCTS.find((p) => p.id === id);
  }
  async search(query: string) {
    this.check();
    this.lastSearch = query;
    const q = query.toLowerCase();
    return PRODUCTS.filter((p) => p.name.toLowerCase().includes(q) || p.description.includes(q));
  }
  async ping() {
    return !this.failure;
  }
}

describe('product-catalog over gRPC', () => {
  const repository = new FakeRepository();
  let flagOn = false;
  let flagContexts: string[] = [];
  let server: GrpcServerHandle;
  let client: ProductCatalogServiceClient;

  before(async () => {
    const catalog = new ProductCatalog({
      repository,
      // A flag without targeting: on for every product, as if the file lacked it.
      failureFlag: async (id) => {
        flagContexts.push(id);
        return flagOn;
      },
    });
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [productCatalogService(catalog, createLogger('test'))],
      logger: createLogger('test'),
    });
    client = createClient(ProductCatalogServiceClient, `127.0.0.1:${server.port}`);
  });
  after(async () => {
    client.close();
    await server.close();
  });
  beforeEach(() => {
    repository.failure = undefined;
    flagOn = false;
    flagContexts = [];
  });

  const listProducts = () => unary(client.listProducts, client)({});
  const getProduct = (id: string) => unary(client.getProduct, client)({ id });
  const search = (query: string) => unary(client.searchProducts, client)({ query });

  test('ListProducts returns the repository products', async () => {
    const { products } = await listProducts();
    assert.deepEqual(
      products.map((p) => p.id),
      PRODUCTS.map((p) => p.id),
    );
    assert.deepEqual(products[0]?.priceUsd, { currencyCode: 'USD', units: 101, nanos: 960_000_000 });
  });

  test('GetProduct returns the product and evaluates the flag with its id', async () => {
    const found = await getProduct('L9ECAV7KIM');
    assert.equal(found.name, 'Lens Cleaning Kit');
    assert.deepEqual(flagContexts, ['L9ECAV7KIM']);
  });

  test('an unknown id is NOT_FOUND naming it', async () => {
    await assert.rejects(
      getProduct('NOSUCHID00'),
      expectStatus(GrpcStatus.NOT_FOUND, /^Product Not Found: NOSUCHID00$/),
    );
  });

  test('malformed ids are INVALID_ARGUMENT', async () => {
    await assert.rejects(getProduct(''), expectStatus(GrpcStatus.INVALID_ARGUMENT, /required/));
    await assert.rejects(getProduct('X'.repeat(65)), expectStatus(GrpcStatus.INVALID_ARGUMENT, /at most 64/));
    await assert.rejects(
      getProduct("1' OR '1'='1"),
      expectStatus(GrpcStatus.INVALID_ARGUMENT, /letters, digits/),
    );
  });

  test('productCatalogFailure fails only OLJCESPC7Z, with INTERNAL', async () => {
    flagOn = true;
    await assert.rejects(
      getProduct(FAILING_PRODUCT_ID),
      expectStatus(GrpcStatus.INTERNAL, /^Error: Product Catalog Fail Feature Flag Enabled$/),
    );
    assert.equal((await getProduct('66VCHSJNUP')).id, '66VCHSJNUP');
    flagOn = false;
    assert.equal((await getProduct(FAILING_PRODUCT_ID)).id, FAILING_PRODUCT_ID);
  });

  test('SearchProducts matches case-insensitively and passes the query on', async () => {
    const { results } = await search('TELESCOPE');
    assert.deepEqual(
      results.map((p) => p.id),
      ['66VCHSJNUP'],
    );
    assert.equal(repository.lastSearch, 'TELESCOPE');
    assert.equal((await search('clean')).results.length, 1);
    assert.equal((await search('zzz')).results.length, 0);
  });

  test('an over-long search query is INVALID_ARGUMENT', async () => {
    await assert.rejects(search('a'.repeat(257)), expectStatus(GrpcStatus.INVALID_ARGUMENT, /at most 256/));
  });

  test('a NUL in the search query is INVALID_ARGUMENT, not a database error', async () => {
    await assert.rejects(search('tele\u0000scope'), expectStatus(GrpcStatus.INVALID_ARGUMENT, /NUL/));
  });

  test('a database outage is UNAVAILABLE naming the database, and recovers', async () => {
    repository.failure = unavailable('product catalog database unavailable: connect ECONNREFUSED');
    await assert.rejects(listProducts(), expectStatus(GrpcStatus.UNAVAILABLE, /database unavailable/));
    await assert.rejects(getProduct('L9ECAV7KIM'), expectStatus(GrpcStatus.UNAVAILABLE));
    await assert.rejects(search('kit'), expectStatus(GrpcStatus.UNAVAILABLE));
    repository.failure = undefined;
    assert.equal((await listProducts()).products.length, 3);
  });

  test('any other repository failure is INTERNAL saying which step failed', async () => {
    repository.failure = new Error('relation "catalog.products" does not exist');
    await assert.rejects(
      listProducts(),
      expectStatus(GrpcStatus.INTERNAL, /^failed to load products: relation/),
    );
  });
});
