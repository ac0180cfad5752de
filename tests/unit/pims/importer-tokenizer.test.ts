import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_HEADER_HINTS } from '../../../src-main/core/pims/layouts';
import { readRows, sniffFile } from '../../../src-main/core/pims/records/read';
import { DelimitedTokenizer, UnclosedQuoteError, type RawRow } from '../../../src-main/core/pims/records/tokenizer';
import { tempDir } from '../../helpers/tmp';

/** Feeds text in pieces cut at the given sizes (cycled), as a stream would. */
function tokenize(text: string, cuts: number[], delimiter = ',', quote: string | false = '"'): RawRow[] {
  const tok = new DelimitedTokenizer(delimiter, quote);
  const out: RawRow[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = Math.max(1, cuts[k++ % cuts.length]);
    tok.push(text.slice(i, i + n), out);
    i += n;
  }
  tok.end(out);
  return out;
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['a', 'B', ' ', ',', ';', '"', '\n', '\r\n', 'é', '“', 'x', '1', '\t', '|'];

function randomField(r: () => number): string {
  const len = Math.floor(r() * 8);
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function quoteField(s: string, d: string): string {
  return /[",\r\n;|\t]/.test(s) || s.includes(d) ? `"${s.replace(/"/g, '""')}"` : s;
}

describe('DelimitedTokenizer', () => {
  it('agrees with csv-parse on random quoted content cut at random places', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const d = [',', ';', '\t', '|'][seed % 4];
      const eol = seed % 3 === 0 ? '\n' : '\r\n';
      const rows: string[][] = [];
      for (let i = 0; i < 25; i++) {
        const width = 1 + Math.floor(r() * 5);
        const row = Array.from({ length: width }, () => randomField(r));
        if (row.every((f) => f.trim() === '')) row[0] = 'x';
        rows.push(row);
      }
      const text = rows.map((row) => row.map((f) => quoteField(f, d)).join(d)).join(eol) + eol;
      const expected = parse(text, { delimiter: d, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true }) as string[][];
      const cuts = Array.from({ length: 7 }, () => 1 + Math.floor(r() * 40));
      expect(tokenize(text, cuts, d).map((x) => x.fields), `seed ${seed}`).toEqual(expected);
    }
  });

  it('gives the physical line each record starts on, across quoted line breaks', () => {
    const text = 'id,note\r\n1,"two\r\nlines"\r\n\r\n2,plain\r\n3,"a\nb\nc"\r\n4,end';
    const rows = tokenize(text, [3, 5, 1]);
    expect(rows.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'id'],
      [2, '1'],
      [5, '2'],
      [6, '3'],
      [9, '4'],
    ]);
    expect(rows[1].fields[1]).toBe('two\r\nlines');
  });

  it('treats a quote inside an unquoted field as text (5\'10", Call "Mom")', () => {
    expect(tokenize('a,Call "Mom" first,5\'10"\n', [100]).map((r) => r.fields)).toEqual([['a', 'Call "Mom" first', '5\'10"']]);
  });

  it('reads CR-only line ends and skips blank and all-empty records', () => {
    expect(tokenize('a,b\r1,2\r\r,\r3,4', [2]).map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('does not split a CRLF that arrives in two pieces', () => {
    const rows = tokenize('a\r\nb\r\nc', [2, 1, 2]);
    expect(rows.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('reports an unclosed quote with the line it starts on', () => {
    expect(() => tokenize('h1,h2\n1,ok\n2,"never closed\n3,x\n', [4])).toThrow(UnclosedQuoteError);
    try {
      tokenize('h1,h2\n1,ok\n2,"never closed\n3,x\n', [4]);
    } catch (e) {
      expect((e as UnclosedQuoteError).line).toBe(3);
    }
  });

  it('stops at the largest record size instead of swallowing the file', () => {
    const tok = new DelimitedTokenizer(',', '"', 50);
    expect(() => tok.push('a,"' + 'x'.repeat(100), [])).toThrow(/never closed/);
  });

  it('with quoting off, a quote is ordinary text (pipe files)', () => {
    expect(tokenize('"Bob|Sonny"|2\n', [3], '|', false).map((r) => r.fields)).toEqual([['"Bob', 'Sonny"', '2']]);
  });
});

describe('sniffFile / readRows', () => {
  const t = tempDir('pawline-rows-');
  afterAll(() => t.cleanup());

  it('finds the header under a title line and blank line, with the BOM dropped', async () => {
    const f = path.join(t.dir, 'report.csv');
    writeFileSync(f, '\uFEFFClinic Client List,Printed 12/01/2026\r\n\r\nClient #,Client Name,Phone\r\n1,"Abdi, Ana",555\r\n');
    // With so few columns the title could pass for a header: the layouts' column names decide.
    const s = await sniffFile(f, { headerHints: ALL_HEADER_HINTS });
    expect(s.info).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', headerLine: 3, headers: ['Client #', 'Client Name', 'Phone'], rowsAboveHeader: 1 });
    const rows: RawRow[] = [];
    for await (const b of readRows(f, s.info)) rows.push(...b);
    expect(rows).toEqual([{ line: 4, fields: ['1', 'Abdi, Ana', '555'] }]);
  });

  it('detects Windows-1252 and never produces U+FFFD; renames a repeated header', async () => {
    const f = path.join(t.dir, 'cp.csv');
    writeFileSync(f, iconv.encode('Nom;Prénom;Tél;Tél\r\nCôté;Stéphanie;1;2\r\n', 'windows-1252'));
    const s = await sniffFile(f);
    expect(s.info).toMatchObject({ encoding: 'windows-1252', delimiter: ';', headers: ['Nom', 'Prénom', 'Tél', 'Tél_2'] });
    const rows: RawRow[] = [];
    for await (const b of readRows(f, s.info)) rows.push(...b);
    expect(rows[0].fields).toEqual(['Côté', 'Stéphanie', '1', '2']);
    expect(JSON.stringify(rows)).not.toContain('\uFFFD');
  });

  it('streams a file larger than its read block with correct rows and lines', async () => {
    const f = path.join(t.dir, 'big.csv');
    const n = 20_000;
    const lines = ['id,name,note'];
    for (let i = 1; i <= n; i++) lines.push(i % 1000 === 0 ? `${i},"Zoë ${i}","multi\nline"` : `${i},Zoë ${i},x`);
    writeFileSync(f, lines.join('\r\n') + '\r\n');
    const s = await sniffFile(f);
    let count = 0;
    let last: RawRow | null = null;
    let seenBytes = 0;
    for await (const b of readRows(f, { ...s.info, onBytes: (x) => (seenBytes = x) })) {
      count += b.length;
      last = b[b.length - 1];
    }
    expect(count).toBe(n);
    // Row i starts on line 1 + i + (two-line rows before it).
    expect(last).toEqual({ line: n + 1 + (n / 1000 - 1), fields: [String(n), `Zoë ${n}`, 'multi\nline'] });
    expect(seenBytes).toBeGreaterThan(64 * 1024);
  });
});
