// The JSON shapes of the /api routes (spec §4.2), as the browser sees them.
import type { Money } from './money.ts';

export type { Money };

export interface Product {
  id: string;
  name: string;
  description: string;
  picture: string;
  priceUsd?: Money;
  categories: string[];
}

export interface CartItem {
  productId: string;
  quantity: number;
}

export interface DetailedCart {
  userId: string;
  items: (CartItem & { product: Product })[];
}

export interface Ad {
  redirectUrl: string;
  text: string;
}

export interface Address {
  streetAddress: string;
  city: string;
  state: string;
  country: string;
  zipCode: string;
}

export interface PlaceOrderRequest {
  userId: string;
  userCurrency: string;
  address: Address;
  email: string;
  creditCard: {
    creditCardNumber: string;
    creditCardCvv: number;
    creditCardExpirationYear: number;
    creditCardExpirationMonth: number;
  };
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
