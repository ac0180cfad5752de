import { ApiError } from '../../shared/errors';
import { cleanName, cleanText, parseBool, parseDate, parseDateTime, parseTime, type ParseDateOptions } from '../values';
import type { BindContext, Emitter } from './types';

/** Header names compared without case, spaces or punctuation: 'E-mail' = 'email', 'Client #' = 'client'. */
export function normHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/#/g, 'no')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export class Columns {
  private readonly byName = new Map<string, number>();

  constructor(readonly headers: readonly string[]) {
    headers.forEach((h, i) => {
      const k = normHeader(h);
      if (!this.byName.has(k)) this.byName.set(k, i);
    });
  }

  /** Index of the first alias present, -1 when none is. */
  idx(...aliases: string[]): number {
    for (const a of aliases) {
      const i = this.byName.get(normHeader(a));
      if (i !== undefined) return i;
    }
    return -1;
  }

  /** The column's name as the file writes it ('' for an absent one), for problem reports. */
  name(i: number): string {
    return i >= 0 && i < this.headers.length ? this.headers[i] : '';
  }

  has(...names: string[]): boolean {
    return names.every((n) => this.byName.has(normHeader(n)));
  }

  require(file: string, ...aliases: string[]): number {
    const i = this.idx(...aliases);
    if (i < 0) throw new ApiError('import.missing-column', `${file}: the column "${aliases[0]}" is missing, so this file cannot be imported with this layout. Check the export settings, or map the columns by hand.`);
    return i;
  }
}

/** Share of `names` present in headers (0..1); 0 unless every one of `required` is there. */
export function headerScore(headers: readonly string[], required: readonly string[], optional: readonly string[] = []): number {
  const have = new Set(headers.map(normHeader));
  if (!required.every((r) => have.has(normHeader(r)))) return 0;
  const all = [...required, ...optional];
  const hits = all.filter((n) => have.has(normHeader(n))).length;
  return hits / all.length;
}

/**
 * Remembers a pure function's results for repeated inputs. Exports repeat the same first names,
 * breeds and dates tens of thousands of times; parsing each once is most of the saving.
 */
export function memo<T>(fn: (s: string) => T, max = 50_000): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) {
      v = fn(s);
      if (cache.size >= max) cache.clear();
      cache.set(s, v);
    }
    return v as T;
  };
}

/** Printable ASCII without surrounding spaces: what cleanText would return unchanged. */
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Longest appointment Pawline takes as written (two weeks, for boarding); past it the cell is a mistake. */
export const MAX_DURATION_MIN = 14 * 24 * 60;
/** Longest recall interval taken as written (a hundred years). */
export const MAX_RECALL_DAYS = 36_500;

/** A cell's value as a problem report quotes it: trimmed, and short. */
const shown = (v: string): string => {
  const t = v.trim();
  return t.length > 40 ? `${t.slice(0, 40)}...` : t;
};

/** Typed readers over a row's fields; -1 indexes (absent columns) read as null. */
export function readers(ctx: BindContext, dateOpts: ParseDateOptions = {}) {
  const dopts: ParseDateOptions = { referenceYear: ctx.referenceYear, ...dateOpts };
  const raw = (f: string[], i: number): string | null => (i < 0 || i >= f.length ? null : f[i]);
  const name = memo((s) => cleanName(s));
  const date = memo((s) => parseDate(s, dopts));
  return {
    raw,
    text: (f: string[], i: number): string | null => {
      const v = raw(f, i);
      if (v === null || v === '') return null;
      return PLAIN.test(v) ? v : cleanText(v);
    },
    name: (f: string[], i: number): string | null => {
      const v = raw(f, i);
      return v === null || v === '' ? null : name(v);
    },
    id: (f: string[], i: number): string | null => {
      const v = raw(f, i);
      if (v == null) return null;
      const t = v.trim();
      return t === '' ? null : t;
    },
    bool: (f: string[], i: number, dflt: boolean): boolean => parseBool(raw(f, i)) ?? dflt,
    /**
     * A yes/no cell: empty reads as `empty`; a value that is neither yes nor no is reported (with
     * the value) and read as `unknownAs`, which for opt-outs and suspensions is yes: a guess must
     * not send a message the PIMS may have ruled out.
     */
    flag: (f: string[], i: number, emit: Emitter, line: number, column: string, empty: boolean, unknownAs: boolean = empty): boolean => {
      const v = raw(f, i);
      if (v === null || v.trim() === '') return empty;
      const b = parseBool(v);
      if (b !== null) return b;
      const how = unknownAs === empty ? `read as ${unknownAs ? 'yes' : 'no'}` : `treated as ${unknownAs ? 'yes' : 'no'} to be safe`;
      emit.problem(line, `${column}: "${shown(v)}" is not a yes/no value; ${how}. Fix it in the PIMS and export again.`, 'warning', 'bad-flag');
      return unknownAs;
    },
    /**
     * A yes/no cell the record cannot do without (a pet's Deceased flag): a value that is neither
     * yes nor no is a row error and gives undefined, and the caller skips the record.
     */
    strictFlag: (f: string[], i: number, emit: Emitter, line: number, column: string, empty: boolean, what: string): boolean | undefined => {
      const v = raw(f, i);
      if (v === null || v.trim() === '') return empty;
      const b = parseBool(v);
      if (b !== null) return b;
      emit.problem(line, `${column}: "${shown(v)}" is not a yes/no value, so the ${what} was not imported. Fix it in the PIMS and export again.`, 'error', 'bad-flag');
      return undefined;
    },
    /**
     * A whole number in [min, max] (a duration, a count of days); empty gives null. Anything else
     * (text, 1e309, a negative duration) is reported with its value and read as null.
     */
    int: (f: string[], i: number, emit: Emitter, line: number, column: string, min: number, max: number): number | null => {
      const v = raw(f, i);
      if (v == null) return null;
      const t = v.trim().replace(/,/g, '');
      if (t === '') return null;
      const n = Number(t);
      if (Number.isFinite(n) && n >= min && n <= max) return Math.round(n);
      emit.problem(line, `${column}: "${shown(v)}" is not a number from ${min} to ${max.toLocaleString('en-US')}; left empty`, 'warning', 'bad-number');
      return null;
    },
    /** A date, or null; a value that is not empty and not a date is reported and read as null. */
    date: (f: string[], i: number, emit: Emitter, line: number, column: string): string | null => {
      const v = raw(f, i);
      if (v == null || v.trim() === '') return null;
      const d = date(v);
      if (d === null) emit.problem(line, `${column}: "${v.trim().slice(0, 40)}" is not a date; left empty`, 'warning', 'bad-date');
      else if (v.length <= 14 && /^\s*\d{5}(\.\d+)?\s*$/.test(v)) emit.note('rowsWithExcelSerialDates', line);
      return d;
    },
    dateTime: (f: string[], i: number) => parseDateTime(raw(f, i), dopts),
    time: (f: string[], i: number, minutes = false) => parseTime(raw(f, i), { minutesAfterMidnight: minutes }),
    num: (f: string[], i: number): number | null => {
      const v = raw(f, i);
      if (v == null) return null;
      const t = v.trim().replace(/,/g, '');
      if (t === '') return null;
      const n = Number(t);
      return Number.isFinite(n) ? n : null;
    },
  };
}

export type Readers = ReturnType<typeof readers>;
