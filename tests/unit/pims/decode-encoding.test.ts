import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeSample, decodeStream, detectEncoding, type TextEncoding } from '../../../src-main/core/pims/decode';

const cp1252 = (bytes: number[]) => Buffer.from(bytes);
// 'Côté;Stéphanie' in Windows-1252: ô = 0xF4, é = 0xE9.
const COTE_1252 = cp1252([0x43, 0xf4, 0x74, 0xe9, 0x3b, 0x53, 0x74, 0xe9, 0x70, 0x68, 0x61, 0x6e, 0x69, 0x65]);

async function decodeAll(chunks: Buffer[], encoding: TextEncoding): Promise<{ text: string; fallback: number }> {
  const dec = decodeStream(Readable.from(chunks), encoding);
  let text = '';
  for await (const c of dec) text += c as string;
  return { text, fallback: dec.fallbackBytes };
}

function oneByteChunks(buf: Buffer): Buffer[] {
  return [...buf].map((b) => Buffer.from([b]));
}

describe('detectEncoding', () => {
  it('recognises byte-order marks', () => {
    expect(detectEncoding(Buffer.from('\ufeffa,b\r\n', 'utf8'))).toBe('utf-8-bom');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toBe('utf-16be');
  });

  it('calls ASCII and valid UTF-8 utf-8', () => {
    expect(detectEncoding(Buffer.from('AccountId,Name\r\n1,Bob\r\n'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('1,Côté,Stéphanie,Łukasz,Thảo\n', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.alloc(0))).toBe('utf-8');
  });

  it('calls bytes that are not UTF-8 windows-1252', () => {
    expect(detectEncoding(COTE_1252)).toBe('windows-1252');
    expect(detectEncoding(cp1252([0x93, 0x48, 0x69, 0x94]))).toBe('windows-1252');
  });

  it('does not blame UTF-8 for a character cut off by the end of the sample', () => {
    const full = Buffer.from('Côté', 'utf8');
    const cut = full.subarray(0, full.length - 1); // first byte of é only
    expect(detectEncoding(cut)).toBe('utf-8');
    expect(detectEncoding(cut, { complete: true })).toBe('windows-1252');
  });

  it('rejects overlong and surrogate encodings as UTF-8', () => {
    expect(detectEncoding(Buffer.from([0x61, 0xc0, 0xaf, 0x61]))).toBe('windows-1252');
    expect(detectEncoding(Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x61]))).toBe('windows-1252');
  });
});

describe('decodeStream', () => {
  it('decodes Windows-1252 accents and never produces U+FFFD', async () => {
    const { text } = await decodeAll([COTE_1252], 'windows-1252');
    expect(text).toBe('Côté;Stéphanie');
    const all = await decodeAll([Buffer.from(Array.from({ length: 256 }, (_, i) => i))], 'windows-1252');
    expect(all.text).toHaveLength(256);
    expect(all.text).not.toContain('\ufffd');
    expect(all.text[0x80]).toBe('€');
    expect(all.text[0x93]).toBe('“');
    expect(all.text[0x81]).toBe('\u0081');
  });

  it('strips a UTF-8 BOM and only the first one', async () => {
    const { text } = await decodeAll([Buffer.from('\ufeffa,b\r\n\ufeff', 'utf8')], 'utf-8-bom');
    expect(text).toBe('a,b\r\n\ufeff');
    expect((await decodeAll(oneByteChunks(Buffer.from('\ufeffxy', 'utf8')), 'utf-8')).text).toBe('xy');
  });

  it('reassembles multi-byte characters split across chunks', async () => {
    const src = 'Côté, Łukasz, Thảo, 🐶 Stéphanie';
    const { text, fallback } = await decodeAll(oneByteChunks(Buffer.from(src, 'utf8')), 'utf-8');
    expect(text).toBe(src);
    expect(fallback).toBe(0);
  });

  it('reads a stray Windows-1252 byte inside a UTF-8 file as that character', async () => {
    const buf = Buffer.concat([Buffer.from('Côté\n', 'utf8'), cp1252([0x53, 0x74, 0xe9, 0x70, 0x68]), Buffer.from('\nZoë', 'utf8')]);
    for (const chunks of [[buf], oneByteChunks(buf)]) {
      const { text, fallback } = await decodeAll(chunks, 'utf-8');
      expect(text).toBe('Côté\nStéph\nZoë');
      expect(fallback).toBe(1);
    }
  });

  it('keeps a truncated sequence at the end of the file as Windows-1252', async () => {
    const { text, fallback } = await decodeAll([Buffer.from([0x61, 0xc3])], 'utf-8');
    expect(text).toBe('aÃ');
    expect(fallback).toBe(1);
  });

  it('decodes UTF-16LE with its BOM', async () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Côté\t1\r\n', 'utf16le')]);
    expect((await decodeAll(oneByteChunks(buf), 'utf-16le')).text).toBe('Côté\t1\r\n');
  });

  it('passes a source error on to the reader', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    const consume = async () => {
      for await (const chunk of decodeStream(failing, 'utf-8')) void chunk;
    };
    await expect(consume()).rejects.toThrow('disk gone');
  });
});

describe('decodeSample', () => {
  it('drops a character cut off at the end of a partial sample', () => {
    const full = Buffer.from('ab é', 'utf8');
    expect(decodeSample(full.subarray(0, full.length - 1), 'utf-8')).toBe('ab ');
    expect(decodeSample(Buffer.from('\ufeffab', 'utf8'), 'utf-8-bom', true)).toBe('ab');
    expect(decodeSample(COTE_1252, 'windows-1252', true)).toBe('Côté;Stéphanie');
  });
});
