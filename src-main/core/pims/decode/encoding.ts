import { isUtf8 } from 'node:buffer';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

/**
 * Text encodings PIMS exports arrive in. UTF-16 shows up when Excel saves "Unicode Text";
 * it is only recognised by its byte-order mark.
 */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * Decides how to read a file from its first bytes. Valid UTF-8 (pure ASCII included) is UTF-8;
 * anything else is Windows-1252, which can decode every byte, so no U+FFFD is ever produced.
 * A multi-byte character cut off by the end of the sample does not count against UTF-8
 * unless `complete` says the sample is the whole file.
 */
export function detectEncoding(firstBytes: Buffer, opts: { complete?: boolean } = {}): TextEncoding {
  if (firstBytes.length >= 3 && firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) return 'utf-8-bom';
  if (firstBytes.length >= 2 && firstBytes[0] === 0xff && firstBytes[1] === 0xfe) return 'utf-16le';
  if (firstBytes.length >= 2 && firstBytes[0] === 0xfe && firstBytes[1] === 0xff) return 'utf-16be';
  const end = opts.complete ? firstBytes.length : firstBytes.length - incompleteTail(firstBytes);
  if (isUtf8(firstBytes.subarray(0, end))) return 'utf-8';
  return mostlyUtf8(firstBytes, end) ? 'utf-8' : 'windows-1252';
}

/**
 * A UTF-8 export with a stray Windows-1252 byte or two (a row pasted from another program) is
 * still UTF-8: read as Windows-1252 as a whole, every accented name in it would be mangled, while
 * reading it as UTF-8 costs only the stray bytes, which the lenient decoder below reads as
 * Windows-1252 anyway. Windows-1252 text almost never forms a valid multi-byte sequence (an
 * accented letter followed by a symbol from 0x80-0xBF), so twice as many well-formed sequences
 * as bytes that are not is a sure sign.
 */
function mostlyUtf8(buf: Buffer, end: number): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < end; ) {
    if (buf[i] < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(buf, i, end);
    if (len > 0) {
      valid++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return valid >= 2 * invalid;
}

// Windows-1252 as the WHATWG Encoding Standard defines it. Taken from iconv-lite, except the five
// bytes Microsoft left undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): iconv-lite gives U+FFFD for them,
// WHATWG (and every browser) gives the C1 control of the same number, which keeps the byte.
const CP1252_HIGH: string[] = [];
for (let b = 0x80; b <= 0x9f; b++) {
  const ch = iconv.decode(Buffer.from([b]), 'windows-1252');
  CP1252_HIGH.push(ch === '\ufffd' ? String.fromCharCode(b) : ch);
}

export function decodeWindows1252(buf: Buffer, start = 0, end = buf.length): string {
  return buf.toString('latin1', start, end).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/**
 * Length of a well-formed UTF-8 sequence starting at i (Unicode Table 3-7), 0 when the bytes there
 * are not one, -1 when they are a valid prefix cut off at `end`.
 */
function sequenceLength(buf: Buffer, i: number, end: number): number {
  const b = buf[i];
  if (b < 0x80) return 1;
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) len = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    len = 3;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    len = 4;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k < len; k++) {
    if (i + k >= end) return -1;
    const c = buf[i + k];
    if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return 0;
  }
  return len;
}

/** Bytes at the end of buf that begin a UTF-8 character not yet complete (0..3). */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const i = buf.length - back;
    const b = buf[i];
    if (b < 0x80) return 0;
    if (b >= 0xc0) return sequenceLength(buf, i, buf.length) === -1 ? back : 0;
  }
  return 0;
}

/** Offsets of fallback bytes kept per block: enough to name the lines, bounded for a file that is not UTF-8 at all. */
const MAX_FALLBACK_OFFSETS = 64;

/**
 * Decodes UTF-8, reading any byte that is not part of a well-formed sequence as Windows-1252.
 * A file detected as UTF-8 from its first block can still carry a stray 0xE9 further down
 * (a row pasted from another program); this keeps 'é' instead of writing U+FFFD.
 */
function decodeUtf8Lenient(buf: Buffer, start: number, end: number, at?: number[]): { text: string; fallbackBytes: number } {
  if (isUtf8(buf.subarray(start, end))) return { text: buf.toString('utf8', start, end), fallbackBytes: 0 };
  const parts: string[] = [];
  let fallbackBytes = 0;
  let run = start;
  let i = start;
  let chars = 0;
  while (i < end) {
    const len = sequenceLength(buf, i, end);
    if (len > 0) {
      i += len;
      continue;
    }
    if (run < i) {
      const part = buf.toString('utf8', run, i);
      parts.push(part);
      chars += part.length;
    }
    if (at && at.length < MAX_FALLBACK_OFFSETS) at.push(chars);
    parts.push(decodeWindows1252(buf, i, i + 1));
    chars++;
    fallbackBytes++;
    i++;
    run = i;
  }
  if (run < end) parts.push(buf.toString('utf8', run, end));
  return { text: parts.join(''), fallbackBytes };
}

/**
 * Decodes a sample (the first block of a file) to text; a character cut off at the end is dropped
 * unless the sample is the whole file.
 */
export function decodeSample(buf: Buffer, encoding: TextEncoding, complete = false): string {
  let text: string;
  if (encoding === 'windows-1252') text = decodeWindows1252(buf);
  else if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const even = complete ? buf.length : buf.length - (buf.length % 2);
    text = iconv.decode(buf.subarray(0, even), encoding);
  } else {
    const end = complete ? buf.length : buf.length - incompleteTail(buf);
    text = decodeUtf8Lenient(buf, 0, end).text;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Decodes a file block by block for one encoding: a character cut between two blocks waits for
 * the next one, and a leading BOM is dropped. Synchronous, so a reader can use it without streams.
 */
export class ChunkDecoder {
  /** Bytes in a UTF-8 file that were not UTF-8 and were read as Windows-1252. */
  fallbackBytes = 0;
  /** Where in the text the last write() or end() returned such bytes were (the first few). */
  readonly fallbackAt: number[] = [];
  private pending: Buffer | null = null;
  private first = true;
  private readonly utf16: ReturnType<typeof iconv.getDecoder> | null;
  /** 'utf-8' without a BOM: the first block with a byte above 0x7F has been looked at. */
  private judged: boolean;
  /** That block showed a Windows-1252 file whose first 64 KB happened to be plain ASCII. */
  private latin = false;

  constructor(readonly encoding: TextEncoding) {
    this.utf16 = encoding === 'utf-16le' || encoding === 'utf-16be' ? iconv.getDecoder(encoding) : null;
    this.judged = encoding !== 'utf-8';
  }

  /**
   * Detection saw only ASCII when a Windows-1252 file's first accented name comes after its first
   * 64 KB: the file was taken for UTF-8. The first block that has a byte above 0x7F settles it, as
   * detection would have: its first such byte not UTF-8, and no more well-formed sequences than
   * stray bytes after it, is Windows-1252 (read as such, silently, from there on); otherwise it is
   * UTF-8 with the odd stray byte, which is warned about.
   */
  private judge(buf: Buffer, end: number): void {
    let i = 0;
    while (i < end && buf[i]! < 0x80) i++;
    if (i >= end) return;
    this.judged = true;
    if (sequenceLength(buf, i, end) === 0 && !mostlyUtf8(buf.subarray(i, end), end - i)) this.latin = true;
  }

  write(chunk: Buffer): string {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    this.fallbackAt.length = 0;
    let text: string;
    if (this.utf16) text = this.utf16.write(buf);
    else if (this.encoding === 'windows-1252' || this.latin) text = decodeWindows1252(buf);
    else {
      const tail = incompleteTail(buf);
      // A character cut by the block's end is judged with the next block.
      if (!this.judged) this.judge(buf, buf.length - tail);
      if (this.latin) return this.out(decodeWindows1252(buf));
      if (tail > 0) this.pending = Buffer.from(buf.subarray(buf.length - tail));
      const r = decodeUtf8Lenient(buf, 0, buf.length - tail, this.fallbackAt);
      this.fallbackBytes += r.fallbackBytes;
      text = r.text;
    }
    return this.out(text);
  }

  end(): string {
    this.fallbackAt.length = 0;
    if (this.utf16) return this.out(this.utf16.end() ?? '');
    if (!this.pending) return '';
    // A sequence cut off by the end of the file is not UTF-8: keep its bytes as Windows-1252.
    this.fallbackBytes += this.pending.length;
    this.fallbackAt.push(0);
    const text = decodeWindows1252(this.pending);
    this.pending = null;
    return this.out(text);
  }

  private out(text: string): string {
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        for (let k = 0; k < this.fallbackAt.length; k++) this.fallbackAt[k]--;
      }
    }
    return text;
  }
}

/** A Transform from bytes to strings (object mode on the readable side) for one encoding. */
export class TextDecodeStream extends Transform {
  private readonly decoder: ChunkDecoder;

  constructor(readonly encoding: TextEncoding) {
    super({ readableObjectMode: true });
    this.decoder = new ChunkDecoder(encoding);
  }

  /** Bytes in a UTF-8 file that were not UTF-8 and were read as Windows-1252. */
  get fallbackBytes(): number {
    return this.decoder.fallbackBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.decoder.write(chunk);
    if (text.length > 0) this.push(text);
    done();
  }

  override _flush(done: TransformCallback): void {
    const text = this.decoder.end();
    if (text.length > 0) this.push(text);
    done();
  }
}

/**
 * Pipes a byte stream through the decoder for `encoding`, dropping a leading BOM. Errors from the
 * source are forwarded, so a reader of the returned stream sees a failed read as an error.
 */
export function decodeStream(readable: Readable, encoding: TextEncoding): TextDecodeStream {
  const decoder = new TextDecodeStream(encoding);
  pipeline(readable, decoder, () => {
    // Errors reach the consumer through the decoder itself; nothing to do here.
  });
  return decoder;
}
