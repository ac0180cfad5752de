import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecords, RecordsReadError, type ReadRecordsOptions, type RecordItem } from '../../../src-main/core/pims/decode';
import { parseDate } from '../../../src-main/core/pims/values';

const dir = mkdtempSync(join(tmpdir(), 'pawline-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function fixture(content: string | Buffer, name = `f${++fileNo}.csv`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function readAll(path: string, opts?: ReadRecordsOptions) {
  const reader = await readRecords(path, opts);
  const items: RecordItem[] = [];
  for await (const it of reader) items.push(it);
  return { info: reader.info, items, fallbackBytes: reader.fallbackBytes };
}

function cp1252(text: string): Buffer {
  // Test text only uses Latin-1 letters, which Windows-1252 stores as the same single bytes.
  return Buffer.from(text, 'latin1');
}

describe('readRecords', () => {
  it('reads an Excel report: BOM, title line, blank line, quoted commas and newlines, serial dates', async () => {
    const text =
      '\ufeffClinic Client List,Printed 12/01/2026\r\n' +
      '\r\n' +
      'Client #,Client Name,Phone,Mobile,Pet #,Birthdate,Notes\r\n' +
      '36549,"Abdi, Aaliyah",,786 555 0191,44983,10/23/2016,\r\n' +
      '25659,"Abdi, Nathalie",(212) 555-0144,436-555-0109,31407,45667,"Needs sedation for nail trims\nUse side entrance"\r\n' +
      '19633,"Abdi, Anaïs",,8125550191,23647,7/18/2024,"Call ""Mom"" first"\r\n' +
      ',,,,,,\r\n' +
      '19633,"Abdi, Anaïs",,8125550191,23647,7/18/2024,"Call ""Mom"" first"\r\n';
    const { info, items } = await readAll(fixture(text));
    expect(info).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', headerLine: 3, rowsAboveHeader: 1, duplicates: [] });
    expect(info.headers).toEqual(['Client #', 'Client Name', 'Phone', 'Mobile', 'Pet #', 'Birthdate', 'Notes']);
    expect(items.map((i) => i.line)).toEqual([4, 5, 7, 9]);
    expect(items[0].record['Client Name']).toBe('Abdi, Aaliyah');
    expect(items[1].record.Notes).toBe('Needs sedation for nail trims\nUse side entrance');
    expect(parseDate(items[1].record.Birthdate)).toBe('2025-01-10');
    expect(items[2].record.Notes).toBe('Call "Mom" first');
    expect(items[2].record['Client Name']).toBe('Abdi, Anaïs');
    // The duplicated row is delivered as is: deciding what a duplicate means is the importer's job.
    expect(items[3].record).toEqual(items[2].record);
  });

  it('reads Windows-1252 with semicolons: Côté, Stéphanie', async () => {
    const bytes = cp1252('Id;Last;First;City\r\n1;Côté;Stéphanie;Montréal\r\n2;Lefèvre;Zoë;Québec\r\n');
    expect(bytes.includes(0xf4) && bytes.includes(0xe9)).toBe(true);
    const { info, items } = await readAll(fixture(bytes));
    expect(info).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(items.map((i) => i.record)).toEqual([
      { Id: '1', Last: 'Côté', First: 'Stéphanie', City: 'Montréal' },
      { Id: '2', Last: 'Lefèvre', First: 'Zoë', City: 'Québec' },
    ]);
    expect(JSON.stringify(items)).not.toContain('\ufffd');
  });

  it('reads a fully quoted OpenVPMS TSV with newlines inside addresses', async () => {
    const row = (id: string, addr: string, breed: string) => [id, 'Mr', addr, '(984) 555-0157', breed, '2026-08-04'].map((v) => `"${v.replace(/"/g, '""')}"`).join('\t');
    const text =
      ['Customer Identifier', 'Customer Title', 'Customer Street Address', 'Customer SMS', 'Patient Breed', 'Reminder Due Date'].map((v) => `"${v}"`).join('\t') +
      '\n' +
      row('1002', '2428 Kestrel Ct SE\nUnit 166', 'Chihuahua, Short Coat / Bichon Frise') +
      '\n' +
      row('1003', '1 Main St', 'Retriever, Labrador') +
      '\n' +
      row('1004', '9 Elm St\nApt 2\nRear', 'Mix "Scruffy" type') +
      '\n' +
      ['1005', '', '5 Oak Ave', '', 'Poodle', ''].map((v) => (v === '' ? '' : `"${v}"`)).join('\t') +
      '\n';
    const { info, items } = await readAll(fixture(text, 'reminders.tsv'));
    expect(info).toMatchObject({ delimiter: '\t', headerLine: 1, encoding: 'utf-8' });
    expect(items.map((i) => i.line)).toEqual([2, 4, 5, 8]);
    expect(items[0].record['Customer Street Address']).toBe('2428 Kestrel Ct SE\nUnit 166');
    expect(items[0].record['Patient Breed']).toBe('Chihuahua, Short Coat / Bichon Frise');
    expect(items[2].record['Patient Breed']).toBe('Mix "Scruffy" type');
    expect(items[3].record).toMatchObject({ 'Customer Title': '', 'Customer SMS': '', 'Reminder Due Date': '' });
  });

  it('reads an AVImark-style pipe file in Windows-1252, quotes as text when asked', async () => {
    const bytes = cp1252('CLIENT_ID|LAST|FIRST|AREA|PHONE\r\n1|"Bubba" Côté|Ève|905|5550100\r\n2|Smith, Jr.|Al|226|5550101\r\n');
    const { info, items } = await readAll(fixture(bytes, 'CLIENT.TXT'), { quote: false });
    expect(info).toMatchObject({ delimiter: '|', encoding: 'windows-1252' });
    expect(items.map((i) => i.record.LAST)).toEqual(['"Bubba" Côté', 'Smith, Jr.']);
  });

  it('renames a duplicated header and reports it', async () => {
    const { info, items } = await readAll(fixture('Id,Phone,Phone,Email\n1,206-555-0100,206-555-0101 x12,a@example.com\n'));
    expect(info.rawHeaders).toEqual(['Id', 'Phone', 'Phone', 'Email']);
    expect(info.headers).toEqual(['Id', 'Phone', 'Phone_2', 'Email']);
    expect(info.duplicates).toEqual([{ index: 2, name: 'Phone', renamedTo: 'Phone_2' }]);
    expect(items[0].record).toEqual({ Id: '1', Phone: '206-555-0100', Phone_2: '206-555-0101 x12', Email: 'a@example.com' });
  });

  it('flags short and long rows without losing fields', async () => {
    const { items } = await readAll(fixture('a,b,c\n1,2,3\n4,5\n6,7,8,9,10\n'));
    expect(items.map((i) => i.fieldCount)).toEqual([3, 2, 5]);
    expect(items[1].record).toEqual({ a: '4', b: '5', c: '' });
    expect(items[1].extra).toBeUndefined();
    expect(items[2].extra).toEqual(['9', '10']);
  });

  it('finds the header below title lines that look like headers, given hints', async () => {
    const text = 'Larkspur Hollow,Client Report,All Sites,Active\nGenerated by,Front Desk,Monday,Export\nClient #,Client Name,Phone,Mobile\n1,Bob,,206-555-0100\n';
    expect((await readAll(fixture(text))).info.headerLine).toBe(1);
    const { info, items } = await readAll(fixture(text), { headerHints: ['Client #', 'Client Name', 'Mobile'] });
    expect(info).toMatchObject({ headerLine: 3, rowsAboveHeader: 2 });
    expect(items).toEqual([{ line: 4, fieldCount: 4, record: { 'Client #': '1', 'Client Name': 'Bob', Phone: '', Mobile: '206-555-0100' } }]);
    expect((await readAll(fixture(text), { headerLine: 3 })).info.headers[0]).toBe('Client #');
    await expect(readRecords(fixture(text), { headerLine: 9 })).rejects.toBeInstanceOf(RecordsReadError);
  });

  it('handles empty files and header-only files', async () => {
    const empty = await readAll(fixture(''));
    expect(empty.info.headers).toEqual([]);
    expect(empty.items).toEqual([]);
    const headerOnly = await readAll(fixture('a,b\r\n'));
    expect(headerOnly.info.headers).toEqual(['a', 'b']);
    expect(headerOnly.items).toEqual([]);
  });

  it('reports an unclosed quote with its line number', async () => {
    const path = fixture('a,b\n1,2\n3,"oops\n4,5\n');
    const consume = async () => {
      for await (const item of await readRecords(path)) void item;
    };
    await expect(consume()).rejects.toMatchObject({ name: 'RecordsReadError', code: 'QUOTE_NOT_CLOSED', line: 3 });
  });

  it('reads a stray non-UTF-8 byte beyond the detection sample as Windows-1252', async () => {
    const head = Buffer.from('Id,Name\n' + Array.from({ length: 200 }, (_, i) => `${i},Zoë ${i}\n`).join(''), 'utf8');
    const tail = Buffer.concat([Buffer.from('999,St'), Buffer.from([0xe9]), Buffer.from('phanie\n')]);
    const { info, items, fallbackBytes } = await readAll(fixture(Buffer.concat([head, tail])), { sampleBytes: 512 });
    expect(info.encoding).toBe('utf-8');
    expect(items.at(-1)?.record.Name).toBe('Stéphanie');
    expect(fallbackBytes).toBe(1);
  });

  it('reads UTF-16LE text as Excel saves "Unicode Text"', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Id\tName\r\n1\tCôté\r\n', 'utf16le')]);
    const { info, items } = await readAll(fixture(bytes, 'unicode.txt'));
    expect(info).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(items[0].record).toEqual({ Id: '1', Name: 'Côté' });
  });

  it('streams a large file in small blocks with exact line numbers, identical with both engines', async () => {
    const lines: string[] = ['\ufeffReport title,Printed today', '', 'Id,Name,Notes,Phone'];
    const expected: { id: string; line: number; notes: string }[] = [];
    let line = 4;
    for (let i = 0; i < 6000; i++) {
      const notes = i % 7 === 0 ? `first\r\nsecond "q"\nthird` : i % 11 === 0 ? 'a, b; c|d' : '';
      expected.push({ id: String(i), line, notes });
      const quoted = notes === '' ? '' : `"${notes.replace(/"/g, '""')}"`;
      lines.push(`${i},Côté ${i},${quoted},(905) 555-01${String(i % 100).padStart(2, '0')}`);
      line += 1 + (notes.match(/\r\n|\n/g) ?? []).length;
      if (i % 500 === 0) {
        lines.push('');
        line++;
      }
    }
    const path = fixture(lines.join('\r\n') + '\r\n');
    const fast = await readAll(path, { sampleBytes: 2048 });
    expect(fast.info).toMatchObject({ headerLine: 3, rowsAboveHeader: 1, encoding: 'utf-8-bom' });
    expect(fast.items.map((i) => ({ id: i.record.Id, line: i.line, notes: i.record.Notes }))).toEqual(expected);
    const reference = await readAll(path, { sampleBytes: 2048, engine: 'csv-parse' });
    expect(reference.info).toEqual(fast.info);
    expect(reference.items).toEqual(fast.items);
  });

  it('stops cleanly when the reader leaves early, and refuses a second pass', async () => {
    const path = fixture('a\n' + Array.from({ length: 50_000 }, (_, i) => String(i)).join('\n') + '\n');
    const reader = await readRecords(path, { sampleBytes: 1024 });
    let seen = 0;
    for await (const item of reader) {
      seen++;
      if (item.record.a === '10') break;
    }
    expect(seen).toBe(11);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/only once/);
    rmSync(path);
  });

  it('offers the records in batches as well', async () => {
    const path = fixture('a,b\n' + Array.from({ length: 20_000 }, (_, i) => `${i},x`).join('\n') + '\n');
    const reader = await readRecords(path);
    let count = 0;
    let batches = 0;
    let last = -1;
    for await (const batch of reader.batches()) {
      batches++;
      for (const item of batch) {
        if (Number(item.record.a) === last + 1) last++;
        count++;
      }
    }
    expect(count).toBe(20_000);
    expect(last).toBe(19_999);
    expect(batches).toBeGreaterThan(1);
  });
});
