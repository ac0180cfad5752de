import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';

describe('migration 009 pims version', () => {
  it('counts updates and deletes of PIMS rows, not inserts, and not Pawline’s own appointment confirmations', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 9));
    const n = () => (db.prepare('SELECT n FROM pims_version WHERE id = 1').get() as { n: number }).n;
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
    const cols = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('plan_runs')").all().map((r) => r.name);
    expect(cols).toEqual(expect.arrayContaining(['suppressed_digest', 'suppressed_run']));
  });
});
