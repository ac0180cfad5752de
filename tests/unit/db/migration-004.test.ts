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

describe('migration 004 reminders', () => {
  it('creates the planner tables on top of 003', () => {
    const db = upTo(4);
    const names = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['reminder_rules', 'plan_runs', 'plan_suppressions', 'plan_proposals', 'reminder_items', 'reminder_holds', 'appointment_plan', 'message_templates']));
    expect(db.pragma('user_version', { simple: true })).toBe(4);
  });

  it('keeps one rule per category or code, and one template per id, language and channel', () => {
    const db = upTo(4);
    const rule = db.prepare("INSERT INTO reminder_rules (name, match_kind, match_value, definition, updated_at) VALUES ('Vaccines', 'category', 'vaccines', '{}', 't')");
    rule.run();
    expect(() => rule.run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO reminder_rules (name, match_kind, definition, updated_at) VALUES ('x', 'species', '{}', 't')").run()).toThrow(/CHECK/);
    const tpl = db.prepare("INSERT INTO message_templates (id, lang, channel, body, updated_at) VALUES ('reminder.upcoming', 'en', 'sms', 'Hi', 't')");
    tpl.run();
    expect(() => tpl.run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO message_templates (id, lang, channel, body, updated_at) VALUES ('x', 'en', 'fax', 'Hi', 't')").run()).toThrow(/CHECK/);
  });

  it('ties covered reminder items to their message and drops them with it; holds need a client or a pet', () => {
    const db = upTo(4);
    const m = db
      .prepare("INSERT INTO messages (dedupe_key, channel, kind, priority, to_address, body, status, not_before, created_by, created_at, updated_at) VALUES ('k', 'sms', 'reminder', 3, '+12065550101', 'hi', 'queued', 't', 'planner', 't', 't')")
      .run();
    db.prepare("INSERT INTO reminder_items (message_id, client_id, patient_id, reminder_id, code, due_date, step, channel, planned_for) VALUES (?, 1, 1, 1, 'RAB1', '2026-12-05', 'before7', 'sms', '2026-12-01')").run(m.lastInsertRowid);
    expect(() => db.prepare("INSERT INTO reminder_items (message_id, client_id, patient_id, reminder_id, code, due_date, step, channel, planned_for) VALUES (999, 1, 1, 1, 'RAB1', '2026-12-05', 'before7', 'sms', '2026-12-01')").run()).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM messages WHERE id = ?').run(m.lastInsertRowid);
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) n FROM reminder_items').get()!.n).toBe(0);
    expect(() => db.prepare("INSERT INTO reminder_holds (until, created_at) VALUES (NULL, 't')").run()).toThrow(/CHECK/);
  });
});
