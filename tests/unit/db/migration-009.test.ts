import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';

describe('migration 009 pims version', () => {
  it('counts updates and deletes of PIMS rows, not inserts, not Pawline’s own appointment confirmations, and the planner’s items apart', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 9));
    const n = () => (db.prepare("SELECT n FROM change_counters WHERE name = 'pims'").get() as { n: number }).n;
    expect(n()).toBe(0);
    const c = db.prepare("INSERT INTO clients (source, pims_id, first_name, last_name, row_hash, updated_at) VALUES ('s', 'C1', 'Dana', 'Ng', 'h', 't')").run().lastInsertRowid;
    const p = db.prepare("INSERT INTO patients (source, pims_id, client_id, name, row_hash, updated_at) VALUES ('s', 'P1', ?, 'Max', 'h', 't')").run(c).lastInsertRowid;
    const a = db
      .prepare("INSERT INTO appointments (source, pims_id, client_id, patient_id, start_local, start_utc, status, row_hash, updated_at) VALUES ('s', 'A1', ?, ?, '2026-12-09T09:30', '2026-12-09T17:30:00Z', 'Scheduled', 'h', 't')")
      .run(c, p).lastInsertRowid;
    expect(n()).toBe(0);
    db.prepare('UPDATE patients SET deceased = 1 WHERE id = ?').run(p);
    expect(n()).toBe(1);
    db.prepare("UPDATE appointments SET confirm_state = 'confirmed' WHERE id = ?").run(a);
    expect(n()).toBe(1);
    db.prepare("UPDATE appointments SET status = 'Cancelled' WHERE id = ?").run(a);
    expect(n()).toBe(2);
    db.prepare('DELETE FROM appointments WHERE id = ?').run(a);
    expect(n()).toBe(3);
    // The planner's item ledger has its own counter: its writes leave the PIMS version alone.
    const items = () => (db.prepare("SELECT n FROM change_counters WHERE name = 'plan-items'").get() as { n: number }).n;
    const m = db
      .prepare("INSERT INTO messages (dedupe_key, channel, kind, priority, to_address, body, status, not_before, created_by, created_at, updated_at) VALUES ('k', 'sms', 'reminder', 2, '+12065551000', 'x', 'queued', 't', 'planner', 't', 't')")
      .run().lastInsertRowid;
    const r = db.prepare("INSERT INTO reminders (source, pims_id, patient_id, code, due_date, row_hash, updated_at) VALUES ('s', 'R1', ?, 'RAB1', '2026-12-05', 'h', 't')").run(p).lastInsertRowid;
    db.prepare("INSERT INTO reminder_items (message_id, client_id, patient_id, reminder_id, code, due_date, step, channel, planned_for) VALUES (?, ?, ?, ?, 'RAB1', '2026-12-05', 'd-7', 'sms', '2026-12-01')").run(m, c, p, r);
    expect(items()).toBe(0);
    db.prepare("UPDATE reminder_items SET status = 'withdrawn' WHERE message_id = ?").run(m);
    expect(items()).toBe(1);
    expect(n()).toBe(3);
    const cols = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('plan_runs')").all().map((r) => r.name);
    expect(cols).toEqual(expect.arrayContaining(['suppressed_digest', 'suppressed_run']));
  });
});
