import type { DeliveryFigures, ReportChannel, ReportKind } from '../../contract';
import type { Db } from '../db/open';
import { bucketSql, bucketStart, type Bucket, type DayGrid } from './days';

export interface Filter {
  channel: ReportChannel | null;
  kind: ReportKind | null;
}

export const emptyFigures = (): DeliveryFigures => ({ sent: 0, delivered: 0, awaiting: 0, undelivered: 0, failed: 0, segments: 0, estCost: 0 });

/**
 * A message belongs to the day it went out (sent_at), or, when it failed without leaving, the
 * day it failed. Two index-backed halves find them: rows still 'sent' through the partial index
 * on sent_at (007 messages_to_poll), rows with a final status through the one on final_at (a
 * final status always comes at or after the send, so final_at >= the range start bounds the
 * scan; a day of slack covers a provider clock a little ahead of ours).
 */
const PICKED = `
  SELECT status, channel, kind, segments, est_cost, sent_at AS ts FROM messages
   WHERE status = 'sent' AND sent_at >= @from AND sent_at < @to
     AND (@channel IS NULL OR channel = @channel) AND (@kind IS NULL OR kind = @kind)
  UNION ALL
  SELECT status, channel, kind, segments, est_cost, COALESCE(sent_at, final_at) AS ts FROM messages
   WHERE final_at >= @floor AND status IN ('delivered','undelivered','failed')
     AND COALESCE(sent_at, final_at) >= @from AND COALESCE(sent_at, final_at) < @to
     AND (@channel IS NULL OR channel = @channel) AND (@kind IS NULL OR kind = @kind)`;

interface Group {
  q: string;
  status: 'sent' | 'delivered' | 'undelivered' | 'failed';
  channel: ReportChannel;
  n: number;
  seg: number;
  cost: number;
}

export interface DeliveryResult {
  totals: DeliveryFigures;
  byDay: DeliveryFigures[];
  byChannel: Map<ReportChannel, DeliveryFigures>;
}

export const deliverySql = (b: Bucket) => `
    SELECT ${bucketSql('ts', b)} AS q, status, channel, COUNT(*) AS n, SUM(COALESCE(segments, 0)) AS seg, SUM(COALESCE(est_cost, 0)) AS cost
      FROM (${PICKED}) GROUP BY q, status, channel`;

export function createDeliveryQuery(db: Db) {
  const stmts = { hour: db.prepare<Record<string, unknown>, Group>(deliverySql('hour')), quarter: db.prepare<Record<string, unknown>, Group>(deliverySql('quarter')) };

  return (grid: DayGrid, f: Filter): DeliveryResult => {
    const floor = new Date(Date.parse(grid.from) - 86_400_000).toISOString();
    const rows = stmts[grid.bucket].all({ from: grid.from, to: grid.to, floor, channel: f.channel, kind: f.kind });
    const totals = emptyFigures();
    const byDay = grid.days.map(emptyFigures);
    const byChannel = new Map<ReportChannel, DeliveryFigures>();
    for (const r of rows) {
      const i = grid.indexOf(bucketStart(r.q, grid.bucket));
      if (i < 0) continue;
      let ch = byChannel.get(r.channel);
      if (!ch) byChannel.set(r.channel, (ch = emptyFigures()));
      for (const t of [totals, byDay[i], ch]) add(t, r);
    }
    return { totals, byDay, byChannel };
  };
}

function add(t: DeliveryFigures, r: Group) {
  t.sent += r.n;
  t.segments += r.seg;
  t.estCost += r.cost;
  if (r.status === 'sent') t.awaiting += r.n;
  else t[r.status] += r.n;
}

export function roundCost(v: number): number {
  return Math.round(v * 10000) / 10000;
}
