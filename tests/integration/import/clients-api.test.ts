import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowseResult, ClientDetail, ClientListItem, ImportProblemView, ImportRunSummary } from '../../../src-main/contract';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { pulseClinic, writePulse } from './fixtures';

describe('clients and import history through the API', () => {
  let t: ReturnType<typeof testCore>;
  let files: ReturnType<typeof tempDir>;
  let exportDir: string;
  const call = async <T>(method: string, arg?: unknown): Promise<T> => {
    const r = await t.core.invoke(method, arg);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as T;
  };
  const search = (query: string, extra: Record<string, unknown> = {}) => call<{ total: number; items: ClientListItem[] }>('clients.search', { query, includeInactive: true, ...extra });

  beforeAll(async () => {
    // 2026-12-01 12:00 in Seattle.
    t = testCore({ clock: fixedClock('2026-12-01T20:00:00Z') });
    files = tempDir('pawline-clients-api-');
    exportDir = writePulse(path.join(files.dir, 'export'), pulseClinic());
    await call('imports.run', { path: exportDir });
  });
  afterAll(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('finds clients by name, accent and case included, in any word order', async () => {
    expect((await search('côté')).items.map((c) => c.pimsId)).toEqual(['1001']);
    expect((await search('stéphanie côté')).items.map((c) => c.pimsId)).toEqual(['1001']);
    // Without the accents, and the other way round: accents typed for a name stored without them.
    expect((await search('cote')).items.map((c) => c.pimsId)).toEqual(['1001']);
    expect((await search('STEPHANIE COTE')).items.map((c) => c.pimsId)).toEqual(['1001']);
    expect((await search('Nguyễn')).items.map((c) => c.pimsId)).toEqual(['1002']);
    expect((await search('Trémblay Luc')).items.map((c) => c.pimsId)).toEqual(['1003']);
    expect((await search('nguyen bao')).items[0]).toMatchObject({ name: 'Bao Nguyen', phone: '+12265550150', smsCapable: true, pets: ['Pho'] });
  });

  it('finds clients by any way of writing a phone number, by email and by pet name', async () => {
    expect((await search('(226) 555-0150')).items.map((c) => c.pimsId).sort()).toEqual(['1002', '1003']);
    expect((await search('1-905-555-0101')).items.map((c) => c.pimsId)).toEqual(['1001']);
    expect((await search('bao@example')).items.map((c) => c.pimsId)).toEqual(['1002']);
    expect((await search('biscuit')).items.map((c) => c.pimsId)).toEqual(['1001']);
  });

  it('leaves inactive clients out unless asked, and pages', async () => {
    expect((await call<{ total: number }>('clients.search', { query: 'okafor' })).total).toBe(0);
    expect((await search('okafor')).total).toBe(1);
    const page = await call<{ total: number; items: ClientListItem[] }>('clients.search', { includeInactive: true, limit: 2, offset: 2 });
    expect(page.total).toBe(5);
    expect(page.items).toHaveLength(2);
  });

  it('shows a household: contact points with marks, pets with reminder states, appointments', async () => {
    const id = (await search('tremblay')).items[0].id;
    const d = await call<ClientDetail>('clients.get', { id });
    expect(d.today).toBe('2026-12-01');
    const cell = d.contactPoints.find((c) => c.kind === 'phone' && c.position === 1)!;
    expect(cell).toMatchObject({ display: '(226) 555-0150', smsCapable: true, valid: true, sharedWith: [{ clientId: expect.any(Number), name: 'Bao Nguyen' }] });
    expect(d.noEmail).toBe(true);

    const cote = await call<ClientDetail>('clients.get', { id: (await search('côté')).items[0].id });
    expect(cote.address).toEqual(['12 "Old" Mill Rd, Unit 4', 'Mississauga, ON L5B 1M2']);
    const home = cote.contactPoints.find((c) => c.extension === '12')!;
    expect(home).toMatchObject({ display: '(206) 555-0102', phoneType: 'home', smsCapable: false });
    const mistral = cote.patients.find((p) => p.name === 'Mistral')!;
    expect(mistral).toMatchObject({ deceased: true, dod: '2026-11-14' });
    expect(mistral.reminders.map((r) => r.state)).toEqual(['not-sent', 'not-sent']);
    const biscuit = cote.patients.find((p) => p.name === 'Biscuit')!;
    expect(biscuit.reminders).toEqual([expect.objectContaining({ code: 'RAB1', state: 'overdue', dueDate: '2026-11-20' })]);
    expect(cote.appointments.map((a) => [a.pimsId, a.patientName, a.status])).toEqual([
      ['90003', 'Mistral', 'Cancelled'],
      ['90002', 'Biscuit', 'Completed'],
    ]);

    const nguyen = await call<ClientDetail>('clients.get', { id: (await search('nguyen')).items[0].id });
    const pho = nguyen.patients[0];
    expect(pho.reminders.map((r) => [r.code, r.state, r.satisfiedOn])).toEqual([
      ['DHPP', 'overdue', null],
      ['RAB1', 'satisfied', '2026-11-25'],
    ]);
  });

  it('answers not-found for an unknown client', async () => {
    await expect(call('clients.get', { id: 999999 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lists runs (newest first) with files, and their problems', async () => {
    const runs = await call<ImportRunSummary[]>('imports.runs', { limit: 10 });
    expect(runs[0]).toMatchObject({ status: 'ok', source: 'pulse', trigger: 'manual' });
    expect(runs[0].files).toHaveLength(6);
    expect(runs[0].files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    const p = await call<{ total: number; items: ImportProblemView[] }>('imports.problems', { runId: runs[0].runId });
    expect(p).toEqual({ total: 0, items: [] });
    await expect(call('imports.problems', { runId: 12345 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lists a folder for the folder picker', async () => {
    const b = await call<BrowseResult>('imports.browse', { path: files.dir });
    expect(b.entries).toEqual([expect.objectContaining({ name: 'export', dir: true })]);
    const inner = await call<BrowseResult>('imports.browse', { path: exportDir });
    expect(inner.parent).toBe(files.dir);
    expect(inner.entries.map((e) => e.name)).toContain('Client.csv');
  });
});
