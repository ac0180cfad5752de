import type { Migration } from '../migrate';

/**
 * The dispatcher's additions to the messages table (003).
 * - sent_from: the sender (number or Messaging Service) an attempt went out through, recorded at claim
 *   time, so a crash can be reconciled against Twilio's list even after the settings changed.
 * - delivery_retries: how many times a carrier-side failure (30003, handset unreachable) was re-sent;
 *   bounded so an unreachable phone is not texted forever.
 * The partial indexes keep the dispatcher's hot queries (next due per channel, in-flight rows, statuses
 * still to poll, expiry) small however many finished messages pile up.
 */
export const m007Outbox: Migration = {
  version: 7,
  name: 'outbox',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN sent_from TEXT;
      ALTER TABLE messages ADD COLUMN delivery_retries INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX messages_due ON messages(channel, priority, not_before, id) WHERE status IN ('queued','waiting');
      CREATE INDEX messages_inflight ON messages(claimed_at) WHERE status = 'sending';
      CREATE INDEX messages_to_poll ON messages(sent_at) WHERE status = 'sent';
      CREATE INDEX messages_expiry ON messages(expires_at) WHERE status IN ('queued','waiting') AND expires_at IS NOT NULL;
      CREATE INDEX messages_final ON messages(final_at) WHERE final_at IS NOT NULL;
    `);
  },
};
