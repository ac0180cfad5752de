import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, TokenizeError, type TokenRow } from '../../../src-main/core/pims/decode/tokenizer';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DELIMS = [',', ';', '\t', '|'];
const EOLS = ['\r\n', '\n'];

interface Generated {
  text: string;
  rows: { fields: string[]; line: number }[];
}

/** A random file with every trait: quoted delimiters, doubled quotes, line breaks in quotes, stray quotes, blank lines. */
function generate(r: () => number, d: string, eol: string): Generated {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const plainChars = ['a', 'b', 'Z', '1', ' ', 'é', 'ô', '🐶', '"', "'", ...DELIMS.filter((x) => x !== d)];
  const quotedChars = [...plainChars, d, '"', '\n', '\r\n', '\r'];
  const word = (chars: string[], n: number) => Array.from({ length: n }, () => pick(chars)).join('');
  let text = '';
  let line = 1;
  const rows: Generated['rows'] = [];
  const nRows = 1 + Math.floor(r() * 25);
  for (let i = 0; i < nRows; i++) {
    while (r() < 0.15) {
      text += eol;
      line++;
    }
    const nFields = 1 + Math.floor(r() * 6);
    const fields: string[] = [];
    const written: string[] = [];
    let breaks = 0;
    for (let f = 0; f < nFields; f++) {
      const kind = f === 0 ? 'first' : pick(['plain', 'plain', 'quoted', 'empty']);
      if (kind === 'first') {
        const v = 'r' + word(['a', 'b', '1'], 1 + Math.floor(r() * 4));
        fields.push(v);
        written.push(r() < 0.3 ? `"${v}"` : v);
      } else if (kind === 'plain') {
        let v = word(plainChars, Math.floor(r() * 8));
        if (v.startsWith('"')) v = 'x' + v;
        fields.push(v);
        written.push(v);
      } else if (kind === 'quoted') {
        const v = word(quotedChars, Math.floor(r() * 10));
        fields.push(v);
        written.push(`"${v.replace(/"/g, '""')}"`);
        breaks += (v.match(/\r\n|\r|\n/g) ?? []).length;
      } else {
        fields.push('');
        written.push('');
      }
    }
    rows.push({ fields, line });
    text += written.join(d);
    line += breaks;
    if (i < nRows - 1 || r() < 0.5) {
      text += eol;
      line++;
    }
  }
  return { text, rows };
}

function tokenizeInChunks(text: string, d: string, r: () => number): TokenRow[] {
  const tok = new CsvTokenizer({ delimiter: d, quote: '"', maxRecordChars: 1_000_000 });
  const out: TokenRow[] = [];
  let i = 0;
  while (i < text.length) {
    const n = 1 + Math.floor(r() * 40);
    tok.push(text.slice(i, i + n), out);
    i += n;
  }
  tok.end(out);
  return out;
}

describe('CsvTokenizer', () => {
  it('agrees with csv-parse and with the written line numbers on 400 random files fed in random chunks', () => {
    const r = rng(20261201);
    for (let n = 0; n < 400; n++) {
      const d = DELIMS[n % 4];
      const eol = EOLS[Math.floor(n / 4) % 2];
      const g = generate(r, d, eol);
      const ours = tokenizeInChunks(g.text, d, r);
      const reference = parse(g.text, {
        delimiter: d,
        record_delimiter: eol,
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
      }) as string[][];
      expect(ours.map((x) => x.fields)).toEqual(g.rows.map((x) => x.fields));
      expect(reference).toEqual(g.rows.map((x) => x.fields));
      expect(ours.map((x) => x.line)).toEqual(g.rows.map((x) => x.line));
    }
  });

  it('waits for the LF after a CR that ends a chunk', () => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 1000 });
    expect(tok.push('a,b\r')).toEqual([]);
    expect(tok.push('\nc,d\r\n')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['c', 'd'], line: 2 },
    ]);
    expect(tok.end()).toEqual([]);
  });

  it('accepts old Mac CR-only line ends and a last line without a line break', () => {
    const tok = new CsvTokenizer({ delimiter: '|', quote: '"', maxRecordChars: 1000 });
    const rows = [...tok.push('A|B\r1|x\r\r2|y'), ...tok.end()];
    expect(rows).toEqual([
      { fields: ['A', 'B'], line: 1 },
      { fields: ['1', 'x'], line: 2 },
      { fields: ['2', 'y'], line: 4 },
    ]);
  });

  it('skips rows whose fields are all empty or blank', () => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 1000 });
    const rows = [...tok.push('a,b\n,,\n , \n"",""\n1,2\n'), ...tok.end()];
    expect(rows).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 5 },
    ]);
  });

  it('keeps text after a closing quote instead of failing the file', () => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 1000 });
    expect([...tok.push('"5\'10"" tall" guy,x\n'), ...tok.end()]).toEqual([{ fields: ['5\'10" tall guy', 'x'], line: 1 }]);
  });

  it('treats quotes as text when quoting is off', () => {
    const tok = new CsvTokenizer({ delimiter: '|', quote: false, maxRecordChars: 1000 });
    expect([...tok.push('"Bubba" Smith|"x\n'), ...tok.end()]).toEqual([{ fields: ['"Bubba" Smith', '"x'], line: 1 }]);
  });

  it('reports an unclosed quote with the line its record starts on', () => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 1_000_000 });
    tok.push('a,b\n1,2\n3,"never closed\nmore\n');
    try {
      tok.end();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TokenizeError);
      expect(err).toMatchObject({ code: 'QUOTE_NOT_CLOSED', line: 3 });
    }
  });

  it('stops a runaway record at maxRecordChars', () => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 100 });
    tok.push('a,b\n');
    expect(() => tok.push('1,"' + 'x'.repeat(200))).toThrow(/longer than 100/);
  });

  it('tells a line that is too long from a quote that never closes', () => {
    const long = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 100 });
    long.push('a,b\n');
    expect(() => long.push('1,' + 'x'.repeat(200))).toThrow(expect.objectContaining({ code: 'LINE_TOO_LONG', line: 2, message: expect.stringMatching(/^Line 2 is longer than 100 characters/) }));
    const quoted = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 100 });
    quoted.push('a,b\n');
    expect(() => quoted.push('1,"' + 'x\n'.repeat(100))).toThrow(expect.objectContaining({ code: 'RECORD_TOO_LARGE', line: 2, message: expect.stringMatching(/quoted field is never closed/) }));
  });
});
