import type { CampaignKind, ClinicProfile } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import type { Db } from '../db/open';
import type { Outbox } from '../messaging/outbox';
import type { MessageKind, OutboundDraft } from '../messaging/types';
import { nextSendTime } from '../schedule/send-window';
import type { Clock } from '../shared/clock';
import { loadOptOutNotices } from '../templates/opt-out';
import { MAX_SMS_BODY } from '../text';
import { createRenderer } from './content';
import type { CampaignHolds } from './hold';
import { createLogPacer } from './log-pacer';
import { resolveAudience, type Recipient } from './resolve';
import type { Campaign, CampaignStore } from './store';

export const MESSAGE_KIND: Record<CampaignKind, MessageKind> = { alert: 'alert', health: 'reminder', marketing: 'marketing' };

/** One outbox row per client and channel per campaign, forever. */
export const dedupeKey = (campaignId: number, clientId: number, channel: 'sms' | 'email') => `campaign:${campaignId}:${clientId}:${channel}`;

export interface EnqueueDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  consent: ConsentLedger;
  store: CampaignStore;
  holds: CampaignHolds;
  clinic: ClinicProfile;
  pricePerSegment: number;
  marketingCap: number;
  /** Recipients in the first transaction; later ones adapt to `budgetMs`. */
  chunk: number;
  /** How long one chunk may hold the event loop (0 = fixed chunks of `chunk`). */
  budgetMs?: number;
  /** Test hook: called after each committed chunk (a throw here is a crash mid-enqueue). */
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

const breathe = () => new Promise<void>((r) => setImmediate(r));

/**
 * Writes a campaign's messages into the outbox as the audience is resolved: a page of recipients
 * per transaction with a yield to the event loop between pages, so the desk keeps answering while
 * 60,000 rows go in.
 * Every row carries the dedupe key campaign:<id>:<client>:<channel> (unique in the outbox): a
 * second run after a crash, a restart or a double click inserts only what the first did not.
 * A chunk that sees the campaign cancelled stops; one that sees it paused parks what it wrote.
 */
export async function enqueueCampaign(d: EnqueueDeps, id: number): Promise<EnqueueOutcome> {
  const c = d.store.get(id);
  const now = d.clock.now();
  const render = createRenderer(c.content, c.row.kind, d.clinic);
  const notices = loadOptOutNotices(d.db, now, 30);
  const kind = MESSAGE_KIND[c.row.kind];
  const notBefore = firstSendTime(c, now, d.clinic);
  const override = !!(c.row.emergency_override && c.row.override_confirmed_at);
  const meta = override ? { campaign: id, emergencyOverride: true, overrideQuietHours: true } : { campaign: id };
  const createdBy = `campaign:${id}`;
  const status = d.db.prepare<[number], { status: string }>('SELECT status FROM campaigns WHERE id = ?');
  const out: EnqueueOutcome = { inserted: 0, duplicates: 0, skipped: 0, stoppedBy: null };
  const pacer = createLogPacer(d.db);
  let n = 0;

  const write = (page: Recipient[]) => {
    if (out.stoppedBy) return;
    const drafts: OutboundDraft[] = [];
    for (const r of page) {
      if (r.sms) {
        const m = render.sms(r, notices.needs(r.sms));
        if (m && m.body.length <= MAX_SMS_BODY) {
          if (m.hasOptOut) notices.mark(r.sms);
          // The renderer analysed this very text already: the outbox need not do it again.
          const analysis = m.segments !== null && m.encoding ? { segments: m.segments, encoding: m.encoding } : undefined;
          drafts.push({ dedupeKey: dedupeKey(id, r.clientId, 'sms'), channel: 'sms', kind, clientId: r.clientId, campaignId: id, to: r.sms, body: m.body, analysis, notBefore, createdBy, meta });
        } else if (m) out.skipped++;
      }
      if (r.email) {
        const m = render.email(r);
        if (m)
          drafts.push({
            dedupeKey: dedupeKey(id, r.clientId, 'email'),
            channel: 'email',
            kind,
            clientId: r.clientId,
            campaignId: id,
            to: r.email,
            subject: m.subject,
            body: m.body,
            html: m.html,
            notBefore,
            createdBy,
            meta,
          });
      }
    }
    let held: number[] = [];
    const stop = d.db.transaction(() => {
      const s = status.get(id)?.status;
      if (s !== 'sending' && s !== 'paused') return true;
      const r = d.outbox.enqueue(drafts, { pricePerSegment: d.pricePerSegment });
      out.inserted += r.inserted;
      pacer.wrote(r.inserted);
      out.duplicates += r.duplicates;
      if (s === 'paused') held = d.holds.hold(id, d.clock.now().toISOString());
      return false;
    })();
    if (held.length) d.onHeld?.(held);
    if (stop) out.stoppedBy = 'cancelled';
    else d.afterChunk?.(n++);
  };

  // Copying the write-ahead log back gets a turn of the event loop of its own, between chunks.
  const between = async () => {
    if (!pacer.due()) return;
    await breathe();
    pacer.checkpoint();
  };

  const resolved = await resolveAudience(d.db, d.consent, c.audience, {
    kind: c.row.kind,
    delivery: c.row.delivery,
    now,
    campaignId: id,
    marketingCap: d.marketingCap,
    pageSize: d.chunk,
    pageBudgetMs: d.budgetMs,
    onPage: (page) => {
      write(page);
      return between();
    },
  });
  if (!c.snapshot && !out.stoppedBy) d.store.update(id, { snapshot: JSON.stringify(resolved.count) });
  return out;
}
