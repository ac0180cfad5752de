import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { createDraftInsert } from './draft-insert';
import { OPEN_STATUSES, type MessageRow, type MessageStatus, type OutboundDraft } from './types';

export interface EnqueueResult {
  inserted: number;
  duplicates: number;
  /** Ids of the rows this call inserted. */
  ids: number[];
}

export interface WithdrawFilter {
  ids?: number[];
  dedupeKeys?: string[];
  appointmentId?: number;
  clientId?: number;
  toAddress?: string;
  campaignId?: number;
  kinds?: OutboundDraft['kind'][];
  channel?: OutboundDraft['channel'];
}

/**
 * The durable outbox's write side. Every status change is a row update plus an event row in
 * one transaction. Insertion is idempotent on dedupe_key: re-planning never duplicates.
 */
export interface Outbox {
  enqueue(drafts: OutboundDraft[], opts?: { pricePerSegment?: number }): EnqueueResult;
  /** Takes back messages that have not gone out yet (reason recorded). Returns how many. */
  withdraw(filter: WithdrawFilter, reason: string, status?: Extract<MessageStatus, 'withdrawn' | 'cancelled'>): number;
  transition(id: number, from: MessageStatus | MessageStatus[], to: MessageStatus, fields?: Partial<Pick<MessageRow, 'wait_reason' | 'provider_id' | 'smtp_message_id' | 'error_code' | 'error_message' | 'next_attempt_at' | 'attempts' | 'claim_id' | 'claimed_at' | 'sent_at' | 'final_at' | 'not_before' | 'segments'>>, detail?: string): boolean;
  get(id: number): MessageRow | undefined;
  byDedupeKey(key: string): MessageRow | undefined;
  /** Rows another connection inserted (a campaign's writer thread): tells whoever listens, as enqueue does. */
  announce(ids: number[]): void;
}

/**
 * `defaultPrice` gives the price per segment used when a caller does not pass one (the core reads it
 * from the Twilio settings, so every domain's estimate uses the clinic's own figure).
 */
export function createOutbox(db: Db, clock: Clock, onChange?: (ids: number[]) => void, defaultPrice?: () => number | undefined): Outbox {
  const insertDrafts = createDraftInsert(db);
  const event = db.prepare('INSERT INTO message_events (message_id, at, from_status, to_status, code, detail) VALUES (?, ?, ?, ?, ?, ?)');
  const getStmt = db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?');
  const byKey = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE dedupe_key = ?');

  const enqueue = db.transaction((drafts: OutboundDraft[], price: number): EnqueueResult => {
    const ids = insertDrafts(drafts, price, clock.now().toISOString());
    return { inserted: ids.length, duplicates: drafts.length - ids.length, ids };
  });

  const withdraw = (filter: WithdrawFilter, reason: string, status: 'withdrawn' | 'cancelled' = 'withdrawn'): number => {
    const where: string[] = [`status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`];
    const args: unknown[] = [];
    const list = (col: string, vals: unknown[]) => {
      where.push(`${col} IN (${vals.map(() => '?').join(',')})`);
      args.push(...vals);
    };
    if (filter.ids) list('id', filter.ids.length ? filter.ids : [-1]);
    if (filter.dedupeKeys) list('dedupe_key', filter.dedupeKeys.length ? filter.dedupeKeys : ['']);
    if (filter.kinds) list('kind', filter.kinds);
    if (filter.appointmentId !== undefined) list('appointment_id', [filter.appointmentId]);
    if (filter.clientId !== undefined) list('client_id', [filter.clientId]);
    if (filter.toAddress !== undefined) list('to_address', [filter.toAddress]);
    if (filter.campaignId !== undefined) list('campaign_id', [filter.campaignId]);
    if (filter.channel !== undefined) list('channel', [filter.channel]);
    if (where.length === 1) throw new Error('withdraw needs a filter');
    const run = db.transaction(() => {
      const now = clock.now().toISOString();
      const rows = db.prepare<unknown[], { id: number; status: MessageStatus }>(`SELECT id, status FROM messages WHERE ${where.join(' AND ')}`).all(...args);
      const upd = db.prepare(`UPDATE messages SET status = ?, wait_reason = ?, updated_at = ?, final_at = ? WHERE id = ? AND status IN ('queued','waiting')`);
      for (const r of rows) {
        upd.run(status, reason, now, now, r.id);
        event.run(r.id, now, r.status, status, null, reason);
      }
      return rows.map((r) => r.id);
    });
    const ids = run();
    if (ids.length) onChange?.(ids);
    return ids.length;
  };

  const transition: Outbox['transition'] = (id, from, to, fields = {}, detail) => {
    const froms = Array.isArray(from) ? from : [from];
    const sets = Object.keys(fields).map((k) => `${k} = @${k}`);
    const now = clock.now().toISOString();
    const ok = db.transaction(() => {
      const cur = getStmt.get(id);
      if (!cur || !froms.includes(cur.status)) return false;
      db.prepare(`UPDATE messages SET status = @to, updated_at = @now${sets.length ? ', ' + sets.join(', ') : ''} WHERE id = @id`).run({ ...fields, to, now, id });
      event.run(id, now, cur.status, to, fields.error_code ?? null, detail ?? fields.error_message ?? null);
      return true;
    })();
    if (ok) onChange?.([id]);
    return ok;
  };

  return {
    enqueue: (drafts, opts) => {
      const r = enqueue(drafts, opts?.pricePerSegment ?? defaultPrice?.() ?? 0.0083);
      if (r.ids.length) onChange?.(r.ids);
      return r;
    },
    withdraw,
    transition,
    get: (id) => getStmt.get(id),
    byDedupeKey: (k) => byKey.get(k),
    announce: (ids) => {
      if (ids.length) onChange?.(ids);
    },
  };
}
