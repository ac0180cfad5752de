import type { InboxListArgs, InboxListResult } from '../../contract';
import type { Db } from '../db/open';
import { SUMMARY_SELECT, toSummary, type SummaryRow } from './conversations';
import { ftsQuery } from './search-index';

const MAX_PAGE = 200;

/**
 * The conversation list: unread first, then newest. Each filter is a WHERE clause the list
 * indexes serve in order, so the first page costs the same with 20 or 20,000 conversations.
 * Search goes through the FTS5 document of each conversation and also finds closed ones.
 */
export function createInboxList(db: Db) {
  const ORDER = 'ORDER BY (c.unread_count > 0) DESC, c.last_message_at DESC';
  const filters: Record<string, string> = {
    all: "c.status = 'open'",
    unread: "c.status = 'open' AND c.unread_count > 0",
    mine: "c.status = 'open' AND c.assigned_to = @me",
    ambiguous: "c.status = 'open' AND c.match = 'ambiguous'",
    unknown: "c.status = 'open' AND c.match IN ('unknown','short-code')",
    closed: "c.status = 'closed'",
  };
  // Searching looks at every conversation unless a narrowing filter is chosen.
  const searchFilters: Record<string, string> = { ...filters, all: '1' };
  const from = 'FROM conversations c LEFT JOIN clients k ON k.id = c.client_id';
  const cache = new Map<string, { page: ReturnType<Db['prepare']>; count: ReturnType<Db['prepare']> }>();

  const stmts = (filter: string, search: boolean) => {
    const key = `${filter}:${search}`;
    let s = cache.get(key);
    if (!s) {
      const where = (search ? searchFilters : filters)[filter] ?? filters.all!;
      s = search
        ? {
            page: db.prepare(
              `SELECT ${SUMMARY_SELECT} FROM inbox_fts f JOIN conversations c ON c.id = f.rowid LEFT JOIN clients k ON k.id = c.client_id
               WHERE inbox_fts MATCH @q AND ${where} ${ORDER} LIMIT @limit OFFSET @offset`,
            ),
            count: db.prepare(`SELECT COUNT(*) n FROM inbox_fts f JOIN conversations c ON c.id = f.rowid WHERE inbox_fts MATCH @q AND ${where}`),
          }
        : {
            page: db.prepare(`SELECT ${SUMMARY_SELECT} ${from} WHERE ${where} ${ORDER} LIMIT @limit OFFSET @offset`),
            count: db.prepare(`SELECT COUNT(*) n FROM conversations c WHERE ${where}`),
          };
      cache.set(key, s);
    }
    return s;
  };

  return (a: InboxListArgs): InboxListResult => {
    const filter = a.filter && filters[a.filter] ? a.filter : 'all';
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(a.limit ?? 50)));
    const offset = Math.max(0, Math.floor(a.offset ?? 0));
    const q = a.q ? ftsQuery(a.q) : null;
    if (a.q && a.q.trim() && !q) return { total: 0, offset, items: [] };
    const s = stmts(filter, q !== null);
    const params: Record<string, unknown> = { limit, offset };
    if (filter === 'mine') params.me = a.me?.trim() || '\u0000';
    if (q) params.q = q;
    // Count only what the statement uses: better-sqlite3 refuses unknown named parameters.
    const countParams = { ...params };
    delete countParams.limit;
    delete countParams.offset;
    const rows = s.page.all(params) as SummaryRow[];
    const total = offset === 0 && rows.length < limit ? rows.length : (s.count.get(countParams) as { n: number }).n;
    return { total, offset, items: rows.map(toSummary) };
  };
}
