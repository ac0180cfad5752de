import { z } from 'zod';
import type { Handlers, ReportChannel, ReportQuery, ReportResult } from '../../contract';
import type { CoreContext } from '../index';
import { daysBetween, isIsoDate } from '../schedule/local-time';
import { parseOrThrow } from '../settings/schema';
import { createComplianceQuery } from './compliance';
import { reportCsv } from './csv';
import { dayGrid } from './days';
import { createDeliveryQuery, roundCost, type Filter } from './delivery';
import { createEngagementQuery } from './engagement';

type ReportsHandlers = Pick<Handlers, 'reports.summary' | 'reports.csv'>;

/** A year and a bit: enough for year-on-year, small enough that a chart stays readable. */
export const MAX_REPORT_DAYS = 400;

const day = z.string().refine(isIsoDate, 'Choose a date (YYYY-MM-DD)');
const querySchema = z
  .object({
    from: day,
    to: day,
    channel: z.enum(['sms', 'email', 'postcard']).nullish(),
    kind: z.enum(['alert', 'reply', 'appointment', 'reminder', 'marketing']).nullish(),
  })
  .superRefine((q, ctx) => {
    if (!isIsoDate(q.from) || !isIsoDate(q.to)) return;
    const n = daysBetween(q.from, q.to);
    if (n < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end date comes before the start date' });
    else if (n >= MAX_REPORT_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `At most ${MAX_REPORT_DAYS} days at a time` });
  });

export interface Reports {
  handlers: ReportsHandlers;
  summary(q: ReportQuery): ReportResult;
}

/** Figures for the Reports screen, computed on demand from the outbox, the inbox and the PIMS history. */
export function createReports(ctx: Pick<CoreContext, 'db' | 'clock' | 'settings'>): Reports {
  const delivery = createDeliveryQuery(ctx.db);
  const engagement = createEngagementQuery(ctx.db);
  const compliance = createComplianceQuery(ctx.db);

  const summary = (input: ReportQuery): ReportResult => {
    const q = parseOrThrow(querySchema, input, 'Report');
    const f: Filter = { channel: q.channel ?? null, kind: q.kind ?? null };
    const clinic = ctx.settings.clinic();
    const timeZone = clinic?.timeZone ?? 'UTC';
    const grid = dayGrid(q.from, q.to, timeZone);
    // One read transaction: the figures agree with each other even while the dispatcher writes.
    // Deferred: it only reads, so it need not wait for an import or campaign holding the write lock.
    return ctx.db.transaction((): ReportResult => {
      const d = delivery(grid, f);
      const e = engagement(grid, f);
      const c = compliance(grid, f);
      const notes: string[] = [];
      if (!clinic) notes.push('The clinic profile is not set up, so days are counted in UTC.');
      notes.push('Sent counts every message that went out, or was tried and failed, on that day; “no report yet” are texts the carrier has not confirmed and all emails and postcards, which never get a delivery report.');
      notes.push('Cost is the estimate made when each message was queued (SMS segments × the price per segment in Settings); postage for postcards is not included, and the provider’s invoice is the final figure.');
      if (f.kind) notes.push('Replies and opt-outs cannot be told apart by message kind: they are shown for all kinds.');
      if (f.channel === 'email' || f.channel === 'postcard') notes.push('Replies are text messages, so none are counted for this channel.');
      notes.push('Reminder compliance: a reminded pet “came in” when the practice software’s history shows that service for that pet on or after the day the reminder went out; “booked” when an appointment that covers it is on the schedule on or after that day.');
      const settled = d.totals.delivered + d.totals.undelivered + d.totals.failed;
      return {
        query: { from: q.from, to: q.to, channel: f.channel, kind: f.kind },
        timeZone,
        generatedAt: ctx.clock.now().toISOString(),
        totals: {
          ...d.totals,
          estCost: roundCost(d.totals.estCost),
          replies: e.replies,
          optOuts: e.optOuts,
          deliveryRate: settled ? d.totals.delivered / settled : null,
        },
        byChannel: (['sms', 'email', 'postcard'] as ReportChannel[])
          .filter((ch) => d.byChannel.has(ch))
          .map((ch) => {
            const x = d.byChannel.get(ch)!;
            return { channel: ch, ...x, estCost: roundCost(x.estCost) };
          }),
        optOutsBySource: e.optOutsBySource,
        days: grid.days.map((day, i) => ({ day, ...d.byDay[i], estCost: roundCost(d.byDay[i].estCost), replies: e.repliesByDay[i], optOuts: e.optOutsByDay[i] })),
        compliance: c,
        notes,
      };
    }).deferred();
  };

  return {
    summary,
    handlers: {
      'reports.summary': summary,
      'reports.csv': (q) => {
        const r = summary(q);
        const suffix = [r.query.channel, r.query.kind].filter(Boolean).join('-');
        return { fileName: `pawline-report-${r.query.from}-to-${r.query.to}${suffix ? '-' + suffix : ''}.csv`, csv: reportCsv(r) };
      },
    },
  };
}
