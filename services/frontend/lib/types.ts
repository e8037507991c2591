// The JSON shapes of the /api routes (spec §4.2), as the browser sees them:
// the messages are the proto's own types (type-only imports, so nothing of the
// gRPC package reaches the bundle); only the frontend's compositions are here.
import type { Ad, Address, CartItem, Money, PlaceOrderRequest, Product } from '@astroshop/proto';

export type { Ad, Address, CartItem, Money, PlaceOrderRequest, Product };

export interface DetailedCart {
  userId: string;
  items: (CartItem & { product: Product })[];
}

export interface Order {
  orderId: string;
  shippingTrackingId: string;
  shippingCost?: Money;
  shippingAddress?: Address;
  items: { cost?: Money; item: CartItem & { product?: Product } }[];
}

export interface RuntimeEnv {
  NEXT_PUBLIC_PLATFORM: string;
  NEXT_PUBLIC_OTEL_SERVICE_NAME: string;
  NEXT_PUBLIC_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: string;
  IS_SYNTHETIC_REQUEST: string;
}

declare global {
  interface Window {
    ENV?: RuntimeEnv;
  }
}
