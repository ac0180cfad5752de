import type { AppointmentMessageSettings } from '../../contract';
import { addDays, isoWeekday, localDate } from '../schedule/local-time';
import { nextSendTime, windowForDay, type WindowClinic } from '../schedule/send-window';
import { DateTime } from 'luxon';

const SKIP_ISO: Record<'sat' | 'sun', number> = { sat: 6, sun: 7 };

/**
 * The clinic-local date a confirmation request goes out: N days before the visit, moved back
 * over the skipped days, so with N = 2 a Monday visit is asked on the previous Friday.
 */
export function confirmationDate(visitDate: string, s: Pick<AppointmentMessageSettings, 'confirmDaysBefore' | 'confirmSkipDays'>): string {
  const skip = new Set(s.confirmSkipDays.map((d) => SKIP_ISO[d]));
  let d = addDays(visitDate, -s.confirmDaysBefore);
  for (let i = 0; i < 7 && skip.has(isoWeekday(d)); i++) d = addDays(d, -1);
  return d;
}

/** Last useful moment to ask or remind: a quarter of an hour before the visit. */
const MARGIN_MS = 15 * 60_000;

/**
 * When the day-of reminder goes out: `lead` before the visit, moved into the send window. When
 * the window opens too late that day (an 08:00 visit with texts from 09:00), it goes the evening
 * before, an hour before the window closes, and the text says "tomorrow".
 */
export function dayOfSendTime(start: Date, leadMinutes: number, clinic: WindowClinic, notBefore: Date): Date | null {
  const target = new Date(Math.max(start.getTime() - leadMinutes * 60_000, notBefore.getTime()));
  const t = nextSendTime(target, clinic);
  if (t.getTime() <= start.getTime() - MARGIN_MS) return t;
  const prev = DateTime.fromJSDate(start, { zone: clinic.timeZone }).startOf('day').minus({ days: 1 });
  const w = windowForDay(prev, clinic);
  if (!w) return null;
  const evening = prev.set({ hour: Math.floor(Math.max(w[0], w[1] - 60) / 60), minute: Math.max(w[0], w[1] - 60) % 60 }).toJSDate();
  if (evening.getTime() >= notBefore.getTime()) return evening;
  return null;
}

/** 'today' / 'tomorrow' relative to when the text is read. */
export function relativeDay(sendAt: Date, start: Date, zone: string): 'today' | 'tomorrow' | null {
  const a = localDate(sendAt, zone);
  const b = localDate(start, zone);
  if (a === b) return 'today';
  if (addDays(a, 1) === b) return 'tomorrow';
  return null;
}
