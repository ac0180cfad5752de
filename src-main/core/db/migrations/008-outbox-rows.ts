import type { Migration } from '../migrate';

/**
 * Whole-table CHECK constraints of messages, as 003 wrote them and as this migration rewrites them.
 * SQLite compiles a constant IN list of more than two values into a temporary b-tree that every
 * run of an INSERT statement builds afresh: three of them per message made the constraints about a
 * third of what inserting an outbox row cost (issue #7: a 30,000-client alert). The same values are
 * allowed afterwards; only the form changes.
 */
export const MESSAGE_CHECKS: [before: string, after: string][] = [
  ["CHECK (channel IN ('sms','email','postcard'))", "CHECK (channel = 'sms' OR channel = 'email' OR channel = 'postcard')"],
  [
    "CHECK (kind IN ('alert','reply','appointment','reminder','marketing'))",
    "CHECK (kind = 'alert' OR kind = 'reply' OR kind = 'appointment' OR kind = 'reminder' OR kind = 'marketing')",
  ],
  [
    "CHECK (status IN ('queued','waiting','sending','sent','delivered','undelivered','failed','cancelled','withdrawn','expired'))",
    "CHECK (status = 'queued' OR status = 'waiting' OR status = 'sending' OR status = 'sent' OR status = 'delivered' OR status = 'undelivered' OR status = 'failed' OR status = 'cancelled' OR status = 'withdrawn' OR status = 'expired')",
  ],
];

/**
 * Cheaper outbox rows: what every enqueued message pays for, without changing what is stored.
 * - The CHECK constraints above. SQLite cannot ALTER an unnamed column constraint, so the table's
 *   definition is edited in place, the procedure https://www.sqlite.org/lang_altertable.html
 *   gives for constraint changes that leave the stored rows as they are (every row already
 *   satisfies the same condition): writable_schema, the new text, schema_version + 1, all inside
 *   this migration's transaction. A definition that does not read as 003 wrote it is left alone.
 * - messages_ready (status, priority, not_before) and messages_open_status (status, over three
 *   statuses: the same per-row b-tree in its WHERE) become one narrow messages_open (status) over
 *   queued and waiting. No query read more than status from either (the dispatcher reads
 *   messages_due); rows being sent are counted through messages_inflight.
 * - messages_provider holds only rows that have a provider id: every lookup names one, and a
 *   queued message no longer goes into it.
 */
export const m008OutboxRows: Migration = {
  version: 8,
  name: 'outbox-rows',
  up(db) {
    const table = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'").get()!.sql;
    if (MESSAGE_CHECKS.every(([before]) => table.split(before).length === 2)) {
      const next = MESSAGE_CHECKS.reduce((sql, [before, after]) => sql.replace(before, after), table);
      const version = db.pragma('schema_version', { simple: true }) as number;
      // better-sqlite3 opens connections in defensive mode, which refuses writable_schema.
      db.unsafeMode(true);
      try {
        db.pragma('writable_schema = ON');
        db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'messages'").run(next);
        db.pragma(`schema_version = ${version + 1}`);
      } finally {
        db.pragma('writable_schema = OFF');
        db.unsafeMode(false);
      }
    }
    db.exec(`
      DROP INDEX messages_ready;
      DROP INDEX messages_open_status;
      CREATE INDEX messages_open ON messages(status) WHERE status IN ('queued','waiting');
      DROP INDEX messages_provider;
      CREATE INDEX messages_provider ON messages(provider_id) WHERE provider_id IS NOT NULL;
    `);
  },
};
