import type { Migration } from '../migrate';

/**
 * Two-way texting. Inbound texts are stored once per Twilio SID; outbound texts stay in the
 * outbox's `messages` table and are joined into threads by number (and client).
 *
 * A conversation is one sender number with one household (client_id NULL while the sender is
 * unknown, a short code, or shared by several households nobody texted lately).
 * The search index holds one document per conversation: names, pets, numbers and message text.
 */
export const m005Inbox: Migration = {
  version: 5,
  name: 'inbox',
  up(db) {
    db.exec(`
      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        address TEXT NOT NULL,
        client_id INTEGER REFERENCES clients(id),
        match TEXT NOT NULL CHECK (match IN ('client','ambiguous','unknown','short-code')),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
        assigned_to TEXT,
        unread_count INTEGER NOT NULL DEFAULT 0,
        attention TEXT CHECK (attention IN ('reschedule','probable-opt-out')),
        last_message_at TEXT NOT NULL,
        last_direction TEXT CHECK (last_direction IN ('inbound','outbound','note')),
        last_preview TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        indexed_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX conversations_key ON conversations(address, coalesce(client_id, 0));
      CREATE INDEX conversations_client ON conversations(client_id) WHERE client_id IS NOT NULL;
      -- The list: unread first, then newest; one index per shape the screen asks for.
      CREATE INDEX conversations_list ON conversations(status, (unread_count > 0) DESC, last_message_at DESC);
      CREATE INDEX conversations_recent ON conversations((unread_count > 0) DESC, last_message_at DESC);
      CREATE INDEX conversations_unread ON conversations(last_message_at) WHERE unread_count > 0;
      CREATE INDEX conversations_assigned ON conversations(assigned_to, last_message_at) WHERE assigned_to IS NOT NULL;
      CREATE INDEX conversations_unmatched ON conversations(match, last_message_at) WHERE client_id IS NULL;

      CREATE TABLE inbound_messages (
        id INTEGER PRIMARY KEY,
        twilio_sid TEXT NOT NULL UNIQUE,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        client_id INTEGER REFERENCES clients(id),
        from_address TEXT NOT NULL,
        to_address TEXT NOT NULL,
        body TEXT NOT NULL,
        num_media INTEGER NOT NULL DEFAULT 0,
        media_state TEXT NOT NULL DEFAULT 'none' CHECK (media_state IN ('none','pending','stored','failed')),
        media_attempts INTEGER NOT NULL DEFAULT 0,
        media_next_at TEXT,
        media_error TEXT,
        intent TEXT NOT NULL DEFAULT 'none'
          CHECK (intent IN ('none','opt-out','opt-in','help','confirm','reschedule','arrived','probable-opt-out')),
        outcome TEXT,
        appointment_id INTEGER REFERENCES appointments(id),
        received_at TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX inbound_conversation ON inbound_messages(conversation_id, received_at);
      CREATE INDEX inbound_media_due ON inbound_messages(media_next_at) WHERE media_state IN ('pending','failed');

      CREATE TABLE inbound_media (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES inbound_messages(id) ON DELETE CASCADE,
        media_sid TEXT NOT NULL UNIQUE,
        position INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        -- Relative to the data directory.
        file TEXT,
        bytes INTEGER,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','stored','failed')),
        error TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX inbound_media_message ON inbound_media(message_id, position);

      -- Internal notes (never sent) and the thread's own history lines (assigned, closed, linked).
      CREATE TABLE conversation_notes (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        kind TEXT NOT NULL CHECK (kind IN ('note','event')),
        author TEXT,
        body TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX conversation_notes_conversation ON conversation_notes(conversation_id, at);

      -- Numbers staff attached to a household by hand (never short codes); matching reads them
      -- beside the PIMS's contact points, which a re-import owns.
      CREATE TABLE number_links (
        address TEXT NOT NULL,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        linked_by TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (address, client_id)
      ) STRICT;

      -- Where the inbound poll resumes, per account and clinic number ('*' = every number).
      CREATE TABLE inbound_cursors (
        account_sid TEXT NOT NULL,
        number TEXT NOT NULL,
        high_water TEXT NOT NULL,
        last_ok_at TEXT,
        last_error TEXT,
        PRIMARY KEY (account_sid, number)
      ) STRICT;

      -- Staff replies carry their conversation; the search document and merges look them up by it.
      CREATE INDEX messages_conversation ON messages(conversation_id) WHERE conversation_id IS NOT NULL;

      CREATE VIRTUAL TABLE inbox_fts USING fts5(
        names, pets, numbers, messages,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
    `);
  },
};
