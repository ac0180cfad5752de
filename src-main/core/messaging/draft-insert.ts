import type { Db } from '../db/open';
import { ApiError } from '../shared/errors';
import { MAX_SMS_BODY, validateSmsBody } from '../text';
import { PRIORITY, type OutboundDraft } from './types';

/**
 * Writes outbound drafts as 'queued' outbox rows, idempotent on dedupe_key (a duplicate is skipped).
 * No transaction of its own: outbox.enqueue wraps it in one on the desk's connection, and a
 * campaign's writer thread (campaigns/writer-thread.ts) calls it inside its own on another.
 * Returns the ids of the rows it inserted.
 */
export type DraftInsert = (drafts: OutboundDraft[], pricePerSegment: number, now: string) => number[];

export function createDraftInsert(db: Db): DraftInsert {
  // Positional parameters: binding 21 values by name cost a sixth of inserting a 60,000-row campaign.
  const insert = db.prepare(`
    INSERT INTO messages (dedupe_key, channel, kind, priority, client_id, appointment_id, campaign_id, conversation_id, to_address, subject, body, html, media,
      segments, encoding, est_cost, status, not_before, expires_at, created_by, meta, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)
    ON CONFLICT(dedupe_key) DO NOTHING`);

  return (drafts, price, now) => {
    const ids: number[] = [];
    // A campaign's drafts share one meta object and one send instant: serialise each once, not per row.
    let metaFor: OutboundDraft['meta'] | null = null;
    let metaJson: string | null = null;
    let notBeforeFor: Date | null = null;
    let notBefore = '';
    for (const d of drafts) {
      let segments: number | null = null;
      let encoding: string | null = null;
      let body = d.body;
      if (d.channel === 'sms') {
        if (d.analysis && body.length <= MAX_SMS_BODY && body.trim() !== '') {
          segments = d.analysis.segments;
          encoding = d.analysis.encoding;
        } else {
          const check = validateSmsBody(body);
          if (!check.ok) throw new ApiError('sms.body', check.error.message);
          const a = check.analysis;
          body = a.normalized;
          segments = a.segments;
          encoding = a.encoding;
        }
      }
      if (d.meta !== metaFor) {
        metaFor = d.meta ?? null;
        metaJson = d.meta ? JSON.stringify(d.meta) : null;
      }
      if (d.notBefore !== notBeforeFor) {
        notBeforeFor = d.notBefore;
        notBefore = d.notBefore.toISOString();
      }
      const r = insert.run(
        d.dedupeKey,
        d.channel,
        d.kind,
        PRIORITY[d.kind],
        d.clientId ?? null,
        d.appointmentId ?? null,
        d.campaignId ?? null,
        d.conversationId ?? null,
        d.to,
        d.subject ?? null,
        body,
        d.html ?? null,
        d.mediaUrls?.length ? JSON.stringify(d.mediaUrls) : null,
        segments,
        encoding,
        segments === null ? null : Math.round(segments * price * 10000) / 10000,
        notBefore,
        d.expiresAt ? d.expiresAt.toISOString() : null,
        d.createdBy,
        metaJson,
        now,
        now,
      );
      // No event row for the creation itself: the message row's created_at / created_by are that
      // event, and the outbox history (outbox.get, messaging/handlers.ts) reads it from there.
      if (r.changes) ids.push(Number(r.lastInsertRowid));
    }
    return ids;
  };
}
