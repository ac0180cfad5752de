import type { Migration } from '../migrate';

/**
 * Broadcasts and campaigns. The messages themselves live in the outbox (`messages.campaign_id`,
 * dedupe key campaign:<id>:<client>:<channel>), so a campaign row holds only what the manager
 * chose and where the send stands:
 * - audience / content are JSON documents (filters; per-language SMS and email variants);
 * - scheduled_local + time_zone keep the wall-clock time the manager typed, send_at the instant it
 *   named when scheduled (recomputed if the clinic's zone changes), so a DST change never moves it;
 * - enqueue_state 'running' survives a crash: the next start finishes the enqueue, and the unique
 *   dedupe keys make the second pass insert only what the first did not;
 * - snapshot is the audience count (recipients by channel, suppressed by reason) taken at send time.
 */
export const m006Campaigns: Migration = {
  version: 6,
  name: 'campaigns',
  up(db) {
    db.exec(`
      CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('alert','health','marketing')),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','scheduled','sending','paused','finished','cancelled')),
        audience TEXT NOT NULL,
        delivery TEXT NOT NULL CHECK (delivery IN ('both','sms','email','sms-else-email')),
        content TEXT NOT NULL,
        emergency_override INTEGER NOT NULL DEFAULT 0,
        override_confirmed_by TEXT,
        override_confirmed_at TEXT,
        scheduled_local TEXT,
        time_zone TEXT,
        send_at TEXT,
        enqueue_state TEXT NOT NULL DEFAULT 'none' CHECK (enqueue_state IN ('none','running','done')),
        snapshot TEXT,
        created_by TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        started_at TEXT,
        paused_at TEXT,
        finished_at TEXT,
        cancelled_at TEXT
      ) STRICT;
      CREATE INDEX campaigns_due ON campaigns(send_at) WHERE status = 'scheduled';
      CREATE INDEX campaigns_open ON campaigns(status) WHERE status IN ('sending','paused') OR enqueue_state = 'running';
      CREATE INDEX campaigns_list ON campaigns(updated_at);

      -- Who did what to a campaign, for the manager's audit line (no personal data).
      CREATE TABLE campaign_log (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        by TEXT,
        detail TEXT
      ) STRICT;
      CREATE INDEX campaign_log_campaign ON campaign_log(campaign_id, id);

      -- The marketing cap reads every client's marketing messages of the last month in one pass.
      CREATE INDEX messages_marketing_recent ON messages(created_at, client_id) WHERE kind = 'marketing';
      -- The frame's outbox counter (system.status: open messages by status, failed today) runs after
      -- every outbox change; with a campaign's 60,000 queued rows a full scan per chunk was most of the
      -- enqueue's time. These match its queries exactly, so it reads small covering indexes instead.
      CREATE INDEX messages_open_status ON messages(status) WHERE status IN ('queued','waiting','sending');
      CREATE INDEX messages_failed_recent ON messages(updated_at) WHERE status = 'failed';
    `);
  },
};
