/**
 * A field-preserving CSV reader/writer for the demo export. Fields keep their raw text (quotes
 * included) so rewriting a few date cells leaves every other byte of a PIMS export as it was:
 * the demo should look like a real Covetrus Pulse export, quirks and all.
 */

export interface RawCsv {
  bom: boolean;
  eol: '\r\n' | '\n';
  header: string[];
  /** Raw field text, quotes included. */
  rows: string[][];
}

/** Splits text into records of raw fields; quoted fields may hold commas, quotes and newlines. */
export function parseRawCsv(text: string): RawCsv {
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const records: string[][] = [];
  let fields: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === ',' || ch === '\n' || ch === undefined) {
      const end = ch === '\n' && text[i - 1] === '\r' ? i - 1 : i;
      fields.push(text.slice(start, end));
      start = i + 1;
      if (ch !== ',') {
        if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
        fields = [];
      }
    }
  }
  const [header = [], ...rows] = records;
  return { bom, eol, header: header.map(unquote), rows };
}

export function unquote(raw: string): string {
  const t = raw.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : raw;
}

/** Quotes like Pulse does for text: always, doubling inner quotes. */
export function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

export function writeRawCsv(csv: RawCsv, headerRaw?: string[]): string {
  const lines = [(headerRaw ?? csv.header).join(','), ...csv.rows.map((r) => r.join(','))];
  return (csv.bom ? '\ufeff' : '') + lines.join(csv.eol) + csv.eol;
}

/** Column index by header name (case-insensitive); -1 when absent. */
export function col(csv: RawCsv, name: string): number {
  const n = name.toLowerCase();
  return csv.header.findIndex((h) => h.toLowerCase() === n);
}
