/**
 * The decoding and value rules behind the import's data-safety fixes (the whole runs are in
 * tests/integration/import/data-safety.test.ts): one stray Windows-1252 byte in a UTF-8 export,
 * a file cut off inside its last row, and cells that name members of Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import { ChunkDecoder, detectEncoding } from '../../../src-main/core/pims/decode';
import { CsvTokenizer } from '../../../src-main/core/pims/decode/tokenizer';
import { normalizeRegion } from '../../../src-main/core/pims/normalize';
import { parseDate, phoneTypeOf } from '../../../src-main/core/pims/values';

const utf8WithStray = (text: string, marker = '~', byte = 0xe9): Buffer => {
  const buf = Buffer.from(text, 'utf8');
  buf[buf.indexOf(marker)] = byte;
  return buf;
};

describe('encoding: one stray Windows-1252 byte in a UTF-8 export', () => {
  it('is still detected as UTF-8 when valid multi-byte sequences outnumber the stray bytes', () => {
    const buf = utf8WithStray('Id,Last,First\r\n1,Côté,Stéphanie\r\n2,Nguyễn,Thảo\r\n3,Ren~,Ana\r\n');
    expect(detectEncoding(buf)).toBe('utf-8');
  });

  it('stays Windows-1252 for a Windows-1252 export', () => {
    // 'Côté,Stéphanie,Müller' in Windows-1252: every accented letter is a lone high byte.
    const buf = Buffer.from('Id,Last,First\r\n1,C\xf4t\xe9,St\xe9phanie\r\n2,M\xfcller,J\xfcrgen\r\n', 'latin1');
    expect(detectEncoding(buf)).toBe('windows-1252');
  });

  it('tells where in the decoded text the stray bytes were, also after a BOM', () => {
    const d = new ChunkDecoder('utf-8-bom');
    const text = d.write(utf8WithStray('\ufeffa,b\r\nc,Ren~\r\n'));
    expect(text).toBe('a,b\r\nc,René\r\n');
    expect(d.fallbackAt).toEqual([text.indexOf('é')]);
    expect(d.fallbackBytes).toBe(1);
    // The next block starts afresh.
    d.write(Buffer.from('d,e\r\n'));
    expect(d.fallbackAt).toEqual([]);
  });

  describe('a file whose first 64 KB are plain ASCII (detection had nothing to go on)', () => {
    const ascii = 'Id,Last,First\r\n' + Array.from({ length: 5000 }, (_, i) => `${i},Smith,John\r\n`).join('');
    const decodeInBlocks = (buf: Buffer, size = 65536) => {
      const d = new ChunkDecoder(detectEncoding(buf.subarray(0, size)));
      let text = '';
      const warned: number[] = [];
      for (let at = 0; at < buf.length; at += size) {
        text += d.write(buf.subarray(at, at + size));
        warned.push(...d.fallbackAt);
      }
      text += d.end();
      return { text, warned, fallbackBytes: d.fallbackBytes, encoding: d.encoding };
    };

    it('reads a Windows-1252 export as Windows-1252, without a warning per accented line', () => {
      const tail = '5001,C\xf4t\xe9,St\xe9phanie\r\n5002,M\xfcller,J\xfcrgen\r\n';
      const buf = Buffer.concat([Buffer.from(ascii, 'latin1'), Buffer.from(tail, 'latin1')]);
      expect(buf.length).toBeGreaterThan(65536);
      const r = decodeInBlocks(buf);
      expect(r.encoding).toBe('utf-8');
      expect(r.text.endsWith('5001,Côté,Stéphanie\r\n5002,Müller,Jürgen\r\n')).toBe(true);
      expect(r.warned).toEqual([]);
      expect(r.fallbackBytes).toBe(0);
    });

    it('keeps a UTF-8 export UTF-8, a stray byte later on still warned about, an accent cut by a block edge intact', () => {
      const pad = 2 * 65536 - Buffer.byteLength(ascii) - 'x,C'.length;
      // 'ô' (two bytes) straddles the edge of the second 64 KB block.
      const text = ascii + 'x'.repeat(pad) + ',Côté,Stéphanie\r\n3002,Ren~,Ana\r\n3003,Nguyễn,Thảo\r\n';
      const buf = utf8WithStray(text);
      const r = decodeInBlocks(buf);
      expect(r.text).toContain(',Côté,Stéphanie');
      expect(r.text).toContain('3002,René,Ana');
      expect(r.text).toContain('Nguyễn,Thảo');
      expect(r.fallbackBytes).toBe(1);
      expect(r.warned).toHaveLength(1);
    });
  });

  it('gives the physical line of an offset in text not yet tokenized', () => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 1e6 });
    tok.push('h1,h2\r\n"multi\r\nline",x\r\npartial,');
    const next = 'row\r\nlast,Ren\u00e9\r\n';
    expect(tok.lineAt(next, next.indexOf('é'))).toBe(5);
    // A CRLF split between two blocks counts once.
    const t2 = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 1e6 });
    t2.push('a,b\r');
    expect(t2.lineAt('\nc,d', 3)).toBe(2);
  });
});

describe('tokenizer: a file that ends inside its last record', () => {
  const tokenize = (text: string) => {
    const tok = new CsvTokenizer({ delimiter: ',', quote: '"', maxRecordChars: 1e6 });
    const rows = tok.push(text);
    tok.end(rows);
    return { rows, tok };
  };

  it('marks the last record when no line break follows it', () => {
    const { rows, tok } = tokenize('a,b,c\r\n1,2,3\r\n4,5');
    expect(rows.map((r) => r.fields)).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['4', '5']]);
    expect(tok.cutRow).toBe(rows[2]);
    expect(tok.cutInQuote).toBe(false);
  });

  it('marks nothing when the file ends with a line break', () => {
    expect(tokenize('a,b,c\r\n4,5\r\n').tok.cutRow).toBeNull();
  });

  it('keeps a record cut inside a quoted value on its last line, and says so', () => {
    const { rows, tok } = tokenize('a,b,c\r\n"1","2","thr');
    expect(rows[1].fields).toEqual(['1', '2', 'thr']);
    expect(tok.cutRow).toBe(rows[1]);
    expect(tok.cutInQuote).toBe(true);
  });

  it('still stops at a quote that swallowed the lines after it', () => {
    expect(() => tokenize('a,b\r\n1,"never closed\r\n2,x')).toThrow(expect.objectContaining({ code: 'QUOTE_NOT_CLOSED', line: 2 }));
  });
});

describe('cells naming members of Object.prototype', () => {
  it('are no region, phone type or month', () => {
    for (const v of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(normalizeRegion(v)).toEqual({ region: v, country: null });
      expect(phoneTypeOf(v)).toBe('other');
      expect(parseDate(`${v} 5, 2020`)).toBeNull();
    }
    expect(normalizeRegion('Québec')).toEqual({ region: 'QC', country: 'CA' });
    expect(normalizeRegion('wa')).toEqual({ region: 'WA', country: 'US' });
  });
});
