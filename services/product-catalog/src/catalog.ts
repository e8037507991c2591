import type { Product } from '@astroshop/proto';
import { internal, invalidArgument, notFound, requireProductId, StatusError } from '@astroshop/service-kit';
import type { ProductRepository } from './products.ts';

/** The one product the productCatalogFailure flag may break (spec §3). */
export const FAILING_PRODUCT_ID = 'OLJCESPC7Z';
export const MAX_SEARCH_QUERY_LENGTH = 256;
export const FLAG_FAILURE_MESSAGE = 'Error: Product Catalog Fail Feature Flag Enabled';

export interface CatalogDependencies {
  repository: ProductRepository;
  /** Evaluates productCatalogFailure for this product; never throws. */
  failureFlag: (productId: string) => Promise<boolean>;
}

/** Keeps StatusErrors (e.g. UNAVAILABLE from the repository); anything else is an INTERNAL naming the step. */
function asStatusError(error: unknown, step: string): StatusError {
  if (error instanceof StatusError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return internal(`${step}: ${reason}`, error);
}

export class ProductCatalog {
  private readonly deps: CatalogDependencies;

  constructor(deps: CatalogDependencies) {
    this.deps = deps;
  }

  async listProducts(): Promise<Product[]> {
    try {
      return await this.deps.repository.list();
    } catch (error) {
      throw asStatusError(error, 'failed to load products');
    }
  }

  async getProduct(rawId: string): Promise<Product> {
    const id = requireProductId(rawId, 'id');
    // The flag file targets OLJCESPC7Z, but a flag file without targeting must
    // still not take the whole catalog down, hence the id check here as well.
    const failing = await this.deps.failureFlag(id);
    if (failing && id === FAILING_PRODUCT_ID) throw internal(FLAG_FAILURE_MESSAGE);

    let product: Product | undefined;
    try {
      product = await this.deps.repository.get(id);
    } catch (error) {
      throw asStatusError(error, `failed to load product ${id}`);
    }
    if (!product) throw notFound(`Product Not Found: ${id}`);
    return product;
  }

  async searchProducts(query: string): Promise<Product[]> {
    if (query.length > MAX_SEARCH_QUERY_LENGTH)
      throw invalidArgument(
        `query must be at most ${MAX_SEARCH_QUERY_LENGTH} characters, got ${query.length}`,
      );
    // PostgreSQL text cannot hold NUL: the query would fail as a database error.
    if (query.includes('\u0000')) throw invalidArgument('query must not contain NUL characters');
    try {
      return await this.deps.repository.search(query.trim());
    } catch (error) {
      throw asStatusError(error, 'failed to search products');
    }
  }
}
