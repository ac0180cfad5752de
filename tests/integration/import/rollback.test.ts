import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportRunSummary } from '../../../src-main/contract';
import { fileError } from '../../../src-main/core/pims/files';
import { createImporter } from '../../../src-main/core/pims/importer';
import { listProblems } from '../../../src-main/core/pims/runs';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { PULSE_HEADERS, pulseClinic, table, writePulse } from './fixtures';

describe('import: all or nothing', () => {
  let t: ReturnType<typeof testCore>;
  let files: ReturnType<typeof tempDir>;
  let dir: string;
  const dump = () =>
    Object.fromEntries(['clients', 'contact_points', 'patients', 'reminders', 'reminder_codes', 'history', 'appointments'].map((tb) => [tb, t.core.db.prepare(`SELECT * FROM ${tb} ORDER BY 1`).all()]));
  const importer = (failAt?: string) =>
    createImporter({
      db: t.core.db,
      clock: t.core.clock,
      events: t.core.events,
      log: t.core.log,
      dataDir: t.dir,
      timeZone: () => 'America/Los_Angeles',
      onApplyStep: failAt
        ? (step: string) => {
            if (step === failAt) throw new Error('disk unplugged');
          }
        : undefined,
    });

  beforeEach(async () => {
    t = testCore();
    files = tempDir('pawline-rollback-');
    dir = writePulse(path.join(files.dir, 'export'), pulseClinic());
    expect((await importer().run({ path: dir })).status).toBe('ok');
  });
  afterEach(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('a failure halfway through saving leaves the previous import intact and records the failed run', async () => {
    const before = dump();
    const data = pulseClinic();
    data.clients[0][4] = 'Stephanie-Renamed';
    data.clients.push(['1006', 'A', null, 'New', 'Client', '1 Road', null, 'Seattle', 'WA', '98101', '206-555-0142', 'Cell', null, null, null, null, null, null, 'False', 'False', 'False', 'en']);
    data.reminders.splice(0, 2);
    writePulse(dir, data);
    const events: string[] = [];
    t.core.events.on('imports.progress', (p) => events.push(p.phase));

    // Fails after the clients were saved, before the patients: some rows were already written in the transaction.
    const s = await importer('clients').run({ path: dir });
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/internal error/);
    expect(dump()).toEqual(before);
    expect(events).toContain('failed');

    const run = t.core.db.prepare('SELECT status, error FROM import_runs WHERE id = ?').get(s.runId) as { status: string; error: string };
    expect(run.status).toBe('failed');
    const problems = listProblems(t.core.db, s.runId);
    expect(problems.items[0]).toMatchObject({ severity: 'error', code: 'fatal' });
    // Nothing of the failed run is left on disk (it wrote only inside its rolled-back transaction).
    const tmp = path.join(t.dir, 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);

    // The same files import fine once the cause is gone (the failed run's hashes do not count).
    const again = await importer().run({ path: dir });
    expect(again.status).toBe('ok');
    expect(again.byEntity.clients).toMatchObject({ inserted: 1, updated: 1 });
  });

  it('an unreadable file stops the run with the file and line, nothing changed', async () => {
    const before = dump();
    const data = pulseClinic();
    data.clients[1][4] = 'Bao Changed';
    writePulse(dir, data);
    // A quote that never closes in the reminders file, after some good rows.
    const bad = table(PULSE_HEADERS.reminders, data.reminders, { quoteAll: true }) + '"500099","1","RAB1","Rabies 1 Year,11/20/2025,11/20/2026\r\n';
    writeFileSync(path.join(dir, 'Reminders.csv'), bad);
    const s = await importer().run({ path: dir });
    expect(s.status).toBe('failed');
    expect(s.errorCode).toBe('import.unreadable');
    expect(s.error).toMatch(/Line 9: a quoted field is never closed/);
    expect(dump()).toEqual(before);
    const p = listProblems(t.core.db, s.runId).items.find((x) => x.code === 'fatal');
    expect(p).toMatchObject({ file: 'Reminders.csv', line: 9 });
  });

  it('a file that no longer fits its layout is reported and left out, not guessed at', async () => {
    const before = dump();
    const data = pulseClinic();
    const headers = PULSE_HEADERS.reminders.map((h) => (h === 'DueDate' ? 'Due' : h));
    writeFileSync(path.join(dir, 'Reminders.csv'), table(headers, data.reminders, { quoteAll: true }));
    writeFileSync(path.join(dir, 'Client.csv'), table(PULSE_HEADERS.clients, data.clients.slice(0, 3), { quoteAll: true }));
    const s: ImportRunSummary = await importer().run({ path: dir, profile: 'pulse' });
    // Without DueDate the file is not recognised as Pulse reminders at all: it is reported, the rest imports.
    expect(s.status).toBe('ok');
    expect(listProblems(t.core.db, s.runId).items.map((p) => p.code)).toContain('unknown-layout');
    expect(dump().clients).not.toEqual(before.clients);
  });

  it('records a run that fails before any file is read (missing folder)', async () => {
    const s = await importer().run({ path: path.join(files.dir, 'nope') });
    expect(s).toMatchObject({ status: 'failed', errorCode: 'import.not-found' });
    expect(t.core.db.prepare('SELECT status FROM import_runs WHERE id = ?').get(s.runId)).toEqual({ status: 'failed' });
  });

  it('names a file the PIMS holds open as locked (the folder watch retries those)', () => {
    const busy = Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
    expect(fileError(busy, 'C:\\Exports\\Client.csv')).toMatchObject({ code: 'import.locked' });
    expect(fileError(Object.assign(new Error('x'), { code: 'EPERM' }), '/x/Client.csv')).toMatchObject({ code: 'import.locked' });
    expect(fileError(Object.assign(new Error('x'), { code: 'ENOENT' }), '/x/Client.csv')).toMatchObject({ code: 'import.not-found' });
  });

  it('marks runs left running by a crash as failed at the next start (not one another process may be running now)', () => {
    t.core.db.prepare("INSERT INTO import_runs (started_at, status, source) VALUES ('2026-01-01T00:00:00Z', 'running', 'pulse')").run();
    t.core.db.prepare("INSERT INTO import_runs (started_at, status, source) VALUES (?, 'running', 'pulse')").run(new Date().toISOString());
    importer();
    expect(t.core.db.prepare("SELECT started_at, status FROM import_runs WHERE started_at = '2026-01-01T00:00:00Z'").get()).toMatchObject({ status: 'failed' });
    expect(t.core.db.prepare("SELECT COUNT(*) n FROM import_runs WHERE status = 'running'").get()).toEqual({ n: 1 });
  });
});
