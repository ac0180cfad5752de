import { useEffect, useRef, useState } from 'react';
import { CallError } from '../../api/transport';

/**
 * Runs `fn` once the inputs have been still for `ms`, keeping only the latest answer (a slow
 * count for an old filter never overwrites the count for the current one).
 */
export function useDebounced<T>(fn: () => Promise<T>, key: string, ms = 350) {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const t = setTimeout(() => {
      fn()
        .then((v) => {
          if (mine !== seq.current) return;
          setData(v);
          setError(null);
        })
        .catch((e) => {
          if (mine !== seq.current) return;
          setError(e instanceof CallError ? e.message : String(e));
        })
        .finally(() => mine === seq.current && setLoading(false));
    }, ms);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { data, error, loading };
}
