import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportRunRequest, ImportRunSummary, WatchStatus } from '../../../src-main/contract';
import type { Importer } from '../../../src-main/core/pims/importer';
import { createFolderWatcher } from '../../../src-main/core/pims/watcher';
import { createEventBus } from '../../../src-main/core/shared/events';
import { silentLogger } from '../../../src-main/core/shared/log';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { PULSE_HEADERS, pulseClinic, table } from './fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(25);
  }
}

describe('export folder watch', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('imports a new export once its files stop changing, and re-imports when a file changes', async () => {
    const files = tempDir('pawline-watch-');
    cleanups.push(() => files.cleanup());
    const folder = path.join(files.dir, 'exports');
    mkdirSync(folder);
    const t = testCore({ importWatch: { stableMs: 400, pollMs: 50, settleMs: 300 } });
    cleanups.push(() => t.cleanup());
    const runs: ImportRunSummary[] = [];
    t.core.events.on('imports.finished', (s) => runs.push(s));
    const states: WatchStatus['state'][] = [];
    t.core.events.on('imports.watch', (w) => states.push(w.state));
    expect((await t.core.invoke('settings.saveGeneral', { exportFolder: folder })).ok).toBe(true);
    t.core.start();
    await until(() => states.includes('watching'));

    // The PIMS writes the client file in two pieces, with a pause shorter than the stability wait.
    const data = pulseClinic();
    const clientCsv = table(PULSE_HEADERS.clients, data.clients, { quoteAll: true, bom: true });
    const cut = clientCsv.indexOf('\r\n"1003"');
    const others: [string, keyof typeof PULSE_HEADERS][] = [['Patient.csv', 'patients'], ['Reminders.csv', 'reminders'], ['RemCodes.csv', 'codes'], ['History.csv', 'history'], ['Appointments.csv', 'appointments']];
    for (const [name, key] of others) writeFileSync(path.join(folder, name), table(PULSE_HEADERS[key], data[key], { quoteAll: true }));
    writeFileSync(path.join(folder, 'Client.csv'), clientCsv.slice(0, cut));
    await sleep(200);
    appendFileSync(path.join(folder, 'Client.csv'), clientCsv.slice(cut));

    const first = await until(() => runs.find((r) => r.trigger === 'watch'));
    expect(first.status).toBe('ok');
    expect(first.byEntity.clients?.inserted).toBe(5);
    expect(first.byEntity.patients).toMatchObject({ inserted: 6, rejected: 0 });
    await sleep(800);
    expect(runs.filter((r) => r.trigger === 'watch')).toHaveLength(1);
    expect(t.core.db.prepare('SELECT COUNT(*) n FROM clients').get()).toEqual({ n: 5 });

    data.clients[0][4] = 'Steph';
    writeFileSync(path.join(folder, 'Client.csv'), table(PULSE_HEADERS.clients, data.clients, { quoteAll: true, bom: true }));
    const second = await until(() => runs.filter((r) => r.trigger === 'watch')[1]);
    expect(second.byEntity.clients).toMatchObject({ updated: 1, unchanged: 4 });
    expect(second.files.filter((f) => !f.skippedUnchanged).map((f) => f.name)).toEqual(['Client.csv']);
    const st = await t.core.invoke('imports.status', undefined);
    expect(st.ok && (st.value as { watch: WatchStatus }).watch).toMatchObject({ folder, state: 'watching' });
  });

  it('retries a file the PIMS still holds locked, then imports it', async () => {
    const files = tempDir('pawline-watch-lock-');
    cleanups.push(() => files.cleanup());
    const events = createEventBus();
    const calls: ImportRunRequest[] = [];
    let locked = 2;
    const importer: Importer = {
      run: async (req) => {
        calls.push(req);
        const base = { runId: calls.length, source: 'pulse', profile: 'pulse', trigger: 'watch', startedAt: '', finishedAt: '', durationMs: 0, files: [], totals: { inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 }, byEntity: {}, rowsRead: 0, duplicateRows: 0, errors: 0, warnings: 0, notes: {} } as unknown as ImportRunSummary;
        return locked-- > 0 ? { ...base, status: 'failed', errorCode: 'import.locked', error: 'Client.csv is in use by another program.' } : { ...base, status: 'ok' };
      },
      preview: async () => ({ path: '', isFolder: true, files: [], ignored: [] }),
      progress: () => null,
      busy: () => false,
    };
    const states: WatchStatus[] = [];
    events.on('imports.watch', (w) => states.push(w));
    const w = createFolderWatcher({ folder: () => files.dir, importer, events, log: silentLogger }, { stableMs: 100, pollMs: 25, settleMs: 50, retryMs: [100, 100, 100] });
    cleanups.push(() => w.stop());
    w.start();
    await until(() => states.some((s) => s.state === 'watching'));
    writeFileSync(path.join(files.dir, 'Client.csv'), 'AccountId\r\n1\r\n');
    await until(() => calls.length >= 3 && w.status().state === 'watching');
    expect(calls.map((c) => c.path)).toEqual([files.dir, files.dir, files.dir]);
    expect(states.filter((s) => s.state === 'retrying').map((s) => s.message)).toEqual([
      'Client.csv is in use by another program. Next try in 0 s.',
      'Client.csv is in use by another program. Next try in 0 s.',
    ]);
    expect(w.status()).toMatchObject({ state: 'watching', lastRunId: 3, pendingFiles: [] });
  });

  it('ignores files that are not exports (temporary and office lock files)', async () => {
    const files = tempDir('pawline-watch-ignore-');
    cleanups.push(() => files.cleanup());
    const events = createEventBus();
    let calls = 0;
    const importer = { run: async () => (calls++, { status: 'ok', runId: 1 }) as unknown as ImportRunSummary, preview: async () => ({}) as never, progress: () => null, busy: () => false };
    const w = createFolderWatcher({ folder: () => files.dir, importer, events, log: silentLogger }, { stableMs: 50, pollMs: 25, settleMs: 50 });
    cleanups.push(() => w.stop());
    w.start();
    await until(() => w.status().state === 'watching');
    writeFileSync(path.join(files.dir, '~$Client.csv'), 'x');
    writeFileSync(path.join(files.dir, 'Client.csv.tmp'), 'x');
    writeFileSync(path.join(files.dir, 'notes.docx'), 'x');
    await sleep(500);
    expect(calls).toBe(0);
  });
});
