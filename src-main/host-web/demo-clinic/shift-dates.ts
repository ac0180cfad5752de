/**
 * Moves every date of the demo export by whole calendar days, so the demo clinic always has
 * services coming due and appointments today and tomorrow, whatever day the demo starts.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { col, parseRawCsv, unquote, writeRawCsv } from './csv';

/** Pulse date columns (MM/DD/YYYY, appointments with 'hh:mm AM'). */
export const DATE_COLUMNS = ['DOB', 'DOD', 'DateGiven', 'DueDate', 'ServiceDate', 'StartDateTime'];

const DATE = /^(\d{2})\/(\d{2})\/(\d{4})(.*)$/;

/** Shifts one raw cell ('"12/01/2026"', '12/01/2026 08:30 AM'); anything else is left alone. */
export function shiftCell(raw: string, days: number): string {
  const quoted = raw.trim().startsWith('"');
  const m = DATE.exec(unquote(raw).trim());
  if (!m) return raw;
  const d = DateTime.fromObject({ year: Number(m[3]), month: Number(m[1]), day: Number(m[2]) }, { zone: 'utc' });
  if (!d.isValid) return raw;
  const text = d.plus({ days }).toFormat('MM/dd/yyyy') + m[4];
  return quoted ? `"${text}"` : text;
}

export function shiftCsvText(text: string, days: number): string {
  const csv = parseRawCsv(text);
  const cols = DATE_COLUMNS.map((c) => col(csv, c)).filter((i) => i >= 0);
  if (!cols.length || days === 0) return text;
  for (const row of csv.rows) for (const i of cols) if (row[i] !== undefined) row[i] = shiftCell(row[i]!, days);
  return writeRawCsv(csv);
}

/** Whole days from one ISO date to another ('2026-12-01' -> '2027-03-15'). */
export function daysBetween(fromIso: string, toIso: string): number {
  const a = DateTime.fromISO(fromIso, { zone: 'utc' }).startOf('day');
  const b = DateTime.fromISO(toIso, { zone: 'utc' }).startOf('day');
  return Math.round(b.diff(a, 'days').days);
}

/** Copies every CSV of `srcDir` into `outDir` with its dates moved by `days`. Returns the files written. */
export function writeShiftedExport(srcDir: string, outDir: string, days: number): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of readdirSync(srcDir).filter((n) => n.toLowerCase().endsWith('.csv')).sort()) {
    const text = readFileSync(path.join(srcDir, name), 'utf8');
    const out = path.join(outDir, name);
    writeFileSync(out, shiftCsvText(text, days));
    written.push(out);
  }
  return written;
}
