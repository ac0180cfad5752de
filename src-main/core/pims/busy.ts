/**
 * Two imports into one data folder: SQLite lets one write at a time, and the second one's wait
 * ends in a bare "database is locked". These turn that into what the user should do.
 */
import type { Db } from '../db/open';
import { ApiError } from '../shared/errors';

export function busyError(): ApiError {
  return new ApiError('import.busy', 'Another import is running in this data folder; try again when it finishes.');
}

/** SQLite's "database is locked", also as it comes back from the writer thread (name and message only). */
export function isBusy(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  return e.name === 'SqliteError' && /database is locked/i.test(e.message);
}

/** Whether another connection holds the write lock right now; asks without waiting. */
export function writeLocked(db: Db): boolean {
  if (db.inTransaction) return false;
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (e) {
    if (isBusy(e)) return true;
    throw e;
  } finally {
    db.pragma(`busy_timeout = ${Number(previous) || 0}`);
  }
}
