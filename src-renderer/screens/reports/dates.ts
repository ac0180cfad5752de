/** Calendar arithmetic on 'YYYY-MM-DD' strings, and "today" in the clinic's zone. */

export function todayIn(timeZone: string | undefined, now = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

export function addDays(day: string, n: number): string {
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export type PresetId = 'last7' | 'last30' | 'month';

export const PRESETS: { id: PresetId; label: string }[] = [
  { id: 'last7', label: 'Last 7 days' },
  { id: 'last30', label: 'Last 30 days' },
  { id: 'month', label: 'This month' },
];

export function presetRange(id: PresetId, today: string): { from: string; to: string } {
  if (id === 'last7') return { from: addDays(today, -6), to: today };
  if (id === 'last30') return { from: addDays(today, -29), to: today };
  return { from: `${today.slice(0, 8)}01`, to: today };
}

const short = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const long = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** 'Mar 7' for chart axes. */
export function dayLabel(day: string): string {
  return short.format(new Date(`${day}T00:00:00Z`));
}

/** 'Sat, Mar 7, 2026' for tables. */
export function dayLong(day: string): string {
  return long.format(new Date(`${day}T00:00:00Z`));
}
