import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClientListItem } from '../../../src-main/contract';
import { useApi } from '../../api/context';

const PAGE = 100;

/**
 * Search results fetched a page at a time as the list scrolls: a clinic has tens of thousands of
 * clients and the desk only ever shows a screenful.
 */
export function useClientPages(query: string, includeInactive: boolean, version = 0) {
  const api = useApi();
  const [total, setTotal] = useState<number | null>(null);
  const [, bump] = useState(0);
  const pages = useRef(new Map<number, ClientListItem[]>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);

  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page) || loading.current.has(page)) return;
      loading.current.add(page);
      const gen = generation.current;
      api
        .call('clients.search', { query, includeInactive, offset: page * PAGE, limit: PAGE })
        .then((r) => {
          if (gen !== generation.current) return;
          pages.current.set(page, r.items);
          setTotal(r.total);
          bump((x) => x + 1);
        })
        .finally(() => loading.current.delete(page));
    },
    // version: bumped after an import, so every page is fetched again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, query, includeInactive, version],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    loading.current = new Set();
    setTotal(null);
    load(0);
  }, [load]);

  return {
    total,
    at: (i: number) => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE],
    ensure: (i: number) => load(Math.floor(i / PAGE)),
  };
}
