import type { ClinicProfile } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import { deskLockRequests, type Db } from '../db/open';
import type { Outbox } from '../messaging/outbox';
import { nextSendTime } from '../schedule/send-window';
import type { Clock } from '../shared/clock';
import { loadOptOutNotices } from '../templates/opt-out';
import { MAX_SMS_BODY } from '../text';
import { createRenderer } from './content';
import { breathe, resolveAudience, type Recipient } from './resolve';
import type { Campaign, CampaignStore } from './store';
import { WriterClient } from './writer-client';
import { MESSAGE_KIND, packEmail, packSms, type PackedRows } from './writer-protocol';

export { dedupeKey, MESSAGE_KIND } from './writer-protocol';

export interface EnqueueDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  consent: ConsentLedger;
  store: CampaignStore;
  clinic: ClinicProfile;
  pricePerSegment: number;
  marketingCap: number;
  /** Recipients in the first page; later ones adapt to `budgetMs`. */
  chunk: number;
  /** How long rendering one page may hold the event loop (0 = fixed pages of `chunk`). */
  budgetMs?: number;
  /**
   * How long the writer thread may hold the write lock while pages keep coming (ms). 0: one
   * transaction per page, each committed before the next page is rendered (tests pace it so).
   */
  maxTxMs: number;
  /** Test hook, paced enqueues only: called after each committed page (a throw here is a crash mid-enqueue). */
  afterChunk?: (n: number) => void;
  onHeld?: (ids: number[]) => void;
}

export interface EnqueueOutcome {
  inserted: number;
  duplicates: number;
  skipped: number;
  stoppedBy: 'cancelled' | null;
}

/**
 * The earliest send instant: the scheduled time (or now), moved into the window the kind keeps to
 * (alerts: quiet hours inside 08:00-21:00; health and marketing also opening hours). A confirmed
 * emergency override goes at once; the dispatcher sees meta.emergencyOverride.
 */
export function firstSendTime(c: Campaign, now: Date, clinic: ClinicProfile): Date {
  const at = c.row.send_at && Date.parse(c.row.send_at) > now.getTime() ? new Date(c.row.send_at) : now;
  if (c.row.emergency_override && c.row.override_confirmed_at) return at;
  return nextSendTime(at, clinic, c.row.kind === 'alert' ? {} : { openingHours: true });
}

/** How long the writer thread may hold the database's write lock at a time: the desk's own writes wait that long at most. */
export const WRITER_TX_MS = 60;

/**
 * Writes a campaign's messages into the outbox as the audience is resolved. The desk resolves and
 * renders a page of recipients at a time (the event loop is free between pages) and hands each page
 * to the campaign's writer thread, which inserts while the next page is rendered: on a two-core PC
 * the two halves run side by side, and the inserts never hold the desk's event loop.
 * Every row carries the dedupe key campaign:<id>:<client>:<channel> (unique in the outbox): a
 * second run after a crash, a restart or a double click inserts only what the first did not.
 * A transaction that sees the campaign cancelled stops the writing; one that sees it paused parks
 * what it wrote.
 */
export async function enqueueCampaign(d: EnqueueDeps, id: number): Promise<EnqueueOutcome> {
  const c = d.store.get(id);
  const now = d.clock.now();
  const render = createRenderer(c.content, c.row.kind, d.clinic);
  const notices = loadOptOutNotices(d.db, now, 30);
  const notBefore = firstSendTime(c, now, d.clinic);
  const override = !!(c.row.emergency_override && c.row.override_confirmed_at);
  const out: EnqueueOutcome = { inserted: 0, duplicates: 0, skipped: 0, stoppedBy: null };
  const paced = d.maxTxMs === 0;
  let n = 0;

  const writer = new WriterClient(
    {
      dbPath: d.db.name,
      campaignId: id,
      kind: MESSAGE_KIND[c.row.kind],
      createdBy: `campaign:${id}`,
      meta: override ? { campaign: id, emergencyOverride: true, overrideQuietHours: true } : { campaign: id },
      notBefore: notBefore.toISOString(),
      now: now.toISOString(),
      pricePerSegment: d.pricePerSegment,
      maxTxMs: d.maxTxMs,
      deskLock: deskLockRequests(d.db),
    },
    {
      committed: (m) => {
        out.inserted += m.inserted.length;
        out.duplicates += m.duplicates;
        d.outbox.announce(m.inserted);
        if (m.held.length) d.onHeld?.(m.held);
      },
      stopped: () => {
        out.stoppedBy = 'cancelled';
      },
    },
  );

  const write = async (page: Recipient[]) => {
    if (out.stoppedBy) return;
    const rows: PackedRows = [];
    for (const r of page) {
      if (r.sms) {
        const m = render.sms(r, notices.needs(r.sms));
        if (m && m.body.length <= MAX_SMS_BODY) {
          if (m.hasOptOut) notices.mark(r.sms);
          // The renderer analysed this very text already: the writer need not do it again.
          const analysed = m.segments !== null && !!m.encoding;
          packSms(rows, r.clientId, r.sms, m.body, analysed ? m.segments : null, analysed ? m.encoding : null);
        } else if (m) out.skipped++;
      }
      if (r.email) {
        const m = render.email(r);
        if (m) packEmail(rows, r.clientId, r.email, m.subject, m.body, m.html);
      }
    }
    if (!rows.length) return;
    writer.write(rows);
    if (paced) {
      // The hook runs before the next page is rendered, where a crash would leave things.
      await writer.settled();
      if (!out.stoppedBy) d.afterChunk?.(n++);
    }
  };

  let resolved;
  try {
    // Starting the thread and reading the campaign took a while: let the desk's calls in first.
    await breathe();
    resolved = await resolveAudience(d.db, d.consent, c.audience, {
      kind: c.row.kind,
      delivery: c.row.delivery,
      now,
      campaignId: id,
      marketingCap: d.marketingCap,
      pageSize: d.chunk,
      pageBudgetMs: d.budgetMs,
      // The inserts are the writer thread's: a page here is only reading and rendering, cheap
      // enough to keep small, so the desk's calls never wait long for one even on a busy PC.
      minPageSize: 50,
      onPage: write,
      stop: () => out.stoppedBy !== null,
    });
    await writer.end();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  if (!c.snapshot && !out.stoppedBy) d.store.update(id, { snapshot: JSON.stringify(resolved.count) });
  return out;
}
