/**
 * The import runs in threads of its own (a reading thread and a writer thread with its own
 * connection): the desk's event loop stays free, its progress arrives while the run goes on, the
 * desk's own writes wait for the run's commit, and the references the writer does not have SQLite
 * check hold all the same.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportProgress, ImportRunSummary } from '../../../src-main/contract';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { pulseClinic, writePulse, type PulseData } from './fixtures';

/** The small clinic, grown to a few thousand households with many reminders each. */
function bigClinic(households: number): PulseData {
  const base = pulseClinic();
  const data: PulseData = { ...base, clients: [], patients: [], reminders: [], history: [] };
  for (let h = 0; h < households; h++) {
    const c = [...base.clients[h % base.clients.length]];
    c[0] = String(10_000 + h);
    c[10] = `(206) 555-${String(h % 10_000).padStart(4, '0')}`;
    data.clients.push(c);
    const p = [...base.patients[h % base.patients.length]];
    p[0] = c[0];
    p[1] = String(20_000 + h);
    data.patients.push(p);
    for (let k = 0; k < 8; k++) {
      const r = [...base.reminders[k % base.reminders.length]];
      r[0] = String(1_000_000 + h * 8 + k);
      r[1] = p[1];
      data.reminders.push(r);
      data.history.push([p[1], r[2], r[3], `0${1 + (k % 9)}/1${k}/2025`]);
    }
  }
  data.appointments = [];
  return data;
}

describe('import threads', () => {
  const t = testCore();
  const files = tempDir('pawline-threads-');
  let dir: string;
  beforeAll(() => {
    dir = writePulse(path.join(files.dir, 'export'), bigClinic(4000));
  });
  afterAll(async () => {
    await t.cleanup();
    files.cleanup();
  });

  const run = async (): Promise<ImportRunSummary> => {
    const r = await t.core.invoke('imports.run', { path: dir, force: true });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as ImportRunSummary;
  };

  it('reports progress while it runs, and keeps the event loop free', async () => {
    const progress: ImportProgress[] = [];
    const off = t.core.events.on('imports.progress', (p) => progress.push({ ...p }));
    let last = performance.now();
    let longestGap = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    let s: ImportRunSummary;
    try {
      s = await run();
    } finally {
      clearInterval(tick);
      off();
    }
    expect(s.status).toBe('ok');
    expect(s.byEntity.reminders?.inserted).toBe(32_000);

    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('hashing');
    expect(phases.at(-1)).toBe('done');
    expect(phases.indexOf('saving')).toBeGreaterThan(phases.indexOf('reading'));
    const read = progress.filter((p) => p.phase === 'reading' && p.rows > 0);
    expect(read.at(-1)).toMatchObject({ rows: s.rowsRead, bytesTotal: expect.any(Number) });
    expect(read.at(-1)!.rowsPerSecond).toBeGreaterThan(0);
    // Reading and writing happen in the run's threads: the desk's thread only plans and relays.
    expect(longestGap).toBeLessThan(1000);
  });

  it("lets the desk write during a run: the write waits for the run's commit", async () => {
    let wrote: number | null = null;
    const off = t.core.events.on('imports.progress', (p) => {
      if (p.phase !== 'reading' || wrote !== null) return;
      t.core.db.prepare("INSERT INTO import_profiles (name, definition, updated_at) VALUES ('desk-write', '{}', 'now')").run();
      wrote = performance.now();
    });
    try {
      const s = await run();
      expect(s.status).toBe('unchanged');
    } finally {
      off();
    }
    expect(wrote).not.toBeNull();
    expect(t.core.db.prepare("SELECT COUNT(*) n FROM import_profiles WHERE name = 'desk-write'").get()).toEqual({ n: 1 });
  });

  it('leaves no reference the writer wrote dangling', () => {
    expect(t.core.db.pragma('foreign_key_check')).toEqual([]);
    expect(t.core.db.prepare('SELECT COUNT(*) n FROM reminders r LEFT JOIN patients p ON p.id = r.patient_id WHERE p.id IS NULL').get()).toEqual({ n: 0 });
  });
});
