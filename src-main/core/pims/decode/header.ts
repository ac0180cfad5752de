/** How many leading rows are considered when looking for the header. */
export const HEADER_SEARCH_ROWS = 30;

function normalizeName(s: string): string {
  return s
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function nonEmpty(row: readonly string[]): string[] {
  return row.map((c) => c.trim()).filter((c) => c !== '');
}

/** A value that reads as data rather than a column label: a number, date, amount, phone. */
function looksLikeData(cell: string): boolean {
  return /^[\d\s.,:/\-+()$%#]+$/.test(cell) || /@/.test(cell);
}

function mostCommonWidth(rows: readonly (readonly string[])[]): number {
  const freq = new Map<number, number>();
  for (const r of rows) {
    const w = nonEmpty(r).length === 0 ? 0 : r.length;
    if (w > 0) freq.set(w, (freq.get(w) ?? 0) + 1);
  }
  let best = 0;
  let bestF = 0;
  for (const [w, f] of freq) {
    if (f > bestF || (f === bestF && w > best)) {
      best = w;
      bestF = f;
    }
  }
  return best;
}

/**
 * Index of the header row among the first parsed rows of a file. Reports saved from a PIMS or
 * from Excel put a title ('Clinic Client List,Printed 12/01/2026') and blank lines above it.
 *
 * With hints (column names a layout expects), the row matching most hints wins. Without, it is
 * the first row that is about as wide as the data below it, has distinct non-empty cells, and whose
 * cells read as labels rather than values. Falls back to 0.
 */
export function findHeaderLine(lines: readonly (readonly string[])[], expectedHints?: readonly string[]): number {
  const rows = lines.slice(0, HEADER_SEARCH_ROWS);
  if (expectedHints && expectedHints.length > 0) {
    const hints = new Set(expectedHints.map(normalizeName).filter((h) => h !== ''));
    let best = -1;
    let bestHits = 0;
    rows.forEach((row, i) => {
      const hits = new Set(row.map(normalizeName).filter((c) => hints.has(c))).size;
      if (hits > bestHits) {
        best = i;
        bestHits = hits;
      }
    });
    if (best >= 0 && bestHits >= Math.min(2, hints.size)) return best;
  }

  const width = mostCommonWidth(rows);
  const minWidth = Math.max(2, Math.ceil(width * 0.6));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const cells = nonEmpty(row);
    if (row.length < minWidth || cells.length < Math.max(2, Math.ceil(row.length * 0.5))) continue;
    // A repeated name (Phone, Phone) is allowed, but a row of mostly repeats is not a header.
    if (new Set(cells.map(normalizeName)).size < cells.length * 0.75) continue;
    const dataLike = cells.filter(looksLikeData).length;
    if (dataLike > cells.length * 0.2) continue;
    return i;
  }
  return 0;
}

export interface HeaderRename {
  /** Column position, 0-based. */
  index: number;
  /** The name as written in the file (after trimming). */
  name: string;
  renamedTo: string;
}

export interface DedupedHeaders {
  names: string[];
  /** Columns whose name repeated an earlier one and were renamed Name_2, Name_3, ... */
  duplicates: HeaderRename[];
  /** Columns with no name, named Column_N (N = 1-based position). */
  blanks: HeaderRename[];
}

/**
 * Makes column names unique so no value is silently overwritten: a second 'Phone' becomes
 * 'Phone_2' (compared case-insensitively, since mappings match names that way). Names are trimmed
 * and a stray BOM is removed.
 */
export function dedupeHeaders(names: readonly string[]): DedupedHeaders {
  const out: string[] = [];
  const duplicates: HeaderRename[] = [];
  const blanks: HeaderRename[] = [];
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  // Names as written are reserved first, so a literal 'Phone_2' column is never renamed onto.
  const written = names.map((n) => n.replace(/^\uFEFF/, '').trim());
  for (const n of written) if (n !== '') taken.add(n.toLowerCase());

  written.forEach((name, index) => {
    if (name === '' || name === '__proto__') {
      let candidate = `Column_${index + 1}`;
      for (let k = 2; taken.has(candidate.toLowerCase()); k++) candidate = `Column_${index + 1}_${k}`;
      taken.add(candidate.toLowerCase());
      out.push(candidate);
      blanks.push({ index, name, renamedTo: candidate });
      return;
    }
    const key = name.toLowerCase();
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count === 1) {
      out.push(name);
      return;
    }
    let k = count;
    let candidate = `${name}_${k}`;
    while (taken.has(candidate.toLowerCase())) candidate = `${name}_${++k}`;
    taken.add(candidate.toLowerCase());
    out.push(candidate);
    duplicates.push({ index, name, renamedTo: candidate });
  });
  return { names: out, duplicates, blanks };
}
