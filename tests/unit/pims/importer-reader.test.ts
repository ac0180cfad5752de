import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_HEADER_HINTS } from '../../../src-main/core/pims/layouts';
import { readRows, sniffFile } from '../../../src-main/core/pims/records/read';
import type { RawRow } from '../../../src-main/core/pims/records/read';
import { tempDir } from '../../helpers/tmp';

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

  it('reports an unclosed quote with the line it starts on', async () => {
    const f = path.join(t.dir, 'bad.csv');
    writeFileSync(f, 'h1,h2\n1,ok\n2,"never closed\n3,x\n');
    const s = await sniffFile(f);
    const read = async () => {
      for await (const b of readRows(f, s.info)) void b;
    };
    await expect(read()).rejects.toMatchObject({ line: 3, message: expect.stringMatching(/^Line 3: a quoted field is never closed/) });
  });

  it('with quoting off, a quote is ordinary text (pipe files)', async () => {
    const f = path.join(t.dir, 'pets.txt');
    writeFileSync(f, 'NAME|CODE\r\n"Bob|Sonny"\r\n');
    const s = await sniffFile(f, { delimiter: '|' });
    const rows: RawRow[] = [];
    for await (const b of readRows(f, { ...s.info, quote: false })) rows.push(...b);
    expect(rows).toEqual([{ line: 2, fields: ['"Bob', 'Sonny"'] }]);
  });
});
