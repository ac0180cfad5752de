/**
 * Calendar dates and wall-clock times as PIMS exports write them. Results are plain strings
 * ('YYYY-MM-DD', 'HH:MM') with no time zone: the clinic's zone is applied later, by the caller.
 */

export type DateOrder = 'MDY' | 'DMY';

export interface ParseDateOptions {
  /** How to read 03/04/2026. North American exports are MDY (the default). */
  order?: DateOrder;
  /**
   * The year two-digit years pivot around: YY <= (referenceYear + 10) % 100 reads as this century.
   * Pass the clinic clock's year; defaults to the current year.
   */
  referenceYear?: number;
  /** Accept Excel serial day numbers (default true). */
  excelSerials?: boolean;
}

/** Serials outside this range are more likely ids or amounts than dates (1954-09-05 .. 2119-01-10). */
export const EXCEL_SERIAL_MIN = 20000;
export const EXCEL_SERIAL_MAX = 80000;

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

const WEEKDAY_PREFIX = /^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+/i;

const ISO_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/;
const NUMERIC_DATE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)/;
const MONTH_FIRST = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)/i;
const DAY_FIRST = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4}|\d{2})(?!\d)/i;
const EXCEL_SERIAL = /^(\d{5})(?:\.(\d+))?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function ymd(y: number, m: number, d: number): string | null {
  if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1) return null;
  const max = m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1];
  if (d > max) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function expandYear(text: string, referenceYear: number): number {
  const n = Number(text);
  if (text.length === 4) return n;
  const ceiling = referenceYear + 10;
  let y = Math.floor(referenceYear / 100) * 100 + n;
  if (y > ceiling) y -= 100;
  return y;
}

/**
 * Excel's 1900 date system counts 1900-01-01 as 1 and wrongly includes 1900-02-29 (Lotus 1-2-3's
 * leap-year bug), so for every serial after 60 the effective epoch is 1899-12-30. The accepted
 * range starts far above 60, so that epoch is always right here.
 */
export function excelSerialToDate(serial: number): string {
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

interface DatePart {
  date: string;
  rest: string;
}

function readDatePart(text: string, opts: ParseDateOptions): DatePart | null {
  const referenceYear = opts.referenceYear ?? new Date().getFullYear();
  let m = ISO_DATE.exec(text);
  if (m) {
    const date = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    return date ? { date, rest: text.slice(m[0].length) } : null;
  }
  m = NUMERIC_DATE.exec(text);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const y = expandYear(m[3], referenceYear);
    const date = opts.order === 'DMY' ? ymd(y, b, a) : ymd(y, a, b);
    return date ? { date, rest: text.slice(m[0].length) } : null;
  }
  const t = text.replace(WEEKDAY_PREFIX, '');
  m = MONTH_FIRST.exec(t);
  if (m && Object.hasOwn(MONTHS, m[1].toLowerCase())) {
    const date = ymd(Number(m[3]), MONTHS[m[1].toLowerCase()], Number(m[2]));
    return date ? { date, rest: t.slice(m[0].length) } : null;
  }
  m = DAY_FIRST.exec(t);
  if (m && Object.hasOwn(MONTHS, m[2].toLowerCase())) {
    const date = ymd(expandYear(m[3], referenceYear), MONTHS[m[2].toLowerCase()], Number(m[1]));
    return date ? { date, rest: t.slice(m[0].length) } : null;
  }
  return null;
}

function readSerial(text: string, opts: ParseDateOptions): { date: string; fraction: number } | null {
  if (opts.excelSerials === false) return null;
  const m = EXCEL_SERIAL.exec(text);
  if (!m) return null;
  const whole = Number(m[1]);
  if (whole < EXCEL_SERIAL_MIN || whole > EXCEL_SERIAL_MAX) return null;
  return { date: excelSerialToDate(whole), fraction: m[2] ? Number(`0.${m[2]}`) : 0 };
}

/**
 * 'YYYY-MM-DD' from MM/DD/YYYY, M/D/YY, YYYY-MM-DD, 'December 18 2015', 'Dec 18, 2015',
 * '18-Dec-15', an Excel serial (45667 -> 2025-01-10), optionally followed by a time of day.
 * Impossible dates (02/30/2026) and trailing junk give null, never a guess.
 */
export function parseDate(raw: string | null | undefined, opts: ParseDateOptions = {}): string | null {
  if (raw == null) return null;
  const text = raw.trim();
  if (text === '') return null;
  const serial = readSerial(text, opts);
  if (serial) return serial.date;
  const part = readDatePart(text, opts);
  if (!part) return null;
  const rest = part.rest.trim();
  if (rest === '') return part.date;
  return readTimeSuffix(part.rest) ? part.date : null;
}

export interface ParsedDateTime {
  date: string;
  /** 'HH:MM', or null when only a date was given. */
  time: string | null;
  /** The UTC offset written in an ISO value ('Z', '-08:00'); the date and time are as written. */
  offset?: string;
}

const ISO_TIME_SUFFIX = /^[T\s](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function readTimeSuffix(rest: string): { time: string; offset?: string } | null {
  const iso = ISO_TIME_SUFFIX.exec(rest);
  if (iso) {
    const h = Number(iso[1]);
    const min = Number(iso[2]);
    if (h > 23 || min > 59) return null;
    const time = `${pad(h)}:${pad(min)}`;
    return iso[4] ? { time, offset: iso[4].toUpperCase() } : { time };
  }
  if (!/^\s/.test(rest)) return null;
  const time = parseTime(rest.trim());
  return time ? { time } : null;
}

/** '11/24/2026 08:00 AM', '2026-12-01 14:30', '2026-12-01T14:30:00Z', or a date alone. */
export function parseDateTime(raw: string | null | undefined, opts: ParseDateOptions = {}): ParsedDateTime | null {
  if (raw == null) return null;
  const text = raw.trim();
  if (text === '') return null;
  const serial = readSerial(text, opts);
  if (serial) {
    if (serial.fraction === 0) return { date: serial.date, time: null };
    const minutes = Math.round(serial.fraction * 1440);
    if (minutes >= 1440) return { date: excelSerialToDate(Number(text.split('.')[0]) + 1), time: '00:00' };
    return { date: serial.date, time: `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}` };
  }
  const part = readDatePart(text, opts);
  if (!part) return null;
  if (part.rest.trim() === '') return { date: part.date, time: null };
  const t = readTimeSuffix(part.rest);
  if (!t) return null;
  return t.offset ? { date: part.date, time: t.time, offset: t.offset } : { date: part.date, time: t.time };
}

export interface ParseTimeOptions {
  /** AVImark stores appointment times as minutes after midnight: '510' is 08:30. */
  minutesAfterMidnight?: boolean;
}

const TWELVE_HOUR = /^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*([ap])\.?\s*m?\.?$/i;
const TWENTY_FOUR_HOUR = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** 'HH:MM' from '2:30 PM', '2 pm', '14:30', '14:30:00', or minutes after midnight when asked. */
export function parseTime(raw: string | null | undefined, opts: ParseTimeOptions = {}): string | null {
  if (raw == null) return null;
  const text = raw.trim();
  if (text === '') return null;
  let m = TWELVE_HOUR.exec(text);
  if (m) {
    const h12 = Number(m[1]);
    const min = m[2] ? Number(m[2]) : 0;
    if (h12 < 1 || h12 > 12 || min > 59) return null;
    const pm = m[4].toLowerCase() === 'p';
    const h = (h12 % 12) + (pm ? 12 : 0);
    return `${pad(h)}:${pad(min)}`;
  }
  m = TWENTY_FOUR_HOUR.exec(text);
  if (m) {
    const h = Number(m[1]);
    const min = Number(m[2]);
    if (h > 23 || min > 59) return null;
    return `${pad(h)}:${pad(min)}`;
  }
  if (opts.minutesAfterMidnight && /^\d{1,4}$/.test(text)) {
    const n = Number(text);
    if (n >= 1440) return null;
    return `${pad(Math.floor(n / 60))}:${pad(n % 60)}`;
  }
  return null;
}
