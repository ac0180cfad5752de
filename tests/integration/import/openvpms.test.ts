import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRunSummary } from '../../../src-main/contract';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { openVpmsRows, writeOpenVpms } from './fixtures';

describe('import: OpenVPMS reminder export (tab-separated, fully quoted, newlines in addresses)', () => {
  let t: ReturnType<typeof testCore>;
  let files: ReturnType<typeof tempDir>;
  let s: ImportRunSummary;
  let file: string;
  const one = <T>(sql: string, ...p: unknown[]) => t.core.db.prepare(sql).get(...p) as T;

  beforeAll(async () => {
    t = testCore();
    files = tempDir('pawline-openvpms-');
    file = writeOpenVpms(path.join(files.dir, 'reminders.tsv'), openVpmsRows());
    const r = await t.core.invoke('imports.run', { path: file });
    if (!r.ok) throw new Error(r.error.message);
    s = r.value as ImportRunSummary;
  });
  afterAll(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('turns one row per reminder into customers, patients and reminders, each stored once', () => {
    expect(s.status).toBe('ok');
    expect(s.files[0]).toMatchObject({ layout: 'openvpms.reminders', delimiter: '\t', rows: 4 });
    expect(s.byEntity.clients?.inserted).toBe(2);
    expect(s.byEntity.patients?.inserted).toBe(3);
    expect(s.byEntity.reminders?.inserted).toBe(4);
    expect(s.warnings).toBe(0);
  });

  it('splits the multi-line street address and maps the state name to its code', () => {
    expect(one("SELECT address1, address2, region, country FROM clients WHERE pims_id = '2001'")).toEqual({ address1: '2428 Kestrel Ct SE', address2: 'Unit 166', region: 'WA', country: 'US' });
    expect(one("SELECT first_name, region, country FROM clients WHERE pims_id = '2002'")).toEqual({ first_name: 'Maëlle', region: 'QC', country: 'CA' });
  });

  it('stores the SMS number as a cell, once even when it repeats the phone number', () => {
    expect(t.core.db.prepare("SELECT value, phone_type, sms_capable FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE c.pims_id = '2001' AND kind = 'phone'").all()).toEqual([
      { value: '+19845550157', phone_type: 'cell', sms_capable: 1 },
    ]);
    expect(t.core.db.prepare("SELECT sms_capable FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE c.pims_id = '2002' AND kind = 'phone'").all()).toEqual([{ sms_capable: 0 }]);
  });

  it('keys reminders by patient and reminder type, with the type name as description', () => {
    expect(one("SELECT code, description, category, due_date FROM reminders WHERE pims_id = '11:1137'")).toEqual({ code: '1137', description: 'Rabies 1 Year', category: 'vaccines', due_date: '2026-12-04' });
    expect(one("SELECT description FROM reminder_codes WHERE code = '1155'")).toEqual({ description: 'Annual Wellness Exam' });
    expect(one("SELECT weight, sex FROM patients WHERE pims_id = '11'")).toEqual({ weight: 13.2, sex: 'F' });
  });

  it('keeps the later row when a repeated customer comes with different details, and says so', async () => {
    const rows = openVpmsRows();
    rows[2][11] = '(984) 555-0199'; // the third row gives the customer another SMS number
    const other = path.join(files.dir, 'conflict.tsv');
    writeOpenVpms(other, rows);
    const r = await t.core.invoke('imports.run', { path: other, source: 'openvpms-b' });
    const s2 = r.ok ? (r.value as ImportRunSummary) : null;
    expect(s2).toMatchObject({ status: 'ok', warnings: 1, byEntity: { clients: { inserted: 2 } } });
    const phones = t.core.db
      .prepare("SELECT value, phone_type FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE c.source = 'openvpms-b' AND c.pims_id = '2001' AND kind = 'phone' ORDER BY position")
      .all();
    expect(phones).toEqual([
      { value: '+19845550157', phone_type: 'other' },
      { value: '+19845550199', phone_type: 'cell' },
    ]);
    const p = (await t.core.invoke('imports.problems', { runId: s2!.runId })) as { ok: true; value: { items: { code: string; line: number }[] } };
    expect(p.value.items).toEqual([expect.objectContaining({ code: 'conflicting-duplicate', line: 6 })]);
  });

  it('marks a reminder gone when a later export no longer lists it (it was done or sent)', async () => {
    writeOpenVpms(file, openVpmsRows().slice(1));
    const r = await t.core.invoke('imports.run', { path: file });
    expect(r.ok && (r.value as ImportRunSummary).byEntity.reminders).toMatchObject({ gone: 1, unchanged: 3 });
    expect(one("SELECT gone FROM reminders WHERE pims_id = '11:1137'")).toEqual({ gone: 1 });
    // Customers and patients are not a full list in this export: never marked gone by it.
    expect(one("SELECT COUNT(*) n FROM clients WHERE gone = 1")).toEqual({ n: 0 });
  });
});
