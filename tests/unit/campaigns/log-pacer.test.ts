import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogPacer } from '../../../src-main/core/campaigns/log-pacer';
import { tempDir } from '../../helpers/tmp';

describe('log pacer: checkpoints between enqueue chunks', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  const walDb = () => {
    const t = tempDir();
    dirs.push(t);
    const db = new Database(path.join(t.dir, 'pacer.sqlite3'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x TEXT)');
    return db;
  };
  const chunk = (db: Database.Database, rows: number) => {
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) ins.run('x'.repeat(400));
    })();
  };
  const logPages = (db: Database.Database) => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;

  it('checkpoints after the first chunk, then once the rows written would fill most of the log, never all of it', () => {
    const db = walDb();
    const pacer = createLogPacer(db);
    // Keep SQLite from checkpointing by itself, so the log's length shows when the pacer acts.
    db.pragma('wal_autocheckpoint = 0');
    expect(pacer.due()).toBe(false);
    chunk(db, 90);
    pacer.wrote(90);
    expect(pacer.due()).toBe(true);
    pacer.checkpoint();
    // About 10 rows per 4 KB page here: 90 rows took ~10 pages, so ~700 pages is ~6,300 rows away.
    let chunks = 0;
    while (!pacer.due()) {
      chunk(db, 90);
      pacer.wrote(90);
      chunks++;
    }
    expect(chunks).toBeGreaterThan(20);
    // Due short of SQLite's own threshold (1,000 pages): a commit never has to copy the log back.
    const pages = logPages(db);
    expect(pages).toBeGreaterThan(500);
    expect(pages).toBeLessThan(1000);
    db.close();
  });

  it('outside WAL mode it checkpoints once, learns there is nothing to pace, and stops', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x TEXT)');
    const pacer = createLogPacer(db);
    pacer.wrote(100);
    expect(pacer.due()).toBe(true);
    pacer.checkpoint();
    pacer.wrote(1_000_000);
    expect(pacer.due()).toBe(false);
    db.close();
  });
});
