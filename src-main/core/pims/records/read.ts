import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  ChunkDecoder,
  decodeSample,
  decodeStream,
  dedupeHeaders,
  detectDelimiter,
  detectEncoding,
  findHeaderLine,
  HEADER_SEARCH_ROWS,
  type Delimiter,
  type RecordsInfo,
  type TextEncoding,
} from '../decode';
import { CsvTokenizer, type TokenRow } from '../decode/tokenizer';

/** A data row: its fields and the physical line it starts on. */
export type RawRow = TokenRow;

export interface SniffOptions {
  encoding?: TextEncoding;
  delimiter?: Delimiter;
  /** Column names layouts expect; they locate the header below title lines. */
  headerHints?: readonly string[];
  /** Physical 1-based header line, when the user set it. */
  headerLine?: number;
  sampleBytes?: number;
}

export interface Sniffed {
  info: RecordsInfo;
  bytes: number;
  /** Data rows found in the sample (below the header), for previews. */
  sampleRows: RawRow[];
  /** The sample was plain ASCII, so a layout's declared encoding may be trusted over detection. */
  asciiOnly: boolean;
  /**
   * 'empty': no bytes, or only blank lines; 'binary': not text at all (a spreadsheet, a database);
   * 'no-lines': a full sample without one line break (no text export has lines that long).
   */
  content: 'text' | 'empty' | 'binary' | 'no-lines';
}

/**
 * Text exports hold no NUL and almost no other control characters; a spreadsheet or database
 * file decoded as text is full of them.
 */
function looksBinary(text: string): boolean {
  let controls = 0;
  const n = Math.min(text.length, 8192);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // A stray NUL in one cell is a damaged text export, not a binary file: it counts like any control character.
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) controls++;
  }
  return controls > n * 0.05;
}

const SAMPLE = 64 * 1024;
// Small blocks keep each batch of rows short-lived: they die in the young generation instead of being
// promoted while the batch is processed, which is most of the garbage collector's work otherwise.
const BLOCK = 64 * 1024;

async function readHead(path: string, size: number): Promise<{ sample: Buffer; bytes: number }> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const buf = Buffer.alloc(Math.min(size, st.size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return { sample: buf.subarray(0, bytesRead), bytes: st.size };
  } finally {
    await fh.close();
  }
}

/**
 * Reads only the first block of a file: encoding, delimiter, header row and the first data rows.
 */
export async function sniffFile(path: string, opts: SniffOptions = {}): Promise<Sniffed> {
  const { sample, bytes } = await readHead(path, opts.sampleBytes ?? SAMPLE);
  const complete = sample.length >= bytes;
  const encoding = opts.encoding ?? detectEncoding(sample, { complete });
  const text = decodeSample(sample, encoding, complete);
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const tok = new CsvTokenizer({ delimiter, quote: '"', maxRecordChars: Number.MAX_SAFE_INTEGER });
  const rows: RawRow[] = [];
  try {
    tok.push(text, rows);
    if (complete) tok.end(rows);
  } catch {
    // An unclosed quote inside the sample: keep the rows read so far; the full read reports it.
  }
  const head = rows.slice(0, HEADER_SEARCH_ROWS);
  let headerIndex: number;
  if (opts.headerLine !== undefined) {
    headerIndex = rows.findIndex((r) => r.line === opts.headerLine);
    if (headerIndex < 0) headerIndex = 0;
  } else headerIndex = head.length === 0 ? -1 : findHeaderLine(head.map((r) => r.fields), opts.headerHints);
  const rawHeaders = headerIndex >= 0 ? rows[headerIndex].fields.map((f) => f.trim()) : [];
  const deduped = dedupeHeaders(rawHeaders);
  return {
    info: {
      encoding,
      delimiter,
      headerLine: headerIndex >= 0 ? rows[headerIndex].line : 0,
      headers: deduped.names,
      rawHeaders,
      duplicates: deduped.duplicates,
      blanks: deduped.blanks,
      rowsAboveHeader: Math.max(0, headerIndex),
    },
    bytes,
    sampleRows: headerIndex >= 0 ? rows.slice(headerIndex + 1) : [],
    asciiOnly: !sample.some((b) => b >= 0x80),
    content: looksBinary(text) ? 'binary' : rows.length === 0 && complete ? 'empty' : !complete && !/[\r\n]/.test(text) ? 'no-lines' : 'text',
  };
}

export interface ReadOptions {
  encoding: TextEncoding;
  delimiter: Delimiter;
  headerLine: number;
  /** false for formats that never quote (a '"' is then plain text). */
  quote?: boolean;
  onBytes?: (bytesRead: number) => void;
  /** Bytes of a UTF-8 file that had to be read as Windows-1252 (readRowsSync only). */
  onFallbackBytes?: (bytes: number) => void;
  /** The line of a byte of a UTF-8 file that is not UTF-8 (the first few of each block; readRowsSync only). */
  onNotUtf8?: (line: number) => void;
  /**
   * The file ends inside its last row, without a line break (inQuote: inside a quoted value);
   * called before that row is handed over (readRowsSync only).
   */
  onCutRow?: (row: RawRow, inQuote: boolean) => void;
}

/** Longest record (in characters) a data file may have: past it the file is refused. */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * Reads a file's data rows (below the header) synchronously, a 64 KiB block at a time, handing
 * each block's rows to onRows. For a worker thread, where blocking is free and a callback per
 * block is cheaper than an async iterator. Returns the bytes read.
 */
export function readRowsSync(path: string, o: ReadOptions, onRows: (rows: RawRow[], bytesRead: number) => void): number {
  const fd = openSync(path, 'r');
  const block = Buffer.allocUnsafe(BLOCK);
  const decoder = new ChunkDecoder(o.encoding);
  const tok = new CsvTokenizer({ delimiter: o.delimiter, quote: o.quote === false ? false : '"', maxRecordChars: MAX_RECORD_CHARS });
  const header = o.headerLine;
  let bytes = 0;
  const notUtf8 = (text: string) => {
    if (o.onNotUtf8) for (const at of decoder.fallbackAt) o.onNotUtf8(tok.lineAt(text, at));
  };
  const deliver = (rows: RawRow[]) => {
    let k = 0;
    if (header > 0) while (k < rows.length && rows[k].line <= header) k++;
    if (k < rows.length) onRows(k === 0 ? rows : rows.slice(k), bytes);
  };
  try {
    for (;;) {
      const n = readSync(fd, block, 0, BLOCK, null);
      if (n === 0) break;
      bytes += n;
      const text = decoder.write(n === BLOCK ? block : block.subarray(0, n));
      if (decoder.fallbackAt.length > 0) notUtf8(text);
      deliver(tok.push(text));
    }
    const last = decoder.end();
    if (decoder.fallbackAt.length > 0) notUtf8(last);
    const rows = tok.push(last);
    tok.end(rows);
    if (tok.cutRow) o.onCutRow?.(tok.cutRow, tok.cutInQuote);
    deliver(rows);
  } finally {
    closeSync(fd);
  }
  o.onFallbackBytes?.(decoder.fallbackBytes);
  return bytes;
}

/**
 * Streams a file's data rows (below the header) in batches, 64 KiB at a time. Memory
 * stays at a block plus one batch whatever the file's size.
 */
export async function* readRows(path: string, o: ReadOptions): AsyncGenerator<RawRow[]> {
  const source = createReadStream(path, { highWaterMark: BLOCK });
  let bytes = 0;
  if (o.onBytes) {
    const cb = o.onBytes;
    source.on('data', (b) => {
      bytes += b.length;
      cb(bytes);
    });
  }
  const decoder = decodeStream(source, o.encoding);
  const tok = new CsvTokenizer({ delimiter: o.delimiter, quote: o.quote === false ? false : '"', maxRecordChars: MAX_RECORD_CHARS });
  const header = o.headerLine;
  const drop = (rows: RawRow[]): RawRow[] => {
    if (header <= 0 || rows.length === 0 || rows[0].line > header) return rows;
    let k = 0;
    while (k < rows.length && rows[k].line <= header) k++;
    return rows.slice(k);
  };
  try {
    for await (const chunk of decoder as AsyncIterable<string>) {
      const out: RawRow[] = [];
      tok.push(chunk, out);
      const rows = drop(out);
      if (rows.length) yield rows;
    }
    const out: RawRow[] = [];
    tok.end(out);
    const rows = drop(out);
    if (rows.length) yield rows;
  } finally {
    source.destroy();
    decoder.destroy();
  }
}
