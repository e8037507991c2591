import { useEffect, useRef, useState } from 'react';

export interface QueryState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

// Last good answer per key: pages show it at once while refetching.
const cache = new Map<string, unknown>();

/** Fetches when `key` changes (null = not yet: e.g. no session loaded). */
export function useQuery<T>(key: string | null, load: () => Promise<T>): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>(() => ({
    data: key ? (cache.get(key) as T | undefined) : undefined,
    error: undefined,
    loading: key !== null,
  }));
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState({ data: cache.get(key) as T | undefined, error: undefined, loading: true });
    loader.current().then(
      (data) => {
        cache.set(key, data);
        if (live) setState({ data, error: undefined, loading: false });
      },
      (error: Error) => {
        if (live) setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}
