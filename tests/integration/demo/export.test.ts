import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { col, parseRawCsv, unquote } from '../../../src-main/host-web/demo-clinic/csv';
import { daytimeZone, localDay } from '../../../src-main/host-web/demo-clinic/profile';
import { daysBetween, shiftCell, shiftCsvText, writeShiftedExport } from '../../../src-main/host-web/demo-clinic/shift-dates';
import { DEMO_EXPORT_DIR } from '../../../src-main/host-web/demo';
import { tempDir } from '../../helpers/tmp';

const read = (name: string) => parseRawCsv(readFileSync(path.join(DEMO_EXPORT_DIR, name), 'utf8'));

describe('resources/demo export', () => {
  it('is a small Covetrus Pulse export with only fictional phones and example.* emails', () => {
    const clients = read('Client.csv');
    const pets = read('Patient.csv');
    expect(clients.rows.length).toBeGreaterThanOrEqual(50);
    expect(clients.rows.length).toBeLessThanOrEqual(70);
    expect(pets.rows.length).toBeGreaterThanOrEqual(70);
    expect(pets.rows.length).toBeLessThanOrEqual(110);
    expect(clients.header.slice(0, 4)).toEqual(['AccountId', 'ClientTypeCode', 'Salutation', 'LastName']);
    const cells: string[] = [];
    for (const r of clients.rows) {
      for (const n of [1, 2, 3]) {
        const phone = unquote(r[col(clients, `Phone${n}AsIs`)] ?? '').trim();
        if (!phone) continue;
        const digits = phone.replace(/\s*(x|ext\.?)\s*\d+$/i, '').replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
        expect(digits, phone).toMatch(/^\d{3}55501\d\d$/);
        if (/cell/i.test(unquote(r[col(clients, `PhoneType${n}`)] ?? ''))) cells.push(digits);
      }
      const email = unquote(r[col(clients, 'Email')] ?? '');
      if (email.includes('@')) expect(email.trim()).toMatch(/@example\.(com|org|net)$/i);
    }
    // One household per cell number, so "text as an owner" reaches exactly one household.
    expect(new Set(cells).size).toBe(cells.length);
  });

  it('references only its own clients and pets', () => {
    const clients = new Set(read('Client.csv').rows.map((r) => unquote(r[0]!)));
    const pets = read('Patient.csv');
    const petIds = new Set(pets.rows.map((r) => unquote(r[col(pets, 'AccountId')]!)));
    for (const r of pets.rows) expect(clients.has(unquote(r[col(pets, 'ClientAccountId')]!))).toBe(true);
    for (const f of ['Reminders.csv', 'History.csv']) {
      const csv = read(f);
      for (const r of csv.rows) expect(petIds.has(unquote(r[col(csv, 'PatientAccountId')]!))).toBe(true);
    }
    const appts = read('Appointments.csv');
    expect(appts.rows.length).toBeGreaterThan(5);
    for (const r of appts.rows) expect(clients.has(unquote(r[col(appts, 'ClientAccountId')]!))).toBe(true);
  });
});

describe('moving the demo dates to today', () => {
  it('shifts Pulse dates and date-times by calendar days, across month, year and leap day', () => {
    expect(shiftCell('12/01/2026', 31)).toBe('01/01/2027');
    expect(shiftCell('"02/28/2028"', 1)).toBe('"02/29/2028"');
    expect(shiftCell('11/24/2026 08:00 AM', -30)).toBe('10/25/2026 08:00 AM');
    expect(shiftCell('', 5)).toBe('');
    expect(shiftCell('"Rabies 3 Year"', 5)).toBe('"Rabies 3 Year"');
    expect(daysBetween('2026-12-01', '2027-03-15')).toBe(104);
    expect(daysBetween('2026-12-01', '2026-11-30')).toBe(-1);
  });

  it('touches only date columns and keeps every other byte, quotes and CRLF included', () => {
    const text = 'ReminderID,PatientAccountId,Code,Description,DateGiven,DueDate\r\n"1","5","RAB3","Rabies, 3 ""Year""",07/16/2023,12/01/2026\r\n"2","6","DHPP","Distemper",,11/30/2026\r\n';
    expect(shiftCsvText(text, 2)).toBe('ReminderID,PatientAccountId,Code,Description,DateGiven,DueDate\r\n"1","5","RAB3","Rabies, 3 ""Year""",07/18/2023,12/03/2026\r\n"2","6","DHPP","Distemper",,12/02/2026\r\n');
    expect(shiftCsvText(text, 0)).toBe(text);
  });

  it('writes the whole export shifted into another folder', () => {
    const t = tempDir('pawline-shift-');
    try {
      const src = path.join(t.dir, 'src');
      mkdirSync(src);
      writeFileSync(path.join(src, 'Appointments.csv'), 'AppointmentId,StartDateTime\n"9",12/01/2026 02:00 PM\n');
      writeFileSync(path.join(src, 'notes.txt'), 'not an export');
      const out = writeShiftedExport(src, path.join(t.dir, 'out'), 10);
      expect(out.map((f) => path.basename(f))).toEqual(['Appointments.csv']);
      expect(readFileSync(out[0]!, 'utf8')).toBe('AppointmentId,StartDateTime\n"9",12/11/2026 02:00 PM\n');
    } finally {
      t.cleanup();
    }
  });

  it('picks a clinic time zone where it is daytime, keeping the preferred one when it already is', () => {
    const at = new Date('2026-12-03T20:00:00Z'); // 12:00 in Los Angeles, 05:00 in Tokyo
    expect(daytimeZone(at, 'America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(daytimeZone(at, 'Asia/Tokyo')).toBe('America/Los_Angeles');
    const night = new Date('2026-12-03T10:00:00Z'); // 02:00 in Los Angeles
    const z = daytimeZone(night);
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: z, hour: 'numeric', hourCycle: 'h23' }).format(night));
    expect(hour).toBeGreaterThanOrEqual(10);
    expect(hour).toBeLessThan(18);
    expect(localDay(new Date('2026-12-04T02:00:00Z'), 'America/Los_Angeles')).toBe('2026-12-03');
  });
});
