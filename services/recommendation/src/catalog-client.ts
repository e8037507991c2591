import { createClient, type Product, ProductCatalogServiceClient, unary } from '@astroshop/proto';
import { type Drainable, GrpcStatus, isGrpcCallError, unavailable } from '@astroshop/service-kit';

export interface ProductSource {
  listProducts(): Promise<Product[]>;
}

/**
 * ProductCatalogService.ListProducts with a deadline. Any failure becomes
 * UNAVAILABLE naming product-catalog: from the caller's side the recommendation
 * service cannot serve without it. The channel reconnects by itself.
 */
export function productCatalogClient(address: string, timeoutMs: number): ProductSource & Drainable {
  const client = createClient(ProductCatalogServiceClient, address);
  const listProducts = unary(client.listProducts, client);
  return {
    async listProducts() {
      try {
        return (await listProducts({}, { timeoutMs })).products;
      } catch (error) {
        throw unavailable(describeFailure(error, address, timeoutMs), error);
      }
    },
    close: async () => client.close(),
  };
}

function describeFailure(error: unknown, address: string, timeoutMs: number): string {
  const prefix = `product-catalog at ${address} ListProducts failed`;
  if (!isGrpcCallError(error)) return `${prefix}: ${error instanceof Error ? error.message : String(error)}`;
  if (error.code === GrpcStatus.DEADLINE_EXCEEDED) return `${prefix}: no answer within ${timeoutMs} ms`;
  return `${prefix}: ${GrpcStatus[error.code]} ${error.details}`;
}
