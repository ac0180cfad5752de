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
  /** Index of the day an ISO instant falls on, or -1 outside the range. */
  indexOf(iso: string): number;
}

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
  return {
    days,
    starts,
    from,
    to,
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

/**
 * SQL that cuts an ISO timestamp column to its UTC quarter hour ('2026-03-08T10:15'). Every zone's
 * offset is a whole number of quarter hours, so a quarter never straddles a local midnight: the
 * database groups thousands of rows into a few hundred quarters, and only those are looked up.
 */
export function quarterSql(col: string): string {
  return `substr(${col}, 1, 14) || printf('%02d', (CAST(substr(${col}, 15, 2) AS INTEGER) / 15) * 15)`;
}

/** The instant a quarter-hour key names, comparable with the grid's starts. */
export function quarterStart(q: string): string {
  return `${q}:00.000Z`;
}
