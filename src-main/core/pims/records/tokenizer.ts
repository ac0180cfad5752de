/**
 * An incremental tokenizer for delimited text (CSV, TSV, pipe). It exists beside decode/'s
 * csv-parse reader because the import's budget is about twice what sqlite3's own .import needs
 * for the same bytes, and csv-parse with per-record objects takes several times that on a full
 * clinic export. Semantics match decode/readRecords: quoted fields may hold delimiters, doubled
 * quotes and line breaks; a quote inside an unquoted field is plain text; CRLF, LF and CR end a
 * record; blank records are skipped; line numbers are physical (what an editor shows).
 */

export interface RawRow {
  /** Physical 1-based line the record starts on. */
  line: number;
  fields: string[];
}

export class UnclosedQuoteError extends Error {
  constructor(readonly line: number) {
    super(`Line ${line}: a quoted field is never closed; check for a stray " near that line`);
    this.name = 'UnclosedQuoteError';
  }
}

const LF = 10;
const CR = 13;

function lineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  if (n === 0) for (let i = s.indexOf('\r'); i >= 0; i = s.indexOf('\r', i + 1)) n++;
  return n;
}

export class DelimitedTokenizer {
  private rest = '';
  private line = 1;
  private readonly d: number;
  private readonly q: number;

  constructor(
    private readonly delimiter: string,
    private readonly quote: string | false = '"',
    private readonly maxRecordChars = 1_000_000,
  ) {
    this.d = delimiter.charCodeAt(0);
    this.q = quote === false ? -1 : quote.charCodeAt(0);
  }

  /** Appends text; complete records go to out. */
  push(text: string, out: RawRow[]): void {
    this.parse(this.rest.length ? this.rest + text : text, false, out);
  }

  /** End of input: the last record needs no line break. */
  end(out: RawRow[]): void {
    if (this.rest.length) this.parse(this.rest, true, out);
    this.rest = '';
  }

  private parse(s: string, final: boolean, out: RawRow[]): void {
    const n = s.length;
    const d = this.d;
    const q = this.q;
    const delim = this.delimiter;
    const quoteChar = this.quote === false ? '' : this.quote;
    let pos = 0;
    let line = this.line;
    // Cached next positions; recomputed only once passed, so each byte is scanned O(1) times.
    let nextD = -1;
    let nextLf = -1;
    let nextCr = -1;
    const findEol = (from: number): number => {
      if (nextLf < from && nextLf !== n) {
        nextLf = s.indexOf('\n', from);
        if (nextLf < 0) nextLf = n;
      }
      if (nextCr < from && nextCr !== n) {
        nextCr = s.indexOf('\r', from);
        if (nextCr < 0) nextCr = n;
      }
      return nextLf < nextCr ? nextLf : nextCr;
    };
    const findD = (from: number): number => {
      if (nextD < from && nextD !== n) {
        nextD = s.indexOf(delim, from);
        if (nextD < 0) nextD = n;
      }
      return nextD;
    };

    records: while (pos < n) {
      const startLine = line;
      const fields: string[] = [];
      let inner = 0;
      let i = pos;
      let recordEnd = -1; // index of the line break (or n) ending the record
      for (;;) {
        if (q >= 0 && i < n && s.charCodeAt(i) === q) {
          // Quoted field.
          let j = i + 1;
          let seg = j;
          let val = '';
          for (;;) {
            const k = s.indexOf(quoteChar, j);
            if (k < 0 || (k + 1 >= n && !final)) {
              if (final && k < 0) throw new UnclosedQuoteError(startLine);
              break records; // wait for more text
            }
            if (s.charCodeAt(k + 1) === q) {
              val += s.slice(seg, k + 1);
              j = k + 2;
              seg = j;
              continue;
            }
            val += s.slice(seg, k);
            i = k + 1;
            break;
          }
          // Text after the closing quote up to the next delimiter is kept (relaxed quotes).
          const eol = findEol(i);
          const nd = findD(i);
          const stop = nd < eol ? nd : eol;
          if (stop > i) val += s.slice(i, stop);
          inner += lineBreaks(val);
          fields.push(val);
          if (stop === nd && nd < n) {
            i = nd + 1;
            continue;
          }
          if (stop >= n && !final) break records;
          recordEnd = stop;
          break;
        }
        const eol = findEol(i);
        const nd = findD(i);
        if (nd < eol) {
          fields.push(s.slice(i, nd));
          i = nd + 1;
          continue;
        }
        if (eol >= n && !final) break records;
        fields.push(s.slice(i, eol));
        recordEnd = eol;
        break;
      }
      // Consume the line break; a CR at the very end may be half of a CRLF still to come.
      let next = recordEnd;
      if (recordEnd < n) {
        const c = s.charCodeAt(recordEnd);
        if (c === CR) {
          if (recordEnd + 1 >= n && !final) break;
          next = s.charCodeAt(recordEnd + 1) === LF ? recordEnd + 2 : recordEnd + 1;
        } else next = recordEnd + 1;
      }
      pos = next;
      line = startLine + inner + 1;
      let blank = true;
      for (let f = 0; f < fields.length; f++) {
        if (fields[f].length !== 0 && fields[f].trim().length !== 0) {
          blank = false;
          break;
        }
      }
      if (!blank) out.push({ line: startLine, fields });
    }
    this.rest = pos < n ? s.slice(pos) : '';
    this.line = line;
    if (this.rest.length > this.maxRecordChars) throw new UnclosedQuoteError(line);
  }
}
