import type { Db } from '../db/open';
import { bucketSql, bucketStart, type Bucket, type DayGrid } from './days';
import type { Filter } from './delivery';

export interface EngagementResult {
  replies: number;
  repliesByDay: number[];
  optOuts: number;
  optOutsByDay: number[];
  optOutsBySource: { source: string; count: number }[];
}

/**
 * Replies (inbound texts, the inbox's table) and opt-outs (the consent ledger). Inbound texts are
 * SMS only and carry no message kind, so a channel filter other than SMS leaves no replies and a
 * kind filter does not narrow them; opt-outs follow the channel filter the same way.
 */
export function createEngagementQuery(db: Db) {
  const hasTable = db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?");
  const prepareReplies = (b: Bucket) =>
    db.prepare<[string, string], { q: string; n: number }>(`
      SELECT ${bucketSql('received_at', b)} AS q, COUNT(*) AS n FROM inbound_messages
       WHERE received_at >= ? AND received_at < ? GROUP BY q`);
  let replies: Record<Bucket, ReturnType<typeof prepareReplies>> | null = null;
  const optOutSql = (b: Bucket) => `
    SELECT ${bucketSql('at', b)} AS q, source, purpose, COUNT(*) AS n FROM consent_events
     WHERE status = 'opt-out' AND at >= @from AND at < @to AND (@channel IS NULL OR channel = @channel)
     GROUP BY q, source, purpose`;
  const optOuts = {
    hour: db.prepare<Record<string, unknown>, { q: string; source: string; purpose: string; n: number }>(optOutSql('hour')),
    quarter: db.prepare<Record<string, unknown>, { q: string; source: string; purpose: string; n: number }>(optOutSql('quarter')),
  };

  return (grid: DayGrid, f: Filter): EngagementResult => {
    const out: EngagementResult = {
      replies: 0,
      repliesByDay: grid.days.map(() => 0),
      optOuts: 0,
      optOutsByDay: grid.days.map(() => 0),
      optOutsBySource: [],
    };
    // The inbox's migration may be absent in an older database or a trimmed test schema.
    if (f.channel === null || f.channel === 'sms') {
      if (!replies && (hasTable.get('inbound_messages')?.n ?? 0) > 0) replies = { hour: prepareReplies('hour'), quarter: prepareReplies('quarter') };
      for (const r of replies?.[grid.bucket].all(grid.from, grid.to) ?? []) {
        const i = grid.indexOf(bucketStart(r.q, grid.bucket));
        if (i < 0) continue;
        out.replies += r.n;
        out.repliesByDay[i] += r.n;
      }
    }
    if (f.channel === 'postcard') return out;
    const bySource = new Map<string, number>();
    for (const r of optOuts[grid.bucket].all({ from: grid.from, to: grid.to, channel: f.channel })) {
      const i = grid.indexOf(bucketStart(r.q, grid.bucket));
      if (i < 0) continue;
      out.optOuts += r.n;
      out.optOutsByDay[i] += r.n;
      const key = r.purpose === 'marketing' ? `${r.source} (marketing only)` : r.source;
      bySource.set(key, (bySource.get(key) ?? 0) + r.n);
    }
    out.optOutsBySource = [...bySource].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count || a.source.localeCompare(b.source));
    return out;
  };
}
