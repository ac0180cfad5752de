import type { Db } from '../db/open';
import { describeWait } from '../messaging/outbox-view';

/** Where a run starts: rows added after these ids are this run's doing. */
export interface RunMark {
  eventId: number;
  inboundId: number;
  consentId: number;
  /** Real time (ms) the run started, for elapsed times. */
  startedMs: number;
  /** The desk clock's instant when the run started. */
  clockAt: string;
}

/**
 * Reasons that stop sending until someone acts (or the network returns): a run waits for none of
 * them. Quiet hours, retries and rate limits are only waited for when they end within `soonMs`.
 */
const BLOCKING = "(wait_reason LIKE 'not-configured%' OR wait_reason LIKE 'channel-paused%' OR wait_reason = 'offline')";

export interface WaitingGroup {
  /** Short machine key: quiet-hours, not-configured, channel-paused, offline, retry, rate-limited, scheduled, postcard-batch, checking, queued. */
  reason: string;
  channel: string;
  count: number;
  /** In words, as the Outbox screen says it. */
  why: string;
  /** The earliest time one of them is due to be tried, when later than now. */
  nextAt: string | null;
}

export interface Outcomes {
  /** Reached the provider during the run (SMTP accepted, Twilio queued). */
  sent: Record<'sms' | 'email', number>;
  delivered: Record<'sms', number>;
  /** failed or undelivered during the run. */
  failed: Record<'sms' | 'email', number>;
  failedByCode: Record<string, number>;
  /** Withdrawn during the run (consent, planner, bad address), by the reason recorded. */
  withdrawnByReason: Record<string, number>;
  expired: number;
  /** Texts of this run still 'sent' (no final status yet). */
  awaitingStatus: number;
}

const reasonKey = (status: string, channel: string, waitReason: string | null, later: number, claimed: number): string => {
  if (channel === 'postcard') return 'postcard-batch';
  if (status === 'sending') return claimed ? 'sending' : 'checking';
  if (status === 'queued') return later ? 'scheduled' : 'queued';
  if (!waitReason) return 'queued';
  const i = waitReason.indexOf(':');
  return i > 0 ? waitReason.slice(0, i) : waitReason;
};

const WHY: Record<string, string> = {
  'postcard-batch': 'Postcards wait for a printed batch (Reports > Postcards).',
  scheduled: 'Planned for a later time (e.g. a day-of appointment reminder, a later step).',
  sending: 'Being sent.',
  checking: 'Twilio did not answer clearly; it is looked up at Twilio before any retry.',
  queued: 'Due now.',
};

/** Reads the outbox and inbox tables for the headless run: idle test, what waits, what happened. */
export function createQueueState(db: Db) {
  const maxEvent = db.prepare<[], { n: number | null }>('SELECT MAX(id) n FROM message_events');
  const maxInbound = db.prepare<[], { n: number | null }>('SELECT MAX(id) n FROM inbound_messages');
  const maxConsent = db.prepare<[], { n: number | null }>('SELECT MAX(id) n FROM consent_events');
  const busy = db.prepare<{ soon: string }, { n: number }>(`
    SELECT COUNT(*) n FROM messages WHERE channel IN ('sms','email') AND (
      (status = 'sending' AND (claim_id IS NOT NULL OR next_attempt_at IS NULL OR next_attempt_at <= @soon))
      OR (status IN ('queued','waiting') AND not_before <= @soon AND (next_attempt_at IS NULL OR next_attempt_at <= @soon)
          AND (status = 'queued' OR wait_reason IS NULL OR NOT ${BLOCKING})))`);
  const open = db.prepare<{ now: string }, { channel: string; status: string; wait_reason: string | null; later: number; claimed: number; n: number; next_at: string | null }>(`
    SELECT channel, status, wait_reason, (not_before > @now) later, (claim_id IS NOT NULL) claimed, COUNT(*) n,
      MIN(MAX(not_before, COALESCE(next_attempt_at, not_before))) next_at
    FROM (
      -- Open and in-flight rows each through their own partial index (messages_open, messages_inflight).
      SELECT channel, status, wait_reason, not_before, next_attempt_at, claim_id FROM messages WHERE status IN ('queued','waiting')
      UNION ALL SELECT channel, status, wait_reason, not_before, next_attempt_at, claim_id FROM messages WHERE status = 'sending'
    ) GROUP BY 1, 2, 3, 4, 5`);
  const transitions = db.prepare<[number], { channel: 'sms' | 'email' | 'postcard'; to_status: string; n: number }>(`
    SELECT m.channel, e.to_status, COUNT(DISTINCT e.message_id) n FROM message_events e JOIN messages m ON m.id = e.message_id
    WHERE e.id > ? AND e.to_status IN ('sent','delivered','undelivered','failed','expired') GROUP BY 1, 2`);
  const failedCodes = db.prepare<[number], { code: string | null; n: number }>(`
    SELECT error_code code, COUNT(*) n FROM messages WHERE status IN ('failed','undelivered')
      AND id IN (SELECT message_id FROM message_events WHERE id > ? AND to_status IN ('failed','undelivered')) GROUP BY 1`);
  const withdrawn = db.prepare<[number], { reason: string | null; n: number }>(`
    SELECT wait_reason reason, COUNT(*) n FROM messages WHERE status IN ('withdrawn','cancelled')
      AND id IN (SELECT message_id FROM message_events WHERE id > ? AND to_status IN ('withdrawn','cancelled')) GROUP BY 1`);
  const awaiting = db.prepare<[number], { n: number }>(`
    SELECT COUNT(*) n FROM messages WHERE status = 'sent' AND channel = 'sms'
      AND id IN (SELECT message_id FROM message_events WHERE id > ? AND to_status = 'sent')`);
  const sentSince = db.prepare<[string], { n: number }>("SELECT COUNT(*) n FROM messages WHERE status = 'sent' AND channel = 'sms' AND sent_at > ?");
  const inbound = db.prepare<[number], { intent: string; n: number }>('SELECT intent, COUNT(*) n FROM inbound_messages WHERE id > ? GROUP BY 1');
  const consent = db.prepare<[number], { channel: string; status: string; n: number }>('SELECT channel, status, COUNT(*) n FROM consent_events WHERE id > ? GROUP BY 1, 2');
  const proposed = db.prepare<[], { n: number }>("SELECT COUNT(*) n FROM plan_proposals WHERE status = 'proposed'");
  const outboxCounts = db.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) n FROM messages GROUP BY 1');

  return {
    mark(clockAt: Date): RunMark {
      return {
        eventId: maxEvent.get()?.n ?? 0,
        inboundId: maxInbound.get()?.n ?? 0,
        consentId: maxConsent.get()?.n ?? 0,
        startedMs: Date.now(),
        clockAt: clockAt.toISOString(),
      };
    },

    /** Messages the dispatcher could still send within `soonMs`, or is sending. */
    busy(now: Date, soonMs: number): number {
      return busy.get({ soon: new Date(now.getTime() + soonMs).toISOString() })?.n ?? 0;
    },

    /** Texts sent after `since` still without a final status: not yet looked at by a status poll. */
    sentSince(since: Date): number {
      return sentSince.get(since.toISOString())?.n ?? 0;
    },

    waiting(now: Date): WaitingGroup[] {
      const groups = new Map<string, WaitingGroup>();
      const at = now.toISOString();
      for (const r of open.all({ now: at })) {
        const reason = reasonKey(r.status, r.channel, r.wait_reason, r.later, r.claimed);
        const k = `${r.channel}|${reason}`;
        const next = r.next_at && r.next_at > at && r.channel !== 'postcard' ? r.next_at : null;
        const g = groups.get(k);
        if (g) {
          g.count += r.n;
          if (next && (!g.nextAt || next < g.nextAt)) g.nextAt = next;
        } else groups.set(k, { reason, channel: r.channel, count: r.n, why: WHY[reason] ?? describeWait(r.wait_reason, null) ?? reason, nextAt: next });
      }
      return [...groups.values()].sort((a, b) => b.count - a.count);
    },

    outcomes(m: RunMark): Outcomes {
      const o: Outcomes = { sent: { sms: 0, email: 0 }, delivered: { sms: 0 }, failed: { sms: 0, email: 0 }, failedByCode: {}, withdrawnByReason: {}, expired: 0, awaitingStatus: 0 };
      for (const r of transitions.all(m.eventId)) {
        if (r.channel === 'postcard') continue;
        if (r.to_status === 'sent') o.sent[r.channel] += r.n;
        else if (r.to_status === 'delivered' && r.channel === 'sms') o.delivered.sms += r.n;
        else if (r.to_status === 'failed' || r.to_status === 'undelivered') o.failed[r.channel] += r.n;
        else if (r.to_status === 'expired') o.expired += r.n;
      }
      for (const r of failedCodes.all(m.eventId)) o.failedByCode[r.code ?? 'none'] = r.n;
      for (const r of withdrawn.all(m.eventId)) o.withdrawnByReason[r.reason ?? 'no reason recorded'] = (o.withdrawnByReason[r.reason ?? 'no reason recorded'] ?? 0) + r.n;
      o.awaitingStatus = awaiting.get(m.eventId)?.n ?? 0;
      return o;
    },

    inbound(m: RunMark): { received: number; byIntent: Record<string, number> } {
      const byIntent: Record<string, number> = {};
      let received = 0;
      for (const r of inbound.all(m.inboundId)) {
        byIntent[r.intent] = r.n;
        received += r.n;
      }
      return { received, byIntent };
    },

    consent(m: RunMark): { optOuts: number; optIns: number } {
      let optOuts = 0;
      let optIns = 0;
      for (const r of consent.all(m.consentId)) {
        if (r.status === 'opt-out') optOuts += r.n;
        else optIns += r.n;
      }
      return { optOuts, optIns };
    },

    awaitingApproval(): number {
      return proposed.get()?.n ?? 0;
    },

    outbox(): Record<string, number> {
      return Object.fromEntries(outboxCounts.all().map((r) => [r.status, r.n]));
    },
  };
}

export type QueueState = ReturnType<typeof createQueueState>;
