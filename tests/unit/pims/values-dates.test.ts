import { describe, expect, it } from 'vitest';
import { excelSerialToDate, parseDate, parseDateTime, parseTime } from '../../../src-main/core/pims/values';

const ref = { referenceYear: 2026 };

describe('parseDate', () => {
  it.each([
    ['12/18/2015', '2015-12-18'],
    ['03/01/2021', '2021-03-01'],
    ['9/7/2026', '2026-09-07'],
    ['9/7/26', '2026-09-07'],
    ['2015-12-18', '2015-12-18'],
    ['2015-12-18T10:00:00', '2015-12-18'],
    ['December 18 2015', '2015-12-18'],
    ['Dec 18, 2015', '2015-12-18'],
    ['Dec. 18, 2015', '2015-12-18'],
    ['Friday, December 18, 2015', '2015-12-18'],
    ['18 December 2015', '2015-12-18'],
    ['18-Dec-15', '2015-12-18'],
    ['11/24/2026 08:00 AM', '2026-11-24'],
    [' 2/29/2024 ', '2024-02-29'],
  ])('%s -> %s', (raw, iso) => {
    expect(parseDate(raw, ref)).toBe(iso);
  });

  it('pivots two-digit years at the reference year + 10', () => {
    expect(parseDate('1/5/36', ref)).toBe('2036-01-05');
    expect(parseDate('1/5/37', ref)).toBe('1937-01-05');
    expect(parseDate('6/30/99', ref)).toBe('1999-06-30');
    expect(parseDate('6/30/00', ref)).toBe('2000-06-30');
  });

  it('reads day-first when asked', () => {
    expect(parseDate('03/04/2026', { order: 'DMY' })).toBe('2026-04-03');
    expect(parseDate('03/04/2026', { order: 'MDY' })).toBe('2026-03-04');
    expect(parseDate('25/12/2026', { order: 'DMY' })).toBe('2026-12-25');
    expect(parseDate('25/12/2026')).toBeNull();
  });

  it('reads Excel serials in the 1900 system (45667 = 2025-01-10)', () => {
    expect(parseDate('45667')).toBe('2025-01-10');
    expect(parseDate('44675')).toBe('2022-04-24');
    expect(parseDate('45667.75')).toBe('2025-01-10');
    expect(excelSerialToDate(36526)).toBe('2000-01-01');
  });

  it('ignores serials outside 20000..80000 and when serials are turned off', () => {
    expect(parseDate('19999')).toBeNull();
    expect(parseDate('80001')).toBeNull();
    expect(parseDate('20000')).toBe('1954-10-03');
    expect(parseDate('45667', { excelSerials: false })).toBeNull();
  });

  it('refuses impossible dates and junk instead of guessing', () => {
    for (const raw of ['02/30/2026', '2/29/2025', '13/01/2026', '2026-00-10', '12/18/2015abc', 'soon', '12/18/201', '', '   ']) {
      expect(parseDate(raw, ref)).toBeNull();
    }
    expect(parseDate(null)).toBeNull();
  });
});

describe('parseDateTime', () => {
  it('reads Pulse appointment times', () => {
    expect(parseDateTime('11/24/2026 08:00 AM')).toEqual({ date: '2026-11-24', time: '08:00' });
    expect(parseDateTime('12/01/2026 12:00 PM')).toEqual({ date: '2026-12-01', time: '12:00' });
    expect(parseDateTime('12/01/2026 12:15 AM')).toEqual({ date: '2026-12-01', time: '00:15' });
    expect(parseDateTime('12/01/2026 01:45 PM')).toEqual({ date: '2026-12-01', time: '13:45' });
  });

  it('reads ISO forms, keeping a written offset apart', () => {
    expect(parseDateTime('2026-12-01 14:30')).toEqual({ date: '2026-12-01', time: '14:30' });
    expect(parseDateTime('2026-12-01T14:30:59')).toEqual({ date: '2026-12-01', time: '14:30' });
    expect(parseDateTime('2026-12-01T22:30:00Z')).toEqual({ date: '2026-12-01', time: '22:30', offset: 'Z' });
    expect(parseDateTime('2026-12-01T14:30:00-08:00')).toEqual({ date: '2026-12-01', time: '14:30', offset: '-08:00' });
  });

  it('gives a null time for a date alone, and a time from an Excel fraction', () => {
    expect(parseDateTime('12/01/2026')).toEqual({ date: '2026-12-01', time: null });
    expect(parseDateTime('45667.5')).toEqual({ date: '2025-01-10', time: '12:00' });
    expect(parseDateTime('45667')).toEqual({ date: '2025-01-10', time: null });
  });

  it('refuses a bad time', () => {
    expect(parseDateTime('12/01/2026 25:00')).toBeNull();
    expect(parseDateTime('12/01/2026 13:00 PM')).toBeNull();
    expect(parseDateTime('')).toBeNull();
  });
});

describe('parseTime', () => {
  it.each([
    ['2:30 PM', '14:30'],
    ['2:30pm', '14:30'],
    ['2 pm', '14:00'],
    ['12:00 AM', '00:00'],
    ['12:30 PM', '12:30'],
    ['11:59 p.m.', '23:59'],
    ['08:00 AM', '08:00'],
    ['14:30', '14:30'],
    ['9:05', '09:05'],
    ['14:30:59', '14:30'],
  ])('%s -> %s', (raw, hhmm) => {
    expect(parseTime(raw)).toBe(hhmm);
  });

  it('reads minutes after midnight only when the flag says so (AVImark)', () => {
    expect(parseTime('510')).toBeNull();
    expect(parseTime('510', { minutesAfterMidnight: true })).toBe('08:30');
    expect(parseTime('0', { minutesAfterMidnight: true })).toBe('00:00');
    expect(parseTime('1439', { minutesAfterMidnight: true })).toBe('23:59');
    expect(parseTime('1440', { minutesAfterMidnight: true })).toBeNull();
  });

  it('refuses impossible times', () => {
    for (const raw of ['24:00', '13:00 PM', '0:30 AM', '12:60', 'noon', '']) expect(parseTime(raw)).toBeNull();
  });
});
