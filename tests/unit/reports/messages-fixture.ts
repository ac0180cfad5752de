import type { Db } from '../../../src-main/core/db/open';

let seq = 0;

export interface MessageInput {
  channel?: 'sms' | 'email' | 'postcard';
  kind?: 'alert' | 'reply' | 'appointment' | 'reminder' | 'marketing';
  status: 'queued' | 'waiting' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'withdrawn' | 'expired' | 'cancelled';
  sentAt?: string | null;
  finalAt?: string | null;
  clientId?: number | null;
  segments?: number | null;
  estCost?: number | null;
  dedupeKey?: string;
  /** Reminder items as the planner records them (one per pet and service). */
  items?: { clientId: number; patientId: number; reminderId: number; code: string; due: string; step: string }[];
}

/** Outbox rows as the dispatcher leaves them, written straight into the tables. */
export function messages(db: Db) {
  const ins = db.prepare(`INSERT INTO messages (dedupe_key, channel, kind, priority, client_id, to_address, body, segments, est_cost, status,
      not_before, created_by, created_at, updated_at, sent_at, final_at)
    VALUES (@key, @channel, @kind, 3, @client, @to, 'body', @segments, @cost, @status, @at, 'test', @at, @at, @sentAt, @finalAt)`);
  const item = db.prepare(`INSERT INTO reminder_items (message_id, client_id, patient_id, reminder_id, code, due_date, step, channel, planned_for)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return {
    add(m: MessageInput): number {
      const channel = m.channel ?? 'sms';
      const at = m.sentAt ?? m.finalAt ?? '2026-01-01T00:00:00.000Z';
      const id = Number(
        ins.run({
          key: m.dedupeKey ?? `test:${++seq}`,
          channel,
          kind: m.kind ?? 'reminder',
          client: m.clientId ?? null,
          to: channel === 'sms' ? '+12065550123' : 'owner@example.com',
          segments: m.segments === undefined ? (channel === 'sms' ? 1 : null) : m.segments,
          cost: m.estCost === undefined ? (channel === 'sms' ? 0.0083 : null) : m.estCost,
          status: m.status,
          at,
          sentAt: m.sentAt ?? null,
          finalAt: m.finalAt ?? (['delivered', 'undelivered', 'failed'].includes(m.status) ? at : null),
        }).lastInsertRowid,
      );
      for (const it of m.items ?? []) item.run(id, it.clientId, it.patientId, it.reminderId, it.code, it.due, it.step, channel, at.slice(0, 10));
      return id;
    },
  };
}
