import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportRunSummary } from '../../../src-main/contract';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { PULSE_HEADERS, pulseClinic, table, writePulse, type PulseData } from './fixtures';

describe('import: re-importing', () => {
  let t: ReturnType<typeof testCore>;
  let files: ReturnType<typeof tempDir>;
  let dir: string;
  let data: PulseData;
  const one = <T>(sql: string, ...p: unknown[]) => t.core.db.prepare(sql).get(...p) as T;
  const run = async (extra: Record<string, unknown> = {}): Promise<ImportRunSummary> => {
    const r = await t.core.invoke('imports.run', { path: dir, ...extra });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as ImportRunSummary;
  };
  const snapshot = () =>
    ['clients', 'contact_points', 'patients', 'reminders', 'history', 'appointments'].map((tb) => t.core.db.prepare(`SELECT * FROM ${tb} ORDER BY id`).all());

  beforeEach(async () => {
    t = testCore();
    files = tempDir('pawline-reimport-');
    dir = path.join(files.dir, 'export');
    data = pulseClinic();
    writePulse(dir, data);
    expect((await run()).status).toBe('ok');
  });
  afterEach(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('changes nothing when the same files come again, and skips them by content hash', async () => {
    const before = snapshot();
    const s = await run();
    expect(s.status).toBe('unchanged');
    expect(s.files.every((f) => f.skippedUnchanged)).toBe(true);
    expect(s.rowsRead).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('forced, counts every row as unchanged and still changes nothing', async () => {
    const before = snapshot();
    const s = await run({ force: true });
    expect(s.status).toBe('unchanged');
    expect(s.totals).toMatchObject({ inserted: 0, updated: 0, gone: 0 });
    expect(s.byEntity.clients?.unchanged).toBe(5);
    expect(s.byEntity.reminders?.unchanged).toBe(7);
    expect(snapshot()).toEqual(before);
  });

  it('updates a changed row (and only it), in place, keeping its id', async () => {
    const id = one<{ id: number }>("SELECT id FROM clients WHERE pims_id = '1002'").id;
    data.clients[1][10] = '(425) 555-0160'; // new cell number
    data.clients[1][16] = 'bao.nguyen@example.org';
    writeFileSync(path.join(dir, 'Client.csv'), table(PULSE_HEADERS.clients, data.clients, { quoteAll: true }));
    const s = await run();
    expect(s.status).toBe('ok');
    expect(s.files.filter((f) => !f.skippedUnchanged).map((f) => f.name)).toEqual(['Client.csv']);
    expect(s.byEntity.clients).toMatchObject({ inserted: 0, updated: 1, unchanged: 4, gone: 0 });
    expect(one("SELECT id FROM clients WHERE pims_id = '1002'")).toEqual({ id });
    expect(one("SELECT value, shared FROM contact_points WHERE client_id = ? AND kind = 'phone'", id)).toEqual({ value: '+14255550160', shared: 0 });
    expect(one("SELECT value FROM contact_points WHERE client_id = ? AND kind = 'email'", id)).toEqual({ value: 'bao.nguyen@example.org' });
    // The other household keeps the number, no longer shared.
    expect(one("SELECT shared FROM contact_points WHERE value = '+12265550150'")).toEqual({ shared: 0 });
  });

  it('drops contact points a client no longer has', async () => {
    const id = one<{ id: number }>("SELECT id FROM clients WHERE pims_id = '1001'").id;
    data.clients[0][12] = null; // second phone removed
    data.clients[0][13] = null;
    writeFileSync(path.join(dir, 'Client.csv'), table(PULSE_HEADERS.clients, data.clients, { quoteAll: true }));
    await run();
    expect(one("SELECT COUNT(*) n FROM contact_points WHERE client_id = ? AND kind = 'phone'", id)).toEqual({ n: 1 });
  });

  it('marks rows missing from a full export as gone (not deleted), and brings them back when they return', async () => {
    const rem = one<{ id: number }>("SELECT id FROM reminders WHERE pims_id = '500007'").id;
    // A message that points at the client must survive.
    const clientId = one<{ id: number }>("SELECT id FROM clients WHERE pims_id = '1005'").id;
    const removed = { clients: data.clients.splice(4, 1), patients: data.patients.splice(5, 1), reminders: data.reminders.splice(6, 1), appts: data.appointments.splice(3, 1) };
    writePulse(dir, data);
    const s = await run();
    expect(s.byEntity.clients?.gone).toBe(1);
    expect(s.byEntity.patients?.gone).toBe(1);
    expect(s.byEntity.reminders?.gone).toBe(1);
    expect(s.byEntity.appointments?.gone).toBe(1);
    expect(one("SELECT gone FROM clients WHERE id = ?", clientId)).toEqual({ gone: 1 });
    expect(one('SELECT gone FROM reminders WHERE id = ?', rem)).toEqual({ gone: 1 });
    expect(one("SELECT COUNT(*) n FROM clients")).toEqual({ n: 5 });

    data.clients.push(...removed.clients);
    data.patients.push(...removed.patients);
    data.reminders.push(...removed.reminders);
    data.appointments.push(...removed.appts);
    writePulse(dir, data);
    const back = await run();
    expect(back.byEntity.clients).toMatchObject({ updated: 1, gone: 0 });
    expect(one("SELECT gone FROM clients WHERE id = ?", clientId)).toEqual({ gone: 0 });
    expect(one('SELECT gone FROM reminders WHERE id = ?', rem)).toEqual({ gone: 0 });
  });

  it('recomputes satisfied reminders when only the history changes', async () => {
    data.history.push(['3', 'DHPP', 'DHPP', '08/15/2026']);
    writePulse(dir, data);
    const s = await run();
    expect(s.files.filter((f) => !f.skippedUnchanged).map((f) => f.name)).toEqual(['History.csv']);
    expect(one("SELECT satisfied_on FROM reminders WHERE pims_id = '500003'")).toEqual({ satisfied_on: '2026-08-15' });
  });

  it('re-imports a file whose content went back to an earlier version', async () => {
    const original = pulseClinic();
    data.clients[0][4] = 'Stef';
    writePulse(dir, data);
    await run();
    writePulse(dir, original);
    const s = await run();
    expect(s.files.find((f) => f.name === 'Client.csv')?.skippedUnchanged).toBe(false);
    expect(one("SELECT first_name FROM clients WHERE pims_id = '1001'")).toEqual({ first_name: 'Stéphanie' });
  });

  it('drops the confirmation of an appointment the PIMS moved to another time', async () => {
    t.core.db.prepare("UPDATE appointments SET confirm_state = 'confirmed', confirm_at = '2026-11-30T10:00:00Z' WHERE pims_id IN ('90001', '90004')").run();
    data.appointments[0][3] = '12/02/2026 11:00 AM';
    data.appointments[3][5] = 'Nail trim and bath';
    writePulse(dir, data);
    await run();
    expect(one("SELECT confirm_state, confirm_at FROM appointments WHERE pims_id = '90001'")).toEqual({ confirm_state: 'none', confirm_at: null });
    expect(one("SELECT confirm_state FROM appointments WHERE pims_id = '90004'")).toEqual({ confirm_state: 'confirmed' });
  });
});
