import { DateTime } from 'luxon';
import { DEFAULT_QUIET_HOURS, type ClinicProfile, type Weekday } from '../../contract';

/** TCPA: never text before 08:00 or after 21:00 in the recipient's (here: clinic's) local time. */
export const LEGAL_START_MIN = 8 * 60;
export const LEGAL_END_MIN = 21 * 60;
export const DEFAULT_QUIET = DEFAULT_QUIET_HOURS;

export type WindowClinic = Pick<ClinicProfile, 'timeZone' | 'quietHours'> & Partial<Pick<ClinicProfile, 'openingHours'>>;

export interface WindowOptions {
  /** Reminders and campaigns also wait for opening hours (someone can answer the phone). */
  openingHours?: boolean;
  /** Emergency alerts confirmed by a manager may ignore the clinic's quiet hours, never the legal limit... unless `ignoreAll`. */
  legalOnly?: boolean;
}

const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const WEEKDAY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The window [start, end) in minutes for one local day, or null when nothing may go out that day. */
export function windowForDay(day: DateTime, clinic: WindowClinic, opts: WindowOptions = {}): [number, number] | null {
  let start = LEGAL_START_MIN;
  let end = LEGAL_END_MIN;
  if (!opts.legalOnly) {
    const q = clinic.quietHours ?? DEFAULT_QUIET;
    start = Math.max(start, toMin(q.start));
    end = Math.min(end, toMin(q.end));
    if (opts.openingHours && clinic.openingHours) {
      const h = clinic.openingHours[WEEKDAY[day.weekday - 1]];
      if (!h) return null;
      start = Math.max(start, toMin(h.open));
      end = Math.min(end, toMin(h.close));
    }
  }
  return start < end ? [start, end] : null;
}

function at(day: DateTime, minutes: number): DateTime {
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/** True when `when` falls inside the send window (clinic-local, DST-aware). */
export function isInsideWindow(when: Date, clinic: WindowClinic, opts: WindowOptions = {}): boolean {
  const local = DateTime.fromJSDate(when, { zone: clinic.timeZone });
  const w = windowForDay(local.startOf('day'), clinic, opts);
  if (!w) return false;
  const m = local.hour * 60 + local.minute;
  return m >= w[0] && m < w[1];
}

// Planning asks this for thousands of instants of one clinic; most repeat (appointment slots).
// A clinic's window settings get a short number, so a memo key stays short to build and hash.
const clinicIds = new WeakMap<object, number>();
const settingsIds = new Map<string, number>();
const nextSendMemo = new Map<string, number>();

function windowKey(clinic: WindowClinic, opts: WindowOptions): string {
  let id = clinicIds.get(clinic);
  if (id === undefined) {
    const json = JSON.stringify([clinic.timeZone, clinic.quietHours, clinic.openingHours ?? null]);
    id = settingsIds.get(json);
    if (id === undefined) settingsIds.set(json, (id = settingsIds.size));
    clinicIds.set(clinic, id);
  }
  return `${id}|${opts.openingHours ? 1 : 0}${opts.legalOnly ? 1 : 0}`;
}

/**
 * The earliest instant at or after `when` inside the send window. Messages due in quiet hours
 * wait for this moment; they never fail or expire for it. Looks ahead at most 14 days.
 */
export function nextSendTime(when: Date, clinic: WindowClinic, opts: WindowOptions = {}): Date {
  const key = `${when.getTime()}|${windowKey(clinic, opts)}`;
  const hit = nextSendMemo.get(key);
  if (hit !== undefined) return new Date(hit);
  const t = computeNextSendTime(when, clinic, opts);
  if (nextSendMemo.size > 20_000) nextSendMemo.clear();
  nextSendMemo.set(key, t.getTime());
  return t;
}

function computeNextSendTime(when: Date, clinic: WindowClinic, opts: WindowOptions): Date {
  const local = DateTime.fromJSDate(when, { zone: clinic.timeZone });
  for (let i = 0; i < 14; i++) {
    const day = local.startOf('day').plus({ days: i });
    const w = windowForDay(day, clinic, opts);
    if (!w) continue;
    const open = at(day, w[0]);
    const close = at(day, w[1]);
    if (i === 0 && local >= close) continue;
    return (i === 0 && local > open ? local : open).toJSDate();
  }
  return when; // no window configured at all: the caller's validation should have prevented this
}

/** Formats an instant as clinic-local text for message bodies: 'Tue Dec 8 at 2:30 PM'. */
export function formatLocal(when: Date | string, timeZone: string, format = "ccc LLL d 'at' h:mm a"): string {
  const d = typeof when === 'string' ? DateTime.fromISO(when, { zone: 'utc' }) : DateTime.fromJSDate(when);
  return d.setZone(timeZone).toFormat(format);
}
