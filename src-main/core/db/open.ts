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

/**
 * The desk's transactions waiting for, or holding, the write lock, as a count other threads can
 * read (Int32Array over a SharedArrayBuffer, slot 0). A campaign's writer thread commits as soon
 * as it sees one and starts no new transaction until they are done: SQLite has no queue for the
 * lock, and a writer that begins again right after its commit would otherwise keep winning it
 * while the desk's connection sleeps between tries.
 */
const lockRequests = new WeakMap<Db, Int32Array>();
export function deskLockRequests(db: Db): SharedArrayBuffer | null {
  return (lockRequests.get(db)?.buffer as SharedArrayBuffer | undefined) ?? null;
}

/**
 * Makes db.transaction(fn) begin IMMEDIATE (its .deferred variant stays for read-only work), and
 * counts it in deskLockRequests while it waits and runs; a statement that writes, run outside a
 * transaction, is counted the same way.
 * An import's and a campaign's writer threads hold the write lock on connections of their own.
 * A deferred transaction that has read first and then writes cannot wait for such a lock: SQLite
 * skips the busy handler when a read transaction asks to become a write one, and the desk's write
 * fails at once with SQLITE_BUSY. Taking the lock at BEGIN waits (busy_timeout) like any single write.
 */
function immediateTransactions(db: Db): void {
  const make = Database.prototype.transaction;
  const want = new Int32Array(new SharedArrayBuffer(4));
  lockRequests.set(db, want);
  /** `call` with the desk counted as wanting the lock; inside a transaction it is counted already. */
  const counted =
    <A extends unknown[]>(call: (this: unknown, ...args: A) => unknown) =>
    function (this: unknown, ...args: A): unknown {
      if (db.inTransaction) return call.apply(this, args);
      Atomics.add(want, 0, 1);
      try {
        return call.apply(this, args);
      } finally {
        Atomics.sub(want, 0, 1);
        Atomics.notify(want, 0);
      }
    };

  db.transaction = function <F extends Parameters<Db['transaction']>[0]>(fn: F) {
    const t = make.call(db, fn);
    const begin = counted(t.immediate as (...args: unknown[]) => unknown);
    return Object.defineProperties(begin, {
      default: { value: begin },
      immediate: { value: begin },
      deferred: { value: t.deferred },
      exclusive: { value: t.exclusive },
      database: { value: db, enumerable: true },
    }) as unknown as ReturnType<Db['transaction']>;
  } as Db['transaction'];

  // A single write outside a transaction waits for the lock too: counted the same way.
  const prepare = Database.prototype.prepare;
  db.prepare = function (source: string) {
    const stmt = prepare.call(db, source);
    if (stmt.readonly) return stmt;
    for (const m of ['run', 'get', 'all'] as const) {
      const call = stmt[m] as (...args: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[m] = counted((...args: unknown[]) => call.apply(stmt, args));
    }
    return stmt;
  } as Db['prepare'];
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
    immediateTransactions(db);
    const { to } = migrate(db, MIGRATIONS);
    return { db, file, schemaVersion: to, journalMode: onShare ? 'delete' : 'wal', warnings };
  } catch (e) {
    db.close();
    throw e;
  }
}
