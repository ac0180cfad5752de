import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';
import { openDatabase } from '../../../src-main/core/db/open';
import { isNetworkPath } from '../../../src-main/core/db/network-path';
import { tempDir } from '../../helpers/tmp';

const tables = (db: Database.Database) =>
  db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);

/** Applies migrations 1..n to a fresh in-memory database. */
function upTo(n: number) {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, n));
  return db;
}

describe('migrations', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('001 settings: settings and secrets tables', () => {
    const db = upTo(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['settings', 'secrets']));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('002 pims: clients, patients, reminders, history, appointments keyed by source id', () => {
    const db = upTo(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['clients', 'patients', 'contact_points', 'reminders', 'history', 'appointments', 'import_runs', 'import_problems']));
    const ins = db.prepare("INSERT INTO clients (source, pims_id, row_hash, updated_at) VALUES ('pulse', '1001', 'h', 't')");
    ins.run();
    expect(() => ins.run()).toThrow(/UNIQUE/);
  });

  it('003 messaging: dedupe key is unique and status is constrained', () => {
    const db = upTo(3);
    const ins = db.prepare(
      "INSERT INTO messages (dedupe_key, channel, kind, priority, to_address, body, status, not_before, created_by, created_at, updated_at) VALUES (?, 'sms', 'reminder', 3, '+12065550101', 'hi', ?, 't', 'test', 't', 't')",
    );
    ins.run('k1', 'queued');
    expect(() => ins.run('k1', 'queued')).toThrow(/UNIQUE/);
    expect(() => ins.run('k2', 'lost')).toThrow(/CHECK/);
  });

  it('each migration is applied in a transaction: a failing one leaves the previous version', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM nope;') }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).not.toContain('half');
  });

  it('refuses a database written by a newer version, with a clear message', () => {
    const t = tempDir();
    dirs.push(t);
    const raw = new Database(path.join(t.dir, 'pawline.sqlite3'));
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => openDatabase(t.dir)).toThrow(/newer version of Pawline/);
  });

  it('opens with WAL, foreign keys and a busy timeout; falls back to DELETE journal on a network share', () => {
    const t = tempDir();
    dirs.push(t);
    const local = openDatabase(t.dir, { isNetworkPath: () => false });
    expect(local.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(local.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(local.db.pragma('busy_timeout', { simple: true })).toBe(30000);
    expect(local.warnings).toEqual([]);
    local.db.close();
    const t2 = tempDir();
    dirs.push(t2);
    const share = openDatabase(t2.dir, { isNetworkPath: () => true });
    expect(share.db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(share.warnings[0]).toMatch(/network share/);
    share.db.close();
  });

  it('recognises UNC paths as network paths', () => {
    expect(isNetworkPath('\\\\server\\share\\Pawline', 'win32')).toBe(true);
    expect(isNetworkPath('//nas/clinic/Pawline', 'linux')).toBe(true);
    expect(isNetworkPath('/tmp/pawline', 'linux')).toBe(false);
  });
});
