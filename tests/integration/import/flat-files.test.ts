import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnMapping, ImportPreview, ImportProfileView, ImportRunSummary } from '../../../src-main/contract';
import { listProblems } from '../../../src-main/core/pims/runs';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { table, writeClientList } from './fixtures';

describe('import: flat files (client list report, column mappings)', () => {
  let t: ReturnType<typeof testCore>;
  let files: ReturnType<typeof tempDir>;
  const one = <T>(sql: string, ...p: unknown[]) => t.core.db.prepare(sql).get(...p) as T;
  const call = async <T>(method: string, arg: unknown): Promise<T> => {
    const r = await t.core.invoke(method, arg);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as T;
  };

  beforeEach(() => {
    t = testCore();
    files = tempDir('pawline-flat-');
  });
  afterEach(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('client list saved from Excel: title line, BOM, Excel serial dates, quoted newlines, "Last, First" names', async () => {
    const file = writeClientList(path.join(files.dir, 'clients_patients.csv'));
    const s = await call<ImportRunSummary>('imports.run', { path: file });
    expect(s.status).toBe('ok');
    expect(s.files[0]).toMatchObject({ layout: 'client-list', encoding: 'utf-8-bom', rows: 4 });
    expect(s.byEntity).toMatchObject({ clients: { inserted: 3 }, patients: { inserted: 4 }, reminders: { inserted: 3 } });
    expect(one("SELECT first_name, last_name FROM clients WHERE pims_id = '3002'")).toEqual({ first_name: 'Adrián', last_name: 'Abdi' });
    // 45667 is 2025-01-10 in Excel's 1900 date system; 46023 is 2026-01-01.
    expect(one("SELECT dob, notes, sex, neutered FROM patients WHERE pims_id = '42'")).toEqual({ dob: '2025-01-10', notes: 'Call "Mom" first\nthen the office', sex: 'M', neutered: 1 });
    expect(one("SELECT due_date, description, category, code FROM reminders WHERE pims_id = '42:LEPTOSPIROSIS'")).toEqual({ due_date: '2026-01-01', description: 'Leptospirosis', category: 'vaccines', code: 'LEPTOSPIROSIS' });
    expect(s.notes).toMatchObject({ rowsWithExcelSerialDates: 1, rowsWithNotes: 1, rowsWithMultilineNotes: 1, rowsWithReminder: 3 });
    // Phone = home or work (type unknown, never texted); Mobile = cell.
    const phones = t.core.db.prepare("SELECT value, extension, phone_type, sms_capable FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE c.pims_id = '3002' AND kind = 'phone' ORDER BY position").all();
    expect(phones).toEqual([
      { value: '+18475550178', extension: null, phone_type: 'cell', sms_capable: 1 },
      { value: '+15645550184', extension: '80', phone_type: 'other', sms_capable: 0 },
    ]);
  });

  it('reports exact duplicate rows once each and imports the pet once', async () => {
    const rows = [...(await import('./fixtures')).clientListRows()];
    rows.push([...rows[1]]);
    // Lines: title, blank, header, then rows at 4, 5-6 (a two-line note), 7, 8 and the repeat at 9.
    const file = writeClientList(path.join(files.dir, 'dup.csv'), rows);
    const s = await call<ImportRunSummary>('imports.run', { path: file });
    expect(s.rowsRead).toBe(5);
    expect(s.duplicateRows).toBe(1);
    expect(s.notes.duplicatePetIds).toEqual(['42']);
    expect(s.byEntity.patients?.inserted).toBe(4);
    const p = listProblems(t.core.db, s.runId).items;
    expect(p).toEqual([expect.objectContaining({ line: 9, code: 'duplicate-row', severity: 'warning', reason: 'Row repeats line 5 exactly; skipped' })]);
  });

  describe('an unknown layout: semicolons, Windows-1252, duplicated headers', () => {
    let file: string;
    const mapping: ColumnMapping = {
      columns: {
        'client.id': 'Kundennr',
        'client.lastName': 'Nom',
        'client.firstName': 'Prénom',
        'client.cellPhone': 'Téléphone',
        'client.homePhone': 'Téléphone_2',
        'client.email': 'Courriel',
        'patient.id': 'Animal',
        'patient.name': 'Nom animal',
        'reminder.description': 'Rappel',
        'reminder.dueDate': 'Échéance',
      },
      dateOrder: 'DMY',
    };

    beforeEach(() => {
      file = path.join(files.dir, 'export-fr.csv');
      const text = table(
        ['Kundennr', 'Nom', 'Prénom', 'Téléphone', 'Téléphone', 'Courriel', 'Animal', 'Nom animal', 'Rappel', 'Échéance'],
        [
          ['K1', 'Côté', 'Stéphanie', '819 555 0123', '(819) 555-0124 poste 5', 'steph@example.ca', 'A1', 'Frisé', 'Rage', '05/12/2026'],
          ['K2', 'Lefèvre', 'Hélène', '+1 226 555 0188', '', 'helene@example.ca', 'A2', 'Moka', 'Vaccin; annuel', '31/12/2026'],
        ],
        { delimiter: ';', eol: '\r\n' },
      );
      writeFileSync(file, iconv.encode(text, 'windows-1252'));
    });

    it('previews it: encoding, delimiter, renamed duplicate header, first rows, no known layout', async () => {
      const p = await call<ImportPreview>('imports.preview', { path: file });
      const f = p.files[0];
      expect(f).toMatchObject({ encoding: 'windows-1252', delimiter: ';', headerLine: 1, layout: null });
      expect(f.headers).toEqual(['Kundennr', 'Nom', 'Prénom', 'Téléphone', 'Téléphone_2', 'Courriel', 'Animal', 'Nom animal', 'Rappel', 'Échéance']);
      expect(f.duplicateHeaders).toEqual([{ name: 'Téléphone', renamedTo: 'Téléphone_2' }]);
      expect(f.rows[1][8]).toBe('Vaccin; annuel');
      expect(f.suggestedMapping?.columns['client.email']).toBeUndefined();
    });

    it('is refused without a mapping, with a message saying what to do', async () => {
      const s = await call<ImportRunSummary>('imports.run', { path: file });
      expect(s).toMatchObject({ status: 'failed', errorCode: 'import.unknown-layout' });
      expect(s.error).toMatch(/Map its columns/);
    });

    it('imports with a one-off mapping, warning about the duplicated header', async () => {
      const s = await call<ImportRunSummary>('imports.run', { path: file, mapping });
      expect(s.status).toBe('ok');
      expect(s.source).toBe('mapping');
      expect(one("SELECT first_name, last_name FROM clients WHERE pims_id = 'K1'")).toEqual({ first_name: 'Stéphanie', last_name: 'Côté' });
      expect(one("SELECT name FROM patients WHERE pims_id = 'A1'")).toEqual({ name: 'Frisé' });
      expect(one("SELECT due_date FROM reminders WHERE pims_id = 'A1:RAGE'")).toEqual({ due_date: '2026-12-05' });
      expect(one("SELECT due_date FROM reminders WHERE pims_id = 'A2:VACCINANNUEL'")).toEqual({ due_date: '2026-12-31' });
      expect(listProblems(t.core.db, s.runId).items).toEqual([expect.objectContaining({ code: 'duplicate-header', line: 1, severity: 'warning' })]);
    });

    it('saves the mapping as a named profile and imports by that name', async () => {
      const profiles = await call<ImportProfileView[]>('imports.saveProfile', { name: 'Clinique Logiciel', mapping });
      expect(profiles.find((p) => p.name === 'Clinique Logiciel')).toMatchObject({ builtIn: false, mapping });
      expect(profiles.filter((p) => p.builtIn).map((p) => p.name)).toEqual(['pulse', 'openvpms', 'avimark', 'client-list']);
      const s = await call<ImportRunSummary>('imports.run', { path: file, profile: 'Clinique Logiciel' });
      expect(s).toMatchObject({ status: 'ok', source: 'Clinique Logiciel', profile: 'Clinique Logiciel' });
      expect(one("SELECT source FROM clients WHERE pims_id = 'K2'")).toEqual({ source: 'Clinique Logiciel' });
      const after = await call<ImportProfileView[]>('imports.deleteProfile', { name: 'Clinique Logiciel' });
      expect(after.some((p) => p.name === 'Clinique Logiciel')).toBe(false);
    });

    it('refuses an incomplete mapping or a reserved name with field errors', async () => {
      await expect(call('imports.saveProfile', { name: 'x', mapping: { columns: { 'patient.name': 'Nom animal' } } })).rejects.toMatchObject({ code: 'validation', fields: expect.objectContaining({ 'client.id': expect.any(String) }) });
      await expect(call('imports.saveProfile', { name: 'pulse', mapping })).rejects.toMatchObject({ code: 'validation', fields: { name: 'Reserved name.' } });
      await expect(call('imports.saveProfile', { name: 'y', mapping: { columns: { 'client.id': 'A', 'bogus.field': 'B' } } })).rejects.toMatchObject({ code: 'validation' });
    });

    it('fails the run when a mapped column is not in the file', async () => {
      const s = await call<ImportRunSummary>('imports.run', { path: file, mapping: { ...mapping, columns: { ...mapping.columns, 'client.email': 'E-mail' } } });
      expect(s).toMatchObject({ status: 'failed', errorCode: 'import.bad-mapping' });
      expect(s.error).toMatch(/no column "E-mail"/);
      expect(one('SELECT COUNT(*) n FROM clients')).toEqual({ n: 0 });
    });
  });
});
