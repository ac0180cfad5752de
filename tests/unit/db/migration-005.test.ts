import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';

function upTo(n: number) {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, n));
  return db;
}

describe('migration 005 inbox', () => {
  it('creates conversations, inbound messages, media, notes, number links, cursors and the FTS5 index', () => {
    const db = upTo(5);
    const names = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all().map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['conversations', 'inbound_messages', 'inbound_media', 'conversation_notes', 'number_links', 'inbound_cursors', 'inbox_fts']));
    expect(db.pragma('user_version', { simple: true })).toBe(5);
  });

  it('stores an inbound text once per Twilio SID and one conversation per number and household', () => {
    const db = upTo(5);
    const conv = db.prepare("INSERT INTO conversations (address, client_id, match, last_message_at, created_at, updated_at) VALUES (?, NULL, 'unknown', 't', 't', 't')");
    conv.run('+12065550123');
    expect(() => conv.run('+12065550123')).toThrow(/UNIQUE/);
    const ins = db.prepare("INSERT INTO inbound_messages (twilio_sid, conversation_id, from_address, to_address, body, received_at, created_at) VALUES (?, 1, '+12065550123', '+12065550100', 'hi', 't', 't')");
    ins.run('SM' + '1'.repeat(32));
    expect(() => ins.run('SM' + '1'.repeat(32))).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE inbound_messages SET intent = 'maybe'").run()).toThrow(/CHECK/);
  });

  it('the list query walks the index in order (no temp sort)', () => {
    const db = upTo(5);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM conversations c WHERE c.status = 'open' ORDER BY (c.unread_count > 0) DESC, c.last_message_at DESC LIMIT 50")
      .all()
      .map((r: any) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/conversations_list/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
