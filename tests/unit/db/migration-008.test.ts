import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';
import { MESSAGE_CHECKS } from '../../../src-main/core/db/migrations/008-outbox-rows';

function upTo(n: number) {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, n));
  return db;
}

const COLS = 'dedupe_key, channel, kind, priority, to_address, body, status, not_before, created_by, created_at, updated_at, provider_id';
const insert = (db: Database.Database, key: string, channel: string, kind: string, status: string, provider: string | null = null) =>
  db.prepare(`INSERT INTO messages (${COLS}) VALUES (?, ?, ?, 0, '+12065550101', 'hi', ?, 't', 'test', 't', 't', ?)`).run(key, channel, kind, status, provider);
const plan = (db: Database.Database, sql: string) =>
  db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all().map((r) => r.detail).join(' | ');
const tableSql = (db: Database.Database) => db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'").get()!.sql;

describe('migration 008 outbox rows', () => {
  it('keeps every row and event, and allows exactly the same channels, kinds and statuses', () => {
    const db = upTo(7);
    const id = Number(insert(db, 'k1', 'sms', 'reminder', 'sent', 'SM1').lastInsertRowid);
    insert(db, 'k2', 'email', 'alert', 'queued');
    db.prepare("INSERT INTO message_events (message_id, at, from_status, to_status) VALUES (?, 't', NULL, 'queued')").run(id);
    migrate(db, MIGRATIONS.slice(0, 8));

    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT dedupe_key, status, provider_id FROM messages ORDER BY id').all()).toEqual([
      { dedupe_key: 'k1', status: 'sent', provider_id: 'SM1' },
      { dedupe_key: 'k2', status: 'queued', provider_id: null },
    ]);
    expect(db.prepare('SELECT COUNT(*) n FROM message_events').get()).toEqual({ n: 1 });
    for (const [before, after] of MESSAGE_CHECKS) {
      expect(tableSql(db)).not.toContain(before);
      expect(tableSql(db)).toContain(after);
    }

    for (const ch of ['sms', 'email', 'postcard']) insert(db, `c-${ch}`, ch, 'alert', 'queued');
    for (const k of ['alert', 'reply', 'appointment', 'reminder', 'marketing']) insert(db, `k-${k}`, 'sms', k, 'queued');
    for (const s of ['queued', 'waiting', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'withdrawn', 'expired']) insert(db, `s-${s}`, 'sms', 'alert', s);
    expect(() => insert(db, 'bad1', 'fax', 'alert', 'queued')).toThrow(/CHECK/);
    expect(() => insert(db, 'bad2', 'sms', 'promo', 'queued')).toThrow(/CHECK/);
    expect(() => insert(db, 'bad3', 'sms', 'alert', 'lost')).toThrow(/CHECK/);
    expect(() => insert(db, 'bad4', 'SMS', 'alert', 'queued')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE messages SET status = 'gone' WHERE id = ?").run(id)).toThrow(/CHECK/);
    expect(() => insert(db, 'k1', 'sms', 'alert', 'queued')).toThrow(/UNIQUE/);
  });

  it('an insert no longer builds temporary b-trees for its constraints and partial indexes', () => {
    const db = upTo(MIGRATIONS.length);
    const program = db
      .prepare<unknown[], { opcode: string }>(`EXPLAIN INSERT INTO messages (${COLS}) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .all('k', 'sms', 'alert', '+1', 'b', 'queued', 't', 'x', 't', 't', null)
      .map((r) => r.opcode);
    expect(program).toContain('IdxInsert');
    expect(program).not.toContain('OpenEphemeral');
  });

  it('every query that read the replaced indexes still reads an index', () => {
    const db = upTo(MIGRATIONS.length);
    const idx = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages'").all().map((r) => r.name);
    expect(idx).toEqual(expect.arrayContaining(['messages_open', 'messages_provider', 'messages_due', 'messages_inflight']));
    expect(idx).not.toContain('messages_ready');
    expect(idx).not.toContain('messages_open_status');
    // The frame's counter (system.status) and the planner's list of open messages.
    expect(
      plan(db, "SELECT status, COUNT(*) n FROM messages WHERE status IN ('queued','waiting') GROUP BY status UNION ALL SELECT 'sending', COUNT(*) FROM messages WHERE status = 'sending'"),
    ).toMatch(/COVERING INDEX messages_open .*COVERING INDEX messages_inflight/);
    expect(plan(db, "SELECT id, status FROM messages WHERE status IN ('queued','waiting')")).toContain('COVERING INDEX messages_open');
    expect(plan(db, "SELECT id FROM messages WHERE status IN ('queued','waiting') AND expires_at IS NOT NULL AND expires_at <= '2026'")).toMatch(/INDEX messages_(expiry|open)/);
    // Status callbacks and postcard batches look rows up by provider id.
    expect(plan(db, "SELECT id FROM messages WHERE provider_id = 'SM1' LIMIT 1")).toContain('INDEX messages_provider');
    expect(plan(db, "SELECT DISTINCT provider_id FROM messages WHERE provider_id >= 'postcard:' AND provider_id < 'postcard;'")).toContain('INDEX messages_provider');
    // The dispatcher's next-due query is untouched.
    expect(
      plan(db, "SELECT id FROM messages WHERE status IN ('queued','waiting') AND channel = 'sms' AND priority = 0 AND not_before <= '2026' ORDER BY not_before, id LIMIT 5"),
    ).toMatch(/INDEX messages_due(?![\s\S]*TEMP B-TREE)/);
  });

  it('leaves the connection in defensive mode: the schema cannot be written by accident afterwards', () => {
    const db = upTo(MIGRATIONS.length);
    db.pragma('writable_schema = ON');
    expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'messages'").run()).toThrow();
  });
});
