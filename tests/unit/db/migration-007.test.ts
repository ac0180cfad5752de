import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';

describe('migration 007 outbox', () => {
  it('adds sent_from and delivery_retries, and the dispatcher indexes use them', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 7));
    const cols = db.prepare<[], { name: string; dflt_value: string | null }>("SELECT name, dflt_value FROM pragma_table_info('messages')").all();
    expect(cols.find((c) => c.name === 'sent_from')).toBeDefined();
    expect(cols.find((c) => c.name === 'delivery_retries')?.dflt_value).toBe('0');
    const idx = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'").all().map((r) => r.name);
    expect(idx).toEqual(expect.arrayContaining(['messages_due', 'messages_inflight', 'messages_to_poll', 'messages_expiry', 'messages_final']));
    db.prepare(
      "INSERT INTO messages (dedupe_key, channel, kind, priority, to_address, body, status, not_before, created_by, created_at, updated_at) VALUES ('k', 'sms', 'alert', 0, '+12065551000', 'x', 'queued', '2025-01-01', 't', 't', 't')",
    ).run();
    expect(db.prepare('SELECT delivery_retries, sent_from FROM messages').get()).toEqual({ delivery_retries: 0, sent_from: null });
    const plan = db
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE status IN ('queued','waiting') AND channel = 'sms' AND priority = 0 AND not_before <= '2026' ORDER BY not_before, id LIMIT 5",
      )
      .all()
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toContain('messages_due');
    expect(plan).not.toContain('TEMP B-TREE');
  });
});
