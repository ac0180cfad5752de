import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationSummary, InboxFilter } from '../../../src-main/contract';
import { useApi } from '../../api/context';

export const PAGE_SIZE = 100;

/**
 * The conversation list, fetched a page at a time as the virtual list scrolls: 20,000 threads
 * never travel or render at once. Any inbox change reloads the pages already loaded.
 */
export function useConversationPages(filter: InboxFilter, q: string, me: string) {
  const api = useApi();
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, ConversationSummary[]>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wanted = useRef(new Set<number>([0]));
  const generation = useRef(0);
  const key = `${filter}|${q}|${me}`;

  const fetchPage = useCallback(
    async (page: number, gen: number) => {
      try {
        const r = await api.call('inbox.list', { filter, q: q || undefined, me: me || null, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
        if (gen !== generation.current) return;
        setTotal(r.total);
        setPages((prev) => new Map(prev).set(page, r.items));
        setLoaded(true);
        setError(null);
      } catch (e) {
        if (gen === generation.current) setError(e instanceof Error ? e.message : String(e));
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );

  const reload = useCallback(() => {
    const gen = ++generation.current;
    for (const p of wanted.current) void fetchPage(p, gen);
  }, [fetchPage]);

  useEffect(() => {
    wanted.current = new Set([0]);
    setPages(new Map());
    setLoaded(false);
    reload();
  }, [reload]);

  useEffect(() => {
    // Coalesce bursts (a catch-up poll stores many texts at once).
    let t: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (t) return;
      t = setTimeout(() => {
        t = null;
        reload();
      }, 150);
    };
    const offs = [api.on('inbox.changed', soon), api.on('inbox.message', soon)];
    return () => {
      offs.forEach((o) => o());
      if (t) clearTimeout(t);
    };
  }, [api, reload]);

  const ensure = useCallback(
    (index: number) => {
      const page = Math.floor(index / PAGE_SIZE);
      if (wanted.current.has(page)) return;
      wanted.current.add(page);
      void fetchPage(page, generation.current);
    },
    [fetchPage],
  );

  const at = useCallback((index: number) => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [pages]);

  return { total, at, ensure, loaded, error, reload };
}
