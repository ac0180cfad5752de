import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ApiClient, ApiMethod, ApiResult, CallArgs, EventName, Events } from '../../src-main/contract';

const ApiContext = createContext<ApiClient | null>(null);
export const ApiProvider = ApiContext.Provider;

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** Calls a read method, re-runs when deps change or when `refreshOn` events arrive. */
export function useQuery<M extends ApiMethod>(method: M, args: CallArgs<M>, opts: { refreshOn?: EventName[]; deps?: unknown[] } = {}) {
  const api = useApi();
  const [data, setData] = useState<ApiResult<M> | undefined>();
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(args);
  const reload = useCallback(() => {
    setLoading(true);
    api
      .call(method, ...args)
      .then((v) => {
        setData(v);
        setError(null);
      })
      .catch((e: Error) => setError(e))
      .finally(() => setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, method, key, ...(opts.deps ?? [])]);
  useEffect(reload, [reload]);
  useEffect(() => {
    const offs = (opts.refreshOn ?? []).map((e) => api.on(e, () => reload()));
    return () => offs.forEach((o) => o());
  }, [api, reload, (opts.refreshOn ?? []).join()]);
  return { data, error, loading, reload, setData };
}

export function useEvent<E extends EventName>(event: E, listener: (p: Events[E]) => void) {
  const api = useApi();
  useEffect(() => api.on(event, listener), [api, event, listener]);
}
