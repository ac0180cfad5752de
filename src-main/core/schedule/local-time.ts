import { DateTime } from 'luxon';

/**
 * Calendar dates ('YYYY-MM-DD') and wall-clock times in the clinic's zone. Day arithmetic is on
 * calendar dates, never on 24-hour blocks, so a DST change cannot move a due date.
 */

const DAY_MS = 86_400_000;

/** The clinic-local calendar date of an instant. */
export function localDate(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * DAY_MS;
  return new Date(t).toISOString().slice(0, 10);
}

/** b - a in whole calendar days. */
export function daysBetween(a: string, b: string): number {
  const ta = Date.UTC(Number(a.slice(0, 4)), Number(a.slice(5, 7)) - 1, Number(a.slice(8, 10)));
  const tb = Date.UTC(Number(b.slice(0, 4)), Number(b.slice(5, 7)) - 1, Number(b.slice(8, 10)));
  return Math.round((tb - ta) / DAY_MS);
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
  const dt = DateTime.fromObject(
    { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)), hour: Number(time.slice(0, 2)), minute: Number(time.slice(3, 5)) },
    { zone },
  );
  return dt.toJSDate();
}

/** Start of the clinic-local day (midnight, or the first instant after a midnight DST gap). */
export function startOfLocalDay(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
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
