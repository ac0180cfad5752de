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

describe('migration 006 campaigns', () => {
  it('creates campaigns and their log, constrained kinds/statuses, and the marketing-cap index', () => {
    const db = upTo(6);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    const ins = db.prepare("INSERT INTO campaigns (name, kind, status, audience, delivery, content, created_at, updated_at) VALUES ('x', ?, ?, '{}', ?, '{}', 't', 't')");
    const id = Number(ins.run('alert', 'draft', 'both').lastInsertRowid);
    expect(() => ins.run('promo', 'draft', 'both')).toThrow(/CHECK/);
    expect(() => ins.run('marketing', 'sent', 'both')).toThrow(/CHECK/);
    expect(() => ins.run('marketing', 'draft', 'fax')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE campaigns SET enqueue_state = 'half' WHERE id = ?").run(id)).toThrow(/CHECK/);
    db.prepare("INSERT INTO campaign_log (campaign_id, at, action) VALUES (?, 't', 'created')").run(id);
    expect(() => db.prepare("INSERT INTO campaign_log (campaign_id, at, action) VALUES (999, 't', 'created')").run()).toThrow(/FOREIGN KEY/);
    // Deleting a draft takes its log with it.
    db.prepare('DELETE FROM campaigns WHERE id = ?').run(id);
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) n FROM campaign_log').get()!.n).toBe(0);
    const idx = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'").all().map((r) => r.name);
    expect(idx).toEqual(expect.arrayContaining(['campaigns_due', 'campaigns_open', 'messages_marketing_recent', 'messages_open_status', 'messages_failed_recent']));
    // The frame's outbox counter reads a covering index, not the whole messages table.
    const plan = (sql: string) => db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all().map((r) => r.detail).join(' ');
    expect(plan("SELECT status, COUNT(*) n FROM messages WHERE status IN ('queued','waiting','sending') GROUP BY status")).toContain('COVERING INDEX messages_open_status');
    expect(plan("SELECT COUNT(*) n FROM messages WHERE status = 'failed' AND updated_at >= '2026'")).toContain('INDEX messages_failed_recent');
  });

  it('one outbox row per campaign, client and channel: the dedupe key campaign:<id>:<client>:<channel> is unique', () => {
    const db = upTo(MIGRATIONS.length);
    const ins = db.prepare(
      "INSERT INTO messages (dedupe_key, channel, kind, priority, campaign_id, to_address, body, status, not_before, created_by, created_at, updated_at) VALUES ('campaign:1:7:sms', 'sms', 'alert', 0, 1, '+12065550101', 'hi', 'queued', 't', 'campaign:1', 't', 't')",
    );
    ins.run();
    expect(() => ins.run()).toThrow(/UNIQUE/);
  });
});
