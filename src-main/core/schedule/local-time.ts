import { DateTime } from 'luxon';

/**
 * Calendar dates ('YYYY-MM-DD') and wall-clock times in the clinic's zone. Day arithmetic is on
 * calendar dates, never on 24-hour blocks, so a DST change cannot move a due date.
 */

const DAY_MS = 86_400_000;

const localDates = new Map<string, string>();

/** The clinic-local calendar date of an instant. */
export function localDate(instant: Date, zone: string): string {
  const k = `${instant.getTime()}|${zone}`;
  let d = localDates.get(k);
  if (d === undefined) {
    d = DateTime.fromJSDate(instant, { zone }).toISODate()!;
    if (localDates.size > 20_000) localDates.clear();
    localDates.set(k, d);
  }
  return d;
}

// A plan does this arithmetic ~100k times over a few hundred distinct dates: memoise both ways.
const dayNumbers = new Map<string, number>();
const dayStrings = new Map<number, string>();
const MEMO_MAX = 50_000;

function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS);
    if (dayNumbers.size > MEMO_MAX) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

function dayString(n: number): string {
  let s = dayStrings.get(n);
  if (s === undefined) {
    s = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (dayStrings.size > MEMO_MAX) dayStrings.clear();
    dayStrings.set(n, s);
  }
  return s;
}

export function addDays(date: string, days: number): string {
  return dayString(dayNumber(date) + days);
}

/** b - a in whole calendar days. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** 1 = Monday .. 7 = Sunday (ISO), for a calendar date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * The instant a clinic-local date and 'HH:MM' names. A time skipped by spring-forward moves
 * forward by the gap (02:30 -> 03:30); a time that happens twice at fall-back is its first
 * occurrence. Either way each date names exactly one instant.
 */
export function atLocal(date: string, time: string, zone: string): Date {
  const hour = Number(time.slice(0, 2));
  const minute = Number(time.slice(3, 5));
  const dt = DateTime.fromObject({ year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)), hour, minute }, { zone });
  // Luxon resolves a repeated wall time to its later occurrence; an hour earlier may show the same wall time.
  const earlier = DateTime.fromMillis(dt.toMillis() - 3_600_000, { zone });
  if (earlier.hour === hour && earlier.minute === minute && earlier.toISODate() === dt.toISODate()) return earlier.toJSDate();
  return dt.toJSDate();
}

const dayStarts = new Map<string, number>();

/** Start of the clinic-local day (midnight, or the first instant after a midnight DST gap). */
export function startOfLocalDay(date: string, zone: string): Date {
  const k = `${date}|${zone}`;
  let t = dayStarts.get(k);
  if (t === undefined) {
    t = DateTime.fromISO(date, { zone }).startOf('day').toMillis();
    if (dayStarts.size > MEMO_MAX) dayStarts.clear();
    dayStarts.set(k, t);
  }
  return new Date(t);
}

/** The next instant strictly after `after` at which a daily job set for `time` runs. */
export function nextDailyRun(after: Date, time: string, zone: string): Date {
  const today = localDate(after, zone);
  const t = atLocal(today, time, zone);
  if (t.getTime() > after.getTime()) return t;
  return atLocal(addDays(today, 1), time, zone);
}

export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  return DateTime.fromISO(s).isValid;
}
