export type Delimiter = ',' | ';' | '\t' | '|';

/** Checked in this order; on a perfect tie the earlier one wins. */
export const DELIMITERS: readonly Delimiter[] = [',', '\t', ';', '|'];

const MAX_RECORDS = 200;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const FORM_FEED = 0x0c;

/**
 * Delimiters per record outside quotes, for one candidate. A quote only opens a quoted field at
 * the start of a field *for this candidate*, so a stray quote (5'10", Call "Mom") inside an
 * unquoted field does not swallow the rest of the sample, and a quoted field may hold the
 * other candidates and newlines without counting them.
 */
function countsFor(text: string, d: string): number[] {
  const counts: number[] = [];
  const dc = d.charCodeAt(0);
  let count = 0;
  let fieldStart = true;
  let inQuotes = false;
  let blank = true;
  const n = text.length;
  for (let i = 0; i < n && counts.length < MAX_RECORDS; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === QUOTE && fieldStart) {
      inQuotes = true;
      fieldStart = false;
      blank = false;
      continue;
    }
    if (c === dc) {
      count++;
      fieldStart = true;
      blank = false;
      continue;
    }
    if (c === LF || c === CR) {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      if (!blank) counts.push(count);
      count = 0;
      fieldStart = true;
      blank = true;
      continue;
    }
    fieldStart = false;
    if (c !== SPACE && c !== FORM_FEED) blank = false;
  }
  // The last record counts only if the sample visibly ends it; otherwise it may be cut short.
  if (!blank && !inQuotes && (counts.length === 0 || /[\r\n]$/.test(text))) counts.push(count);
  return counts;
}

interface Score {
  d: Delimiter;
  /** Records having the most common non-zero count. */
  agreeing: number;
  /** That count: the number of fields minus one. */
  width: number;
}

function score(text: string, d: Delimiter): Score {
  const freq = new Map<number, number>();
  for (const c of countsFor(text, d)) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
  let agreeing = 0;
  let width = 0;
  for (const [w, f] of freq) {
    if (f > agreeing || (f === agreeing && w > width)) {
      agreeing = f;
      width = w;
    }
  }
  return { d, agreeing, width };
}

/**
 * Picks the delimiter whose per-record count is the same on the most records: title lines above
 * the header and quoted fields full of commas barely move that, while a wrong candidate that only
 * appears inside text gives scattered counts. Defaults to ',' when nothing is delimited.
 */
export function detectDelimiter(sampleText: string): Delimiter {
  let best: Score = { d: ',', agreeing: 0, width: 0 };
  for (const d of DELIMITERS) {
    const s = score(sampleText, d);
    if (s.agreeing > best.agreeing || (s.agreeing === best.agreeing && s.width > best.width)) best = s;
  }
  return best.d;
}
