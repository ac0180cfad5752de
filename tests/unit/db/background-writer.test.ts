import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { deskLockRequests, openDatabase, type Db } from '../../../src-main/core/db/open';

/*
 * An import's or a campaign's writer thread holds the write lock on a connection of its own. The
 * desk's transactions that read before they write must wait for it, not fail with SQLITE_BUSY.
 */
let dir = '';
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Another thread takes the write lock, says so, and commits `holdMs` later. */
function holdWriteLock(file: string, holdMs: number): Promise<{ worker: Worker; done: Promise<void> }> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require(workerData.lib);
     const db = new Database(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('held', '1', 't')").run();
     parentPort.postMessage('locked');
     setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('committed'); }, workerData.holdMs);`,
    { eval: true, workerData: { file, holdMs, lib: require.resolve('better-sqlite3') } },
  );
  const done = new Promise<void>((r) => worker.on('message', (m) => m === 'committed' && r()));
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.once('message', (m) => m === 'locked' && resolve({ worker, done }));
  });
}

/**
 * A writer like a campaign's: it holds the lock until it sees the desk asking for it (or `maxMs`
 * passes), commits, and reports how long it held it and whether the desk's request was what ended it.
 */
function politeWriter(file: string, want: SharedArrayBuffer, maxMs: number): Promise<{ done: Promise<{ heldMs: number; yielded: boolean }> }> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require(workerData.lib);
     const db = new Database(workerData.file);
     const want = new Int32Array(workerData.want);
     db.exec('BEGIN IMMEDIATE');
     db.prepare("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('held', '1', 't')").run();
     const t = Date.now();
     parentPort.postMessage('locked');
     while (Atomics.load(want, 0) === 0 && Date.now() - t < workerData.maxMs) Atomics.wait(want, 0, 0, 5);
     const yielded = Atomics.load(want, 0) > 0;
     db.exec('COMMIT');
     db.close();
     parentPort.postMessage({ heldMs: Date.now() - t, yielded });`,
    { eval: true, workerData: { file, want, maxMs, lib: require.resolve('better-sqlite3') } },
  );
  const done = new Promise<{ heldMs: number; yielded: boolean }>((r) => worker.on('message', (m) => typeof m === 'object' && r(m)));
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.once('message', (m) => m === 'locked' && resolve({ done }));
  });
}

describe('the desk connection beside a background writer', () => {
  it('announces its waiting writes, single statements and transactions alike, so a polite writer lets them in at once', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-bgw-'));
    const opened = openDatabase(dir);
    db = opened.db;
    const want = deskLockRequests(db)!;
    expect(want).toBeInstanceOf(SharedArrayBuffer);

    const w1 = await politeWriter(opened.file, want, 3000);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('single', '1', 't')").run();
    expect(await w1.done).toMatchObject({ yielded: true });
    expect((await w1.done).heldMs).toBeLessThan(1500);

    const w2 = await politeWriter(opened.file, want, 3000);
    db.transaction(() => db!.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('tx', '1', 't')").run())();
    expect(await w2.done).toMatchObject({ yielded: true });
    expect((await w2.done).heldMs).toBeLessThan(1500);
    // Reads are not writes: nobody is asked to let them in.
    expect(new Int32Array(want)[0]).toBe(0);
    db.prepare('SELECT COUNT(*) FROM settings').pluck().get();
    expect(new Int32Array(want)[0]).toBe(0);
  });

  it('a transaction that reads, then writes, waits for the lock instead of failing', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-bgw-'));
    const opened = openDatabase(dir);
    db = opened.db;
    const { done } = await holdWriteLock(opened.file, 150);
    const t = performance.now();
    const n = db.transaction(() => {
      const before = (db!.prepare('SELECT COUNT(*) n FROM settings').get() as { n: number }).n;
      db!.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('desk', '1', 't')").run();
      return before;
    })();
    expect(performance.now() - t).toBeGreaterThan(100);
    await done;
    // It began after the other commit: it saw that row, and both rows are there.
    expect(n).toBeGreaterThanOrEqual(1);
    expect(db.prepare("SELECT key FROM settings WHERE key IN ('held', 'desk') ORDER BY key").pluck().all()).toEqual(['desk', 'held']);
  });

  it('a read-only transaction asked for as deferred does not wait for the lock', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-bgw-'));
    const opened = openDatabase(dir);
    db = opened.db;
    const { done } = await holdWriteLock(opened.file, 400);
    const t = performance.now();
    const held = db.transaction(() => db!.prepare("SELECT COUNT(*) n FROM settings WHERE key = 'held'").pluck().get()).deferred();
    expect(performance.now() - t).toBeLessThan(300);
    expect(held).toBe(0);
    await done;
  });
});
