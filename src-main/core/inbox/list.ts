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
  // Closing a conversation clears its unread count, so "unread" needs no status test and its
  // partial index answers in order by itself.
  const filters: Record<string, { where: string; order?: string }> = {
    all: { where: "c.status = 'open'" },
    unread: { where: 'c.unread_count > 0', order: 'ORDER BY c.last_message_at DESC' },
    mine: { where: "c.assigned_to = @me AND c.status = 'open'" },
    ambiguous: { where: "c.client_id IS NULL AND c.match = 'ambiguous' AND c.status = 'open'" },
    unknown: { where: "c.client_id IS NULL AND c.match IN ('unknown','short-code') AND c.status = 'open'" },
    closed: { where: "c.status = 'closed'" },
  };
  const cache = new Map<string, { page: ReturnType<Db['prepare']>; count: ReturnType<Db['prepare']> }>();

  // The page is chosen on the index alone (ids), then only its rows get names and pets: an
  // OFFSET never pays for the summaries of the rows it skips.
  const stmts = (filter: string, search: boolean) => {
    const key = `${filter}:${search}`;
    let s = cache.get(key);
    if (!s) {
      const f = filters[filter] ?? filters.all!;
      // Searching looks at every conversation, closed ones too, unless a narrowing filter is chosen.
      const where = search && filter === 'all' ? '1' : f.where;
      const order = f.order ?? ORDER;
      const source = search ? 'inbox_fts f JOIN conversations c ON c.id = f.rowid' : 'conversations c';
      const match = search ? 'inbox_fts MATCH @q AND ' : '';
      s = {
        page: db.prepare(
          `SELECT ${SUMMARY_SELECT} FROM (SELECT c.id FROM ${source} WHERE ${match}${where} ${order} LIMIT @limit OFFSET @offset) x
           JOIN conversations c ON c.id = x.id LEFT JOIN clients k ON k.id = c.client_id ${order}`,
        ),
        count: db.prepare(`SELECT COUNT(*) n FROM ${source} WHERE ${match}${where}`),
      };
      cache.set(key, s);
    }
    return s;
  };

  return (a: InboxListArgs): InboxListResult => {
    const filter = a.filter && a.filter in filters ? a.filter : 'all';
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
