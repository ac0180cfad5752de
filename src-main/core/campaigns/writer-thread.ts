/**
 * A campaign's writer thread: its own connection to the desk's database, writing the rows the desk
 * renders page by page (campaigns/row-writer.ts), so a whole clinic's alert goes in while the desk's
 * event loop stays free for the receptionist's calls.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../shared/errors';
import { RowWriter } from './row-writer';
import type { FromWriter, ToWriter, WriterSetup } from './writer-protocol';

const setup = workerData as WriterSetup;
const post = (m: FromWriter) => parentPort!.postMessage(m);
let db: Database.Database | null = null;
let writer: RowWriter | null = null;
let over = false;

function close(): void {
  over = true;
  try {
    db?.close();
  } catch {
    // closing rolls back whatever was open
  }
  parentPort!.off('message', onMessage);
}

function fail(e: unknown): void {
  if (over) return;
  try {
    writer?.abort();
  } catch {
    // the connection's close below rolls back too
  }
  const err = e instanceof Error ? e : new Error(String(e));
  post({ t: 'failed', error: { name: err.name, message: err.message, code: err instanceof ApiError ? err.code : (err as { code?: string }).code } });
  close();
}

function onMessage(m: ToWriter | { t: 'abort' }): void {
  if (over) return;
  try {
    if (m.t === 'rows') writer!.rows(m.rows);
    else if (m.t === 'end') {
      writer!.end();
      post({ t: 'done' });
      close();
    } else {
      writer?.abort();
      close();
    }
  } catch (e) {
    fail(e);
  }
}

// Listening first: a start that fails (the database busy) still closes and lets the thread end.
parentPort!.on('message', onMessage);
try {
  db = new Database(setup.dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 30000');
  db.pragma('synchronous = NORMAL');
  // The rows reference the campaign (a draft cannot be deleted once sending) and clients the desk
  // just read, which PIMS imports never delete (they mark them gone): the references hold by
  // construction, and checking two of them per row cost a tenth of the writing.
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -65536');
  // One copy of the log back into the database at the end, not one inside every few commits.
  db.pragma('wal_autocheckpoint = 0');
  writer = new RowWriter(db, setup, post, fail);
} catch (e) {
  fail(e);
}
