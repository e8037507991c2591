import { type Product, ProductCatalogServiceClient } from '@astroshop/proto';
import { type Drainable, grpcNeighbour, type NeighbourConfig } from '@astroshop/service-kit';

export interface ProductSource {
  listProducts(): Promise<Product[]>;
}

/**
 * ProductCatalogService.ListProducts through the neighbour client: a failure
 * names product-catalog (down or silent: UNAVAILABLE). A read, so an
 * UNAVAILABLE answer is retried within the deadline.
 */
export function productCatalogClient(config: NeighbourConfig): ProductSource & Drainable {
  const catalog = grpcNeighbour(ProductCatalogServiceClient, config);
  const listProducts = catalog.unary('listProducts', { idempotent: true });
  return {
    listProducts: async () => (await listProducts({})).products,
    close: catalog.close,
  };
}
