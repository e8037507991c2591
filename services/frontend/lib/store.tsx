// Session (user id + currency) and the cart, shared by every page.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api } from './api.ts';
import { loadSession, type Session, saveSession } from './session.ts';
import type { DetailedCart } from './types.ts';

interface ShopState {
  session: Session | null;
  setCurrency(code: string): void;
  cart: DetailedCart | undefined;
  cartError: Error | undefined;
  refreshCart(): Promise<void>;
  addItem(productId: string, quantity: number): Promise<void>;
  setQuantity(productId: string, quantity: number): Promise<void>;
  emptyCart(): Promise<void>;
}

const ShopContext = createContext<ShopState | null>(null);

export function ShopProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [cart, setCart] = useState<DetailedCart | undefined>();
  const [cartError, setCartError] = useState<Error | undefined>();

  useEffect(() => setSession(loadSession()), []);

  const refreshCart = useCallback(async () => {
    const current = loadSession();
    try {
      setCart(await api.cart(current.userId, current.currencyCode));
      setCartError(undefined);
    } catch (error) {
      setCartError(error as Error);
    }
  }, []);

  useEffect(() => {
    if (session) void refreshCart();
  }, [session, refreshCart]);

  const setCurrency = useCallback((code: string) => {
    const next = { ...loadSession(), currencyCode: code };
    saveSession(next);
    setSession(next);
  }, []);

  const addItem = useCallback(
    async (productId: string, quantity: number) => {
      const { userId, currencyCode } = loadSession();
      await api.addToCart(userId, { productId, quantity }, currencyCode);
      await refreshCart();
    },
    [refreshCart],
  );

  // The cart service only adds (quantities >= 1): more = add the difference;
  // fewer = empty the cart and put every line back with its new quantity.
  const setQuantity = useCallback(
    async (productId: string, quantity: number) => {
      const { userId, currencyCode } = loadSession();
      const lines = cart?.items ?? [];
      const line = lines.find((i) => i.productId === productId);
      const current = line?.quantity ?? 0;
      try {
        if (quantity > current) {
          await api.addToCart(userId, { productId, quantity: quantity - current }, currencyCode);
        } else if (quantity < current) {
          await api.emptyCart(userId);
          for (const item of lines) {
            const wanted = item.productId === productId ? quantity : item.quantity;
            if (wanted > 0)
              await api.addToCart(userId, { productId: item.productId, quantity: wanted }, currencyCode);
          }
        }
      } finally {
        await refreshCart();
      }
    },
    [cart, refreshCart],
  );

  const emptyCart = useCallback(async () => {
    await api.emptyCart(loadSession().userId);
    await refreshCart();
  }, [refreshCart]);

  const value = useMemo(
    () => ({ session, setCurrency, cart, cartError, refreshCart, addItem, setQuantity, emptyCart }),
    [session, setCurrency, cart, cartError, refreshCart, addItem, setQuantity, emptyCart],
  );
  return <ShopContext.Provider value={value}>{children}</ShopContext.Provider>;
}

export function useShop(): ShopState {
  const state = useContext(ShopContext);
  if (!state) throw new Error('useShop outside ShopProvider');
  return state;
}
