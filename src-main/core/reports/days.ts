import { DateTime } from 'luxon';
import { addDays, daysBetween, startOfLocalDay } from '../schedule/local-time';

/**
 * Clinic-local calendar days of a report as UTC instants. Timestamps in the database are UTC ISO
 * strings, so a day is the half-open string range [starts[i], starts[i+1]) and a lookup is a binary
 * search: no per-row time-zone conversion, and a DST day is simply 23 or 25 hours long.
 */
export interface DayGrid {
  days: string[];
  /** UTC ISO start of each day, plus the end of the last one (length days + 1). */
  starts: string[];
  from: string;
  to: string;
  /** Stretches of the range with one UTC offset: until (exclusive; null = the end) and the offset in minutes. */
  offsets: { until: string | null; minutes: number }[];
  /** The coarsest UTC bucket that never straddles a local midnight: hours, or quarters for zones like Newfoundland's. */
  bucket: Bucket;
  /** Index of the day an ISO instant falls on, or -1 outside the range. */
  indexOf(iso: string): number;
}

export type Bucket = 'hour' | 'quarter';

export function dayGrid(fromDay: string, toDay: string, zone: string): DayGrid {
  const n = daysBetween(fromDay, toDay) + 1;
  const days: string[] = [];
  const starts: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = addDays(fromDay, i);
    days.push(d);
    starts.push(startOfLocalDay(d, zone).toISOString());
  }
  starts.push(startOfLocalDay(addDays(toDay, 1), zone).toISOString());
  const from = starts[0];
  const to = starts[n];
  const offsets = offsetStretches(starts, zone);
  return {
    days,
    starts,
    from,
    to,
    offsets,
    bucket: offsets.every((o) => o.minutes % 60 === 0) ? 'hour' : 'quarter',
    indexOf(iso) {
      if (iso < from || iso >= to) return -1;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= iso) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;

/** Offset changes (DST) inside the range, found to the minute by bisection within the day they happen. */
function offsetStretches(starts: string[], zone: string): DayGrid['offsets'] {
  const out: DayGrid['offsets'] = [];
  let cur = offsetAt(Date.parse(starts[0]), zone);
  for (let i = 1; i < starts.length; i++) {
    const next = offsetAt(Date.parse(starts[i]), zone);
    if (next === cur) continue;
    let lo = Date.parse(starts[i - 1]);
    let hi = Date.parse(starts[i]);
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(mid, zone) === cur) lo = mid;
      else hi = mid;
    }
    out.push({ until: new Date(hi).toISOString(), minutes: cur });
    cur = next;
  }
  out.push({ until: null, minutes: cur });
  return out;
}

/** SQL cutting an ISO timestamp column to its UTC bucket ('2026-03-08T10' or '2026-03-08T10:15'). */
export function bucketSql(col: string, b: Bucket): string {
  return b === 'hour' ? `substr(${col}, 1, 13)` : `substr(${col}, 1, 14) || printf('%02d', (CAST(substr(${col}, 15, 2) AS INTEGER) / 15) * 15)`;
}

/** The instant a bucket key names, comparable with the grid's starts. */
export function bucketStart(key: string, b: Bucket): string {
  return b === 'hour' ? `${key}:00:00.000Z` : `${key}:00.000Z`;
}

/**
 * SQL for the clinic-local date ('YYYY-MM-DD') of an ISO timestamp column inside the grid's range:
 * one offset per stretch between DST changes. Parameters @lu0.., @lo0.. come from localDayParams.
 */
export function localDaySql(col: string, stretches: number): string {
  if (stretches === 1) return `date(${col}, @lo0)`;
  const whens = Array.from({ length: stretches - 1 }, (_, i) => `WHEN ${col} < @lu${i} THEN date(${col}, @lo${i})`);
  return `CASE ${whens.join(' ')} ELSE date(${col}, @lo${stretches - 1}) END`;
}

export function localDayParams(g: DayGrid): Record<string, string> {
  const p: Record<string, string> = {};
  g.offsets.forEach((o, i) => {
    p[`lo${i}`] = `${o.minutes >= 0 ? '+' : ''}${o.minutes} minutes`;
    if (o.until) p[`lu${i}`] = o.until;
  });
  return p;
}
