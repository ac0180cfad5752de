import type { Db } from '../db/open';

/**
 * Pausing a campaign parks its open messages in the outbox as 'waiting' with this reason and a
 * next attempt in the far future. The dispatcher only picks rows whose next_attempt_at has come
 * (selectDue), and its bulk "waiting for ..." marks skip rows not yet due, so a parked row stays
 * parked however often the dispatcher passes; resume clears both fields and the rows are due again
 * at their original not_before. The reason is also what the Outbox screen shows.
 */
export const HOLD_REASON = 'Campaign paused: it goes out when the manager resumes the campaign.';
export const HOLD_UNTIL = '9999-12-31T00:00:00.000Z';

export function createHolds(db: Db) {
  const toHold = db.prepare<[number, string, string], { id: number; status: string }>(
    "SELECT id, status FROM messages WHERE campaign_id = ? AND status IN ('queued','waiting') AND (wait_reason IS NOT ? OR next_attempt_at IS NOT ?)",
  );
  const hold = db.prepare(`
    UPDATE messages SET status = 'waiting', wait_reason = @reason, next_attempt_at = @until, updated_at = @now
    WHERE campaign_id = @id AND status IN ('queued','waiting') AND (wait_reason IS NOT @reason OR next_attempt_at IS NOT @until)`);
  const held = db.prepare<[number, string], { id: number }>("SELECT id FROM messages WHERE campaign_id = ? AND status = 'waiting' AND wait_reason = ?");
  const release = db.prepare(`
    UPDATE messages SET status = 'queued', wait_reason = NULL, next_attempt_at = NULL, updated_at = @now
    WHERE campaign_id = @id AND status = 'waiting' AND wait_reason = @reason`);
  const event = db.prepare("INSERT INTO message_events (message_id, at, from_status, to_status, code, detail) VALUES (?, ?, ?, ?, 'campaign', ?)");

  return {
    /** Parks every open message of the campaign; returns their ids. Call inside a transaction. */
    hold(campaignId: number, now: string): number[] {
      const rows = toHold.all(campaignId, HOLD_REASON, HOLD_UNTIL);
      if (!rows.length) return [];
      hold.run({ id: campaignId, reason: HOLD_REASON, until: HOLD_UNTIL, now });
      for (const r of rows) event.run(r.id, now, r.status, 'waiting', 'campaign paused');
      return rows.map((r) => r.id);
    },
    /** Lets the parked messages go again. Call inside a transaction. */
    release(campaignId: number, now: string): number[] {
      const rows = held.all(campaignId, HOLD_REASON);
      if (!rows.length) return [];
      release.run({ id: campaignId, reason: HOLD_REASON, now });
      for (const r of rows) event.run(r.id, now, 'waiting', 'queued', 'campaign resumed');
      return rows.map((r) => r.id);
    },
  };
}

export type CampaignHolds = ReturnType<typeof createHolds>;
