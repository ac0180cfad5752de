import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRunSummary } from '../../../src-main/contract';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { writeAvimark } from './fixtures';

describe('import: AVImark extractor output (pipe-delimited, Windows-1252)', () => {
  let t: ReturnType<typeof testCore>;
  let files: ReturnType<typeof tempDir>;
  let s: ImportRunSummary;
  const one = <T>(sql: string, ...p: unknown[]) => t.core.db.prepare(sql).get(...p) as T;

  beforeAll(async () => {
    t = testCore();
    files = tempDir('pawline-avimark-');
    const dir = writeAvimark(path.join(files.dir, 'extract'));
    const r = await t.core.invoke('imports.run', { path: dir });
    if (!r.ok) throw new Error(r.error.message);
    s = r.value as ImportRunSummary;
  });
  afterAll(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('recognises the four files and reads them as Windows-1252 without U+FFFD', () => {
    expect(s.status).toBe('ok');
    expect(s.source).toBe('avimark');
    expect(s.files.map((f) => [f.name, f.layout, f.encoding, f.delimiter])).toEqual([
      ['CLIENT.TXT', 'avimark.clients', 'windows-1252', '|'],
      ['PET.TXT', 'avimark.patients', 'windows-1252', '|'],
      ['REMINDER.TXT', 'avimark.reminders', 'windows-1252', '|'],
      ['APPOINT.TXT', 'avimark.appointments', 'windows-1252', '|'],
    ]);
    expect(one("SELECT last_name, first_name FROM clients WHERE pims_id = 'C1'")).toEqual({ last_name: 'Côté', first_name: 'Stéphanie' });
    expect(one("SELECT name FROM patients WHERE pims_id = 'P2'")).toEqual({ name: 'Zoé' });
    expect(one("SELECT COUNT(*) n FROM clients WHERE last_name LIKE '%\uFFFD%' OR first_name LIKE '%\uFFFD%'")).toEqual({ n: 0 });
    // What the extractor itself replaced with '?' (outside Windows-1252) stays as written.
    expect(one("SELECT last_name FROM clients WHERE pims_id = 'C2'")).toEqual({ last_name: 'Dvo?ák' });
  });

  it('joins AREA and PHONE into the main number; CELL is the textable one', () => {
    const phones = t.core.db
      .prepare("SELECT c.pims_id, cp.value, cp.phone_type, cp.sms_capable FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE kind = 'phone' ORDER BY c.pims_id, cp.position")
      .all();
    expect(phones).toEqual([
      { pims_id: 'C1', value: '+14255550102', phone_type: 'cell', sms_capable: 1 },
      { pims_id: 'C1', value: '+12065550101', phone_type: 'other', sms_capable: 0 },
      { pims_id: 'C2', value: '+16045550103', phone_type: 'other', sms_capable: 0 },
      // The main number is the cell itself: stored once, as the cell.
      { pims_id: 'C3', value: '+12065550104', phone_type: 'cell', sms_capable: 1 },
    ]);
  });

  it('reads status, suspensions, MM/DD/YY dates (two-digit years on both sides of 2000) and death dates', () => {
    expect(one("SELECT active FROM clients WHERE pims_id = 'C3'")).toEqual({ active: 0 });
    expect(one("SELECT suspend_reminders, suspend_until, country FROM clients WHERE pims_id = 'C2'")).toEqual({ suspend_reminders: 1, suspend_until: '2026-01-15', country: 'CA' });
    expect(one("SELECT dob, dod, deceased FROM patients WHERE pims_id = 'P2'")).toEqual({ dob: '1998-07-04', dod: '2026-10-02', deceased: 1 });
    expect(one("SELECT dob, suspend_reminders FROM patients WHERE pims_id = 'P3'")).toEqual({ dob: '2020-11-11', suspend_reminders: 1 });
    expect(one("SELECT due_date, suspended, code, category FROM reminders WHERE pims_id = 'R3'")).toEqual({ due_date: '2026-12-20', suspended: 1, code: 'DHPP', category: 'vaccines' });
    expect(one("SELECT email FROM (SELECT valid email FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE c.pims_id = 'C3' AND kind = 'email')")).toEqual({ email: 0 });
  });

  it('reads appointment times given in minutes after midnight, in the clinic time zone', () => {
    expect(one("SELECT start_local, start_utc, status, category, duration_min FROM appointments WHERE pims_id = 'A1'")).toEqual({
      start_local: '2026-12-02T08:30',
      start_utc: '2026-12-02T16:30:00Z',
      status: 'Confirmed',
      category: 'vaccines',
      duration_min: 20,
    });
    expect(one("SELECT start_local, status FROM appointments WHERE pims_id = 'A2'")).toEqual({ start_local: '2026-12-04T14:00', status: 'Scheduled' });
  });
});
