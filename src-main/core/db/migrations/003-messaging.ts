import type { Migration } from '../migrate';

/**
 * The durable outbox and the consent ledger. One row per outbound message, whatever created
 * it; dedupe_key is unique so a re-plan, a crash or a double click never makes a second one.
 * Priority: lower sends first (0 alert, 1 staff reply, 2 appointment, 3 health reminder, 4 marketing).
 */
export const m003Messaging: Migration = {
  version: 3,
  name: 'messaging',
  up(db) {
    db.exec(`
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL CHECK (channel IN ('sms','email','postcard')),
        kind TEXT NOT NULL CHECK (kind IN ('alert','reply','appointment','reminder','marketing')),
        priority INTEGER NOT NULL,
        client_id INTEGER REFERENCES clients(id),
        appointment_id INTEGER REFERENCES appointments(id),
        campaign_id INTEGER,
        conversation_id INTEGER,
        to_address TEXT NOT NULL,
        subject TEXT,
        body TEXT NOT NULL,
        html TEXT,
        media TEXT,
        segments INTEGER,
        encoding TEXT,
        est_cost REAL,
        status TEXT NOT NULL CHECK (status IN ('queued','waiting','sending','sent','delivered','undelivered','failed','cancelled','withdrawn','expired')),
        wait_reason TEXT,
        not_before TEXT NOT NULL,
        expires_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        claim_id TEXT,
        claimed_at TEXT,
        provider_id TEXT,
        smtp_message_id TEXT,
        error_code TEXT,
        error_message TEXT,
        created_by TEXT NOT NULL,
        meta TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        final_at TEXT
      ) STRICT;
      CREATE INDEX messages_ready ON messages(status, priority, not_before) WHERE status IN ('queued','waiting');
      CREATE INDEX messages_client ON messages(client_id, kind, created_at);
      CREATE INDEX messages_provider ON messages(provider_id);
      CREATE INDEX messages_to ON messages(to_address, created_at);
      CREATE INDEX messages_campaign ON messages(campaign_id) WHERE campaign_id IS NOT NULL;
      CREATE INDEX messages_appointment ON messages(appointment_id) WHERE appointment_id IS NOT NULL;

      CREATE TABLE message_events (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        code TEXT,
        detail TEXT
      ) STRICT;
      CREATE INDEX message_events_message ON message_events(message_id);

      -- Append-only consent ledger per address (E.164 or email) and channel.
      CREATE TABLE consent_events (
        id INTEGER PRIMARY KEY,
        address TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('sms','email')),
        purpose TEXT NOT NULL DEFAULT 'all' CHECK (purpose IN ('all','marketing')),
        status TEXT NOT NULL CHECK (status IN ('opt-in','opt-out')),
        source TEXT NOT NULL,
        detail TEXT,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consent_events_address ON consent_events(address, channel, purpose, id);

      -- Facts learnt about an address while sending (invalid, landline, bounced, confirmed mobile).
      CREATE TABLE address_flags (
        address TEXT NOT NULL,
        flag TEXT NOT NULL CHECK (flag IN ('invalid','not-mobile','bounced','sms-ok')),
        code TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (address, flag)
      ) STRICT;

      -- Per-channel pause state survives restarts (e.g. bad credentials, quota until tomorrow).
      CREATE TABLE channel_state (
        channel TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        reason TEXT,
        until TEXT,
        since TEXT NOT NULL
      ) STRICT;
    `);
  },
};
