import type { Db } from '../db/open';
import type { ChannelName } from './channel-state';
import type { MessageRow, MessageStatus } from './types';
import type { OverrideTier } from './window-rules';

export interface Requeue {
  status: Extract<MessageStatus, 'queued' | 'waiting'>;
  reason: string | null;
  /** Not before this instant (ISO); null = as soon as the channel allows. */
  nextAt: string | null;
  code?: string | null;
  message?: string | null;
  /** -1 when the attempt should not count (429, offline, paused). */
  attemptsDelta?: number;
  detail?: string;
}

export type AddressFlag = 'invalid' | 'not-mobile' | 'bounced' | 'sms-ok';

const DUE_COLUMNS = [
  'id', 'status', 'channel', 'kind', 'to_address', 'subject', 'body', 'html', 'media', 'segments', 'attempts', 'expires_at', 'smtp_message_id', 'meta',
] as const;

/**
 * The OverrideTier of a row, from the flags in its meta JSON. json_valid guards first: a malformed
 * meta must not make json_type throw and stop the whole queue.
 */
const TIER_SQL = `(CASE WHEN meta IS NULL OR json_valid(meta) = 0 THEN 0
  WHEN json_type(meta, '$.emergencyOverride') = 'true' THEN 2
  WHEN json_type(meta, '$.overrideQuietHours') = 'true' THEN 1 ELSE 0 END)`;
/** What the dispatcher reads of a message that is due. */
export type DueRow = Pick<MessageRow, (typeof DUE_COLUMNS)[number]>;

/**
 * Every statement the dispatcher, reconciler and poller run against the messages table. Each status
 * change updates the row and appends a message_events row; callers group them in `tx` so that one
 * dispatcher pass is one transaction. Updates name the status they expect, so a row that moved on
 * meanwhile (cancelled, already final) is left alone.
 */
export function createQueueStore(db: Db) {
  const event = db.prepare('INSERT INTO message_events (message_id, at, from_status, to_status, code, detail) VALUES (?, ?, ?, ?, ?, ?)');
  // Only the columns a send needs: materialising whole rows costs more than the query itself.
  // Outside a kind's window only overridden rows may go: the tier test comes last so rows parked
  // until the window opens (next_attempt_at in the future) are skipped before their JSON is read.
  const selectDueStmts = ([0, 1, 2] as OverrideTier[]).map((minTier) =>
    db.prepare<[string, number, string, string, number], DueRow>(`
    SELECT ${DUE_COLUMNS.join(', ')} FROM messages
    WHERE status IN ('queued','waiting') AND channel = ? AND priority = ? AND not_before <= ?
      AND (next_attempt_at IS NULL OR next_attempt_at <= ?)${minTier ? ` AND ${TIER_SQL} >= ${minTier}` : ''}
    ORDER BY not_before, id LIMIT ?`),
  );
  const claimStmt = db.prepare(`
    UPDATE messages SET status = 'sending', wait_reason = NULL, claim_id = @claim, claimed_at = @now, attempts = attempts + 1,
      sent_from = @from, smtp_message_id = COALESCE(smtp_message_id, @messageId), next_attempt_at = NULL, updated_at = @now
    WHERE id = @id AND status IN ('queued','waiting')`);
  const sentStmt = db.prepare(`
    UPDATE messages SET status = 'sent', provider_id = @providerId, sent_at = @sentAt, segments = COALESCE(@segments, segments),
      claim_id = NULL, wait_reason = NULL, error_code = NULL, error_message = NULL, next_attempt_at = NULL, updated_at = @now
    WHERE id = @id AND status = 'sending'`);
  const requeueStmt = db.prepare(`
    UPDATE messages SET status = @status, wait_reason = @reason, next_attempt_at = @nextAt, claim_id = NULL,
      error_code = COALESCE(@code, error_code), error_message = COALESCE(@message, error_message),
      attempts = MAX(0, attempts + @delta), updated_at = @now
    WHERE id = @id AND status = 'sending'`);
  const failStmt = db.prepare(`
    UPDATE messages SET status = 'failed', error_code = @code, error_message = @message, claim_id = NULL, wait_reason = NULL,
      final_at = @now, updated_at = @now
    WHERE id = @id AND status = @from`);
  const closeOpenStmt = db.prepare(`
    UPDATE messages SET status = @to, wait_reason = @reason, claim_id = NULL, final_at = @now, updated_at = @now
    WHERE id = @id AND status IN ('queued','waiting')`);
  const orphanStmt = db.prepare(`
    UPDATE messages SET claim_id = NULL, next_attempt_at = @nextAt, error_code = COALESCE(@code, error_code),
      error_message = COALESCE(@message, error_message), updated_at = @now
    WHERE id = @id AND status = 'sending'`);
  const orphansStmt = db.prepare<[], MessageRow>(`SELECT * FROM messages WHERE status = 'sending' AND claim_id IS NULL ORDER BY claimed_at, id`);
  const sendingStmt = db.prepare<[], MessageRow>(`SELECT * FROM messages WHERE status = 'sending' ORDER BY claimed_at, id`);
  const expiryStmt = db.prepare<[string], { id: number; status: MessageStatus }>(
    `SELECT id, status FROM messages WHERE status IN ('queued','waiting') AND expires_at IS NOT NULL AND expires_at <= ?`,
  );
  const knownSidStmt = db.prepare<[string], { id: number }>('SELECT id FROM messages WHERE provider_id = ? LIMIT 1');
  const flagsStmt = db.prepare<[string], { flag: AddressFlag }>('SELECT flag FROM address_flags WHERE address = ?');
  const setFlagStmt = db.prepare(
    'INSERT INTO address_flags (address, flag, code, at) VALUES (?, ?, ?, ?) ON CONFLICT(address, flag) DO UPDATE SET code = excluded.code, at = excluded.at',
  );
  // Postcards wait for a printed batch (core/postcards), not for this dispatcher: they never count as remaining.
  const remainingStmt = db.prepare<[string, string], { n: number }>(`
    SELECT COUNT(*) n FROM messages WHERE status IN ('queued','waiting') AND channel IN ('sms','email') AND not_before <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)`);
  const toPollStmt = db.prepare<[string], MessageRow>(`
    SELECT * FROM messages WHERE status = 'sent' AND channel = 'sms' AND provider_id IS NOT NULL AND sent_at >= ? ORDER BY sent_at`);
  const finalStmt = db.prepare(`
    UPDATE messages SET status = @to, error_code = @code, error_message = @message, final_at = @now, updated_at = @now
    WHERE id = @id AND status = 'sent'`);
  const deliveryRetryStmt = db.prepare(`
    UPDATE messages SET status = 'waiting', wait_reason = @reason, next_attempt_at = @nextAt, provider_id = NULL,
      delivery_retries = delivery_retries + 1, error_code = @code, error_message = @message, updated_at = @now
    WHERE id = @id AND status = 'sent'`);
  const bulkCache = new Map<string, { events: ReturnType<Db['prepare']>; update: ReturnType<Db['prepare']> }>();

  return {
    tx<T>(fn: () => T): T {
      return db.transaction(fn)();
    },

    /** Due rows of one priority; `minTier` > 0 keeps only rows whose meta overrides the closed window. */
    selectDue(channel: ChannelName, priority: number, now: string, limit: number, minTier: OverrideTier = 0): DueRow[] {
      return selectDueStmts[minTier]!.all(channel, priority, now, now, limit);
    },

    claim(row: Pick<MessageRow, 'id' | 'status' | 'attempts'>, claim: string, now: string, from: string | null, messageId: string | null): boolean {
      const ok = claimStmt.run({ id: row.id, claim, now, from, messageId }).changes > 0;
      if (ok) event.run(row.id, now, row.status, 'sending', null, `attempt ${row.attempts + 1}`);
      return ok;
    },

    sent(id: number, now: string, providerId: string | null, sentAt: string, segments: number | null, detail: string | null): boolean {
      const ok = sentStmt.run({ id, now, providerId, sentAt, segments }).changes > 0;
      if (ok) event.run(id, now, 'sending', 'sent', null, detail);
      return ok;
    },

    requeue(id: number, now: string, r: Requeue): boolean {
      const ok =
        requeueStmt.run({ id, now, status: r.status, reason: r.reason, nextAt: r.nextAt, code: r.code ?? null, message: r.message ?? null, delta: r.attemptsDelta ?? 0 })
          .changes > 0;
      if (ok) event.run(id, now, 'sending', r.status, r.code ?? null, r.detail ?? r.reason);
      return ok;
    },

    fail(id: number, now: string, code: string | null, message: string, from: MessageStatus = 'sending'): boolean {
      const ok = failStmt.run({ id, now, code, message, from }).changes > 0;
      if (ok) event.run(id, now, from, 'failed', code, message);
      return ok;
    },

    /** Closes a message that has not gone out: withdrawn (consent, bad address), expired, cancelled. */
    closeOpen(row: Pick<MessageRow, 'id' | 'status'>, to: Extract<MessageStatus, 'withdrawn' | 'expired' | 'cancelled'>, now: string, reason: string): boolean {
      const ok = closeOpenStmt.run({ id: row.id, to, now, reason }).changes > 0;
      if (ok) event.run(row.id, now, row.status, to, null, reason);
      return ok;
    },

    /** The send's outcome is unknown: keep it 'sending' without an owner until Twilio's list is searched. */
    orphan(id: number, now: string, nextAt: string, code: string | null, message: string | null, detail: string): boolean {
      const ok = orphanStmt.run({ id, now, nextAt, code, message }).changes > 0;
      if (ok) event.run(id, now, 'sending', 'sending', code, detail);
      return ok;
    },

    orphans(): MessageRow[] {
      return orphansStmt.all();
    },

    sending(): MessageRow[] {
      return sendingStmt.all();
    },

    expiredOpen(now: string) {
      return expiryStmt.all(now);
    },

    /**
     * Marks every due, open message of a channel (and of the given priorities) as waiting for `reason`.
     * Rows already waiting for the same reason are left alone, so calling it on every pass costs little.
     * `tiers` limits it to rows whose OverrideTier lies in [min, max] (a window that overridden rows may ignore).
     */
    bulkWait(channel: ChannelName, priorities: number[], reason: string, nextAt: string | null, now: string, tiers?: [OverrideTier, OverrideTier]): number[] {
      const key = `${priorities.join(',')}|${tiers?.join('-') ?? ''}`;
      let s = bulkCache.get(key);
      if (!s) {
        const where = `status IN ('queued','waiting') AND channel = @channel AND priority IN (${priorities.map(Number).join(',')})
          AND not_before <= @now AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
          AND (status = 'queued' OR wait_reason IS NOT @reason OR next_attempt_at IS NOT @nextAt)
          ${tiers ? `AND ${TIER_SQL} BETWEEN ${Number(tiers[0])} AND ${Number(tiers[1])}` : ''}`;
        s = {
          events: db.prepare(`SELECT id, status FROM messages WHERE ${where}`),
          update: db.prepare(`UPDATE messages SET status = 'waiting', wait_reason = @reason, next_attempt_at = @nextAt, updated_at = @now WHERE ${where}`),
        };
        bulkCache.set(key, s);
      }
      const args = { channel, now, reason, nextAt };
      const rows = s.events.all(args) as { id: number; status: MessageStatus }[];
      if (!rows.length) return [];
      s.update.run(args);
      for (const r of rows) event.run(r.id, now, r.status, 'waiting', null, reason);
      return rows.map((r) => r.id);
    },

    isKnownSid(sid: string): boolean {
      return knownSidStmt.get(sid) !== undefined;
    },

    flags(address: string): AddressFlag[] {
      return flagsStmt.all(address).map((r) => r.flag);
    },

    setFlag(address: string, flag: AddressFlag, code: string | null, now: string): void {
      setFlagStmt.run(address, flag, code, now);
    },

    /** Open messages that could go now (not those waiting for a window that has not opened). */
    remaining(now: string): number {
      return remainingStmt.get(now, now)?.n ?? 0;
    },

    toPoll(since: string): MessageRow[] {
      return toPollStmt.all(since);
    },

    finalStatus(id: number, now: string, to: Extract<MessageStatus, 'delivered' | 'undelivered' | 'failed'>, code: string | null, message: string | null): boolean {
      const ok = finalStmt.run({ id, now, to, code, message }).changes > 0;
      if (ok) event.run(id, now, 'sent', to, code, message);
      return ok;
    },

    deliveryRetry(id: number, now: string, nextAt: string, code: string, message: string, detail: string): boolean {
      const ok = deliveryRetryStmt.run({ id, now, nextAt, code, message, reason: `retry: ${message}` }).changes > 0;
      if (ok) event.run(id, now, 'sent', 'waiting', code, detail);
      return ok;
    },
  };
}

export type QueueStore = ReturnType<typeof createQueueStore>;
