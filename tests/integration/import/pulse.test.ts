import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportRunSummary } from '../../../src-main/contract';
import { computeStats } from '../../../src-main/core/pims/stats';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { pulseClinic, writePulse } from './fixtures';

describe('import: Covetrus Pulse export', () => {
  let t: ReturnType<typeof testCore>;
  let files: ReturnType<typeof tempDir>;
  let summary: ImportRunSummary;
  const one = <T>(sql: string, ...p: unknown[]) => t.core.db.prepare(sql).get(...p) as T;
  const all = <T>(sql: string, ...p: unknown[]) => t.core.db.prepare(sql).all(...p) as T[];

  beforeEach(async () => {
    t = testCore();
    files = tempDir('pawline-pulse-');
    writePulse(path.join(files.dir, 'export'), pulseClinic());
    const r = await t.core.invoke('imports.run', { path: path.join(files.dir, 'export') });
    if (!r.ok) throw new Error(r.error.message);
    summary = r.value as ImportRunSummary;
  });
  afterEach(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('recognises all six files and imports every row in one run', () => {
    expect(summary.status).toBe('ok');
    expect(summary.source).toBe('pulse');
    expect(summary.files.map((f) => f.layout).sort()).toEqual(['pulse.appointments', 'pulse.clients', 'pulse.history', 'pulse.patients', 'pulse.reminder-codes', 'pulse.reminders']);
    expect(summary.byEntity.clients).toMatchObject({ inserted: 5, rejected: 0 });
    expect(summary.byEntity.patients?.inserted).toBe(6);
    expect(summary.byEntity.reminders?.inserted).toBe(7);
    expect(summary.byEntity.history?.inserted).toBe(4);
    expect(summary.byEntity.appointments?.inserted).toBe(4);
    expect(summary.errors).toBe(0);
    expect(one<{ n: number }>("SELECT COUNT(*) n FROM import_runs WHERE status = 'ok'").n).toBe(1);
  });

  it('reads the BOM-prefixed client file, keeps accents (NFC) and quoted commas and quotes', () => {
    const c = one<{ first_name: string; last_name: string; address1: string; country: string; region: string; language: string }>("SELECT * FROM clients WHERE pims_id = '1001'");
    expect(c.last_name).toBe('Côté');
    expect(c.last_name).toBe(c.last_name.normalize('NFC'));
    expect(c.first_name).toBe('Stéphanie');
    expect(c.address1).toBe('12 "Old" Mill Rd, Unit 4');
    expect(c).toMatchObject({ region: 'ON', country: 'CA', language: 'fr' });
    // The header's first column is found despite the BOM.
    expect(one<{ n: number }>("SELECT COUNT(*) n FROM clients WHERE pims_id LIKE '\uFEFF%'").n).toBe(0);
  });

  it('stores phones as E.164 with the extension apart; only extension-free cells are SMS-capable', () => {
    const cps = all<{ position: number; value: string; extension: string | null; phone_type: string; sms_capable: number }>(
      "SELECT cp.* FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE c.pims_id = '1001' AND kind = 'phone' ORDER BY position",
    );
    expect(cps).toEqual([
      expect.objectContaining({ position: 1, value: '+19055550101', extension: null, phone_type: 'cell', sms_capable: 1 }),
      expect.objectContaining({ position: 2, value: '+12065550102', extension: '12', phone_type: 'home', sms_capable: 0 }),
    ]);
    const okafor = one<{ value: string; extension: string; sms_capable: number }>("SELECT cp.* FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE c.pims_id = '1004' AND kind = 'phone'");
    expect(okafor).toMatchObject({ value: '+12065550199', extension: '5', sms_capable: 0 });
    // Canadian area codes 905, 226 and 819 are +1 numbers like US ones.
    const values = all<{ value: string }>("SELECT value FROM contact_points WHERE kind = 'phone'").map((r) => r.value);
    expect(values).toEqual(expect.arrayContaining(['+19055550101', '+12265550150', '+18195550177']));
  });

  it('keeps one cell number shared by two households on both, marked shared', () => {
    const rows = all<{ pims_id: string; value: string; shared: number; sms_capable: number }>(
      "SELECT c.pims_id, cp.value, cp.shared, cp.sms_capable FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE cp.nanp_key = '2265550150' ORDER BY c.pims_id",
    );
    expect(rows).toEqual([
      { pims_id: '1002', value: '+12265550150', shared: 1, sms_capable: 1 },
      { pims_id: '1003', value: '+12265550150', shared: 1, sms_capable: 1 },
    ]);
    expect(one<{ n: number }>("SELECT COUNT(*) n FROM contact_points WHERE shared = 1").n).toBe(2);
  });

  it('flags malformed emails as invalid (not sendable) and trims valid ones', () => {
    const emails = all<{ pims_id: string; raw: string; value: string | null; valid: number }>(
      "SELECT c.pims_id, cp.raw, cp.value, cp.valid FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE kind = 'email' ORDER BY c.pims_id",
    );
    expect(emails.find((e) => e.pims_id === '1003')).toMatchObject({ value: 'luc@example.net', valid: 1 });
    expect(emails.find((e) => e.pims_id === '1004')).toMatchObject({ raw: 'n/a', value: null, valid: 0 });
    expect(emails.find((e) => e.pims_id === '1005')).toMatchObject({ raw: 'sam@@example.com', value: null, valid: 0 });
  });

  it('takes consent flags, inactive clients and placeholder names from the PIMS', () => {
    expect(one("SELECT active, pims_no_sms, pims_no_email, postal_code FROM clients WHERE pims_id = '1004'")).toEqual({ active: 0, pims_no_sms: 1, pims_no_email: 0, postal_code: '9810' });
    expect(one("SELECT pims_no_email FROM clients WHERE pims_id = '1003'")).toEqual({ pims_no_email: 1 });
    expect(one("SELECT last_name, first_name FROM clients WHERE pims_id = '1005'")).toEqual({ last_name: null, first_name: 'Sam' });
    expect(one("SELECT name, suspend_reminders FROM patients WHERE pims_id = '4'")).toEqual({ name: null, suspend_reminders: 1 });
  });

  it('keeps a deceased pet and its open reminders, marked deceased', () => {
    expect(one("SELECT deceased, active, dod, sex, neutered FROM patients WHERE pims_id = '2'")).toEqual({ deceased: 1, active: 0, dod: '2026-11-14', sex: 'F', neutered: 1 });
    const rems = all<{ pims_id: string; satisfied_on: string | null }>("SELECT r.pims_id, r.satisfied_on FROM reminders r JOIN patients p ON p.id = r.patient_id WHERE p.pims_id = '2' ORDER BY r.pims_id");
    expect(rems).toEqual([
      { pims_id: '500004', satisfied_on: null },
      { pims_id: '500005', satisfied_on: null },
    ]);
  });

  it('marks a reminder satisfied by a later service in the history, not by the previous dose', () => {
    expect(one("SELECT satisfied_on FROM reminders WHERE pims_id = '500002'")).toEqual({ satisfied_on: '2026-11-25' });
    expect(one("SELECT satisfied_on FROM reminders WHERE pims_id = '500003'")).toEqual({ satisfied_on: null });
    expect(one("SELECT satisfied_on FROM reminders WHERE pims_id = '500001'")).toEqual({ satisfied_on: null });
  });

  it('gives reminders and appointments a category and links appointments to client and pet', () => {
    const cats = Object.fromEntries(all<{ code: string; category: string }>('SELECT code, category FROM reminders').map((r) => [r.code, r.category]));
    expect(cats).toMatchObject({ RAB1: 'vaccines', DHPP: 'vaccines', FVRCP: 'vaccines', EXAM: 'exam', HWT: 'heartworm', DENT: 'dental' });
    expect(one("SELECT category FROM reminder_codes WHERE code = 'HWT'")).toEqual({ category: 'heartworm' });
    const a = one<{ category: string; client: string; patient: string }>(
      "SELECT a.category, c.pims_id client, p.pims_id patient FROM appointments a JOIN clients c ON c.id = a.client_id JOIN patients p ON p.id = a.patient_id WHERE a.pims_id = '90001'",
    );
    expect(a).toEqual({ category: 'vaccines', client: '1002', patient: '3' });
    expect(one("SELECT category FROM appointments WHERE pims_id = '90002'")).toEqual({ category: 'exam' });
    expect(one("SELECT category FROM appointments WHERE pims_id = '90004'")).toEqual({ category: 'other' });
  });

  it('converts clinic-local appointment times to UTC across daylight saving time', () => {
    expect(one("SELECT start_local, start_utc, duration_min FROM appointments WHERE pims_id = '90001'")).toEqual({ start_local: '2026-12-02T09:30', start_utc: '2026-12-02T17:30:00Z', duration_min: 20 });
    expect(one("SELECT start_local, start_utc FROM appointments WHERE pims_id = '90002'")).toEqual({ start_local: '2026-07-15T14:30', start_utc: '2026-07-15T21:30:00Z' });
  });

  it('uses the clinic time zone from settings when one is set', async () => {
    t.core.settings.saveClinic({ ...(await import('../../helpers/settings-fixtures')).CLINIC, timeZone: 'America/Toronto' });
    const r = await t.core.invoke('imports.run', { path: path.join(files.dir, 'export'), force: true });
    expect(r.ok).toBe(true);
    expect(one("SELECT start_utc FROM appointments WHERE pims_id = '90001'")).toEqual({ start_utc: '2026-12-02T14:30:00Z' });
  });

  it('counts under EXPECTED.json key names', () => {
    const s = computeStats(t.core.db, { asOf: '2026-12-01' });
    expect(s).toMatchObject({
      clients: 5,
      clients_active: 4,
      patients: 6,
      patients_living: 5,
      patients_deceased: 1,
      reminders: 7,
      reminders_for_deceased_patients: 2,
      reminders_satisfied_by_history: 1,
      appointments: 4,
      appointments_by_status: { Scheduled: 1, Completed: 1, Cancelled: 1, Confirmed: 1 },
      clients_without_sms_capable_number: 2,
      clients_with_malformed_email: 2,
      clients_sharing_cell_number: 2,
      shared_cell_numbers: 1,
      clients_truncated_zip: 1,
      future_appointments: 2,
    });
  });
});
