import { type ProductCatalogServiceServer, ProductCatalogServiceService } from '@astroshop/proto';
import { type GrpcService, type Logger, unary } from '@astroshop/service-kit';
import { ATTR, activeSpan } from '@astroshop/telemetry';
import type { ProductCatalog } from './catalog.ts';

export function productCatalogService(catalog: ProductCatalog, logger: Logger): GrpcService {
  const implementation: ProductCatalogServiceServer = {
    listProducts: unary(logger, async () => {
      const products = await catalog.listProducts();
      activeSpan()?.setAttribute(ATTR.productCount, products.length);
      // Info, as the original logs it (spec §2.6); the Go reference in bench/ does the same.
      logger.info(
        { [ATTR.productCount]: products.length },
        `Found ${products.length} products from database`,
      );
      return { products };
    }),

    getProduct: unary(logger, async ({ id }) => {
      const span = activeSpan();
      span?.setAttribute(ATTR.productId, id.slice(0, 64));
      const product = await catalog.getProduct(id);
      span?.setAttribute(ATTR.productName, product.name);
      span?.addEvent('Product Found', { [ATTR.productId]: product.id, [ATTR.productName]: product.name });
      logger.info({ [ATTR.productId]: product.id, [ATTR.productName]: product.name }, 'Product Found');
      return product;
    }),

    searchProducts: unary(logger, async ({ query }) => {
      const results = await catalog.searchProducts(query);
      activeSpan()?.setAttribute(ATTR.productSearchCount, results.length);
      return { results };
    }),
  };

  return {
    definition: ProductCatalogServiceService,
    implementation,
    name: 'oteldemo.ProductCatalogService',
  };
}
