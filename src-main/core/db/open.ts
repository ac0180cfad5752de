import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { isNetworkPath } from './network-path';

export type Db = Database.Database;

export interface OpenedDb {
  db: Db;
  file: string;
  schemaVersion: number;
  journalMode: 'wal' | 'delete';
  warnings: string[];
}

export interface OpenDbOptions {
  /** For tests: pretend the path is (or is not) on a network share. */
  isNetworkPath?: (p: string) => boolean;
}

export function openDatabase(dataDir: string, opts: OpenDbOptions = {}): OpenedDb {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'pawline.sqlite3');
  const onShare = (opts.isNetworkPath ?? isNetworkPath)(dataDir);
  const db = new Database(file);
  const warnings: string[] = [];
  try {
    if (onShare) {
      db.pragma('journal_mode = DELETE');
      warnings.push(
        'The data folder is on a network share. Pawline opened it in a slower, safer mode; for reliability keep the database on this PC (the hub) and let other desks connect over the LAN.',
      );
    } else {
      db.pragma('journal_mode = WAL');
    }
    db.pragma('foreign_keys = ON');
    // An import holds the write lock for its whole run (a few seconds on a large clinic, from its own
    // thread and connection): the desk's writes must wait for its commit, not fail after 5 s.
    db.pragma('busy_timeout = 30000');
    db.pragma('synchronous = NORMAL');
    // Planning and reports read tens of thousands of rows: a 64 MB page cache and temp tables
    // in memory keep those reads off the disk on a typical desk PC.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    if (!onShare) db.pragma('mmap_size = 268435456');
    const { to } = migrate(db, MIGRATIONS);
    return { db, file, schemaVersion: to, journalMode: onShare ? 'delete' : 'wal', warnings };
  } catch (e) {
    db.close();
    throw e;
  }
}
