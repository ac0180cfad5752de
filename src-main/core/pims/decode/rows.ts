import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { parse, type Parser } from 'csv-parse';
import { decodeSample, decodeStream, detectEncoding, type TextDecodeStream, type TextEncoding } from './encoding';
import { detectDelimiter, type Delimiter } from './delimiter';
import { dedupeHeaders, findHeaderLine, HEADER_SEARCH_ROWS, type HeaderRename } from './header';
import { CsvTokenizer, TokenizeError, type TokenRow } from './tokenizer';

export interface ReadRecordsOptions {
  /** Skip detection (the user chose the encoding in the UI). */
  encoding?: TextEncoding;
  delimiter?: Delimiter;
  /** Column names the layout expects; they locate the header below title lines. */
  headerHints?: readonly string[];
  /** Physical 1-based line of the header, when known; skips header detection. */
  headerLine?: number;
  /** Quote character; false for formats that never quote (a '"' is then plain text). */
  quote?: string | false;
  /** Bytes read up front to detect encoding and delimiter. */
  sampleBytes?: number;
  /**
   * Largest record, in characters. An unclosed quote makes the parser swallow the rest of the
   * file into one field; this turns that into an error with a line number instead.
   */
  maxRecordChars?: number;
  /**
   * 'fast' (default): the built-in tokenizer. 'csv-parse': the csv-parse library, same output,
   * several times slower; kept as a reference and a fallback.
   */
  engine?: 'fast' | 'csv-parse';
}

export interface RecordsInfo {
  encoding: TextEncoding;
  delimiter: Delimiter;
  /** Physical 1-based line of the header row; 0 for an empty file. */
  headerLine: number;
  /** Unique column names used as record keys. */
  headers: string[];
  /** Column names as written in the file. */
  rawHeaders: string[];
  duplicates: HeaderRename[];
  blanks: HeaderRename[];
  /** Non-blank rows above the header (report titles), skipped. */
  rowsAboveHeader: number;
}

export interface RecordItem {
  /** Physical 1-based line the record starts on, for problem reports. */
  line: number;
  /** Every header present; a short row's missing fields are ''. */
  record: Record<string, string>;
  /** Fields the row actually had; differs from headers.length on a malformed row. */
  fieldCount: number;
  /** Fields beyond the last header, when the row is too long. */
  extra?: string[];
}

export interface RecordReader extends AsyncIterable<RecordItem> {
  readonly info: RecordsInfo;
  /** Bytes of a UTF-8 file that were not UTF-8 and were read as Windows-1252 (final once iterated). */
  readonly fallbackBytes: number;
  /** Stops reading and releases the file; safe to call more than once. */
  close(): void;
  /**
   * The same records in arrays of a few hundred (one per block read), for importers that write in
   * batches: it saves an await per record. Use either this or the iterator, once.
   */
  batches(): AsyncIterable<RecordItem[]>;
}

export class RecordsReadError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RecordsReadError';
  }
}

interface PhysicalRow {
  fields: string[];
  line: number;
}

const DEFAULT_SAMPLE = 64 * 1024;
const MAX_SAMPLE = 8 * 1024 * 1024;

async function readSample(filePath: string, size: number): Promise<{ sample: Buffer; complete: boolean }> {
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await fh.read(buf, 0, size, 0);
    return { sample: buf.subarray(0, bytesRead), complete: bytesRead < size };
  } finally {
    await fh.close();
  }
}

function countBreaks(fields: readonly string[]): { crlf: number; physical: number } {
  let crlf = 0;
  let physical = 0;
  for (const f of fields) {
    if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 13) {
        physical++;
        if (f.charCodeAt(i + 1) === 10) {
          crlf++;
          i++;
        }
      } else if (c === 10) physical++;
    }
  }
  return { crlf, physical };
}

/**
 * csv-parse engine. Its `info.lines` is the line a record ends on, except that it counts a CRLF
 * inside a quoted field as two lines; that overcount is tracked so line numbers match an editor.
 */
async function* csvParseRows(text: AsyncIterable<string>, delimiter: Delimiter, quote: string | false, maxRecordChars: number, fromLine: number): AsyncGenerator<PhysicalRow> {
  const parser: Parser = parse({
    delimiter,
    quote: quote === false ? false : quote,
    // Exports put quotes inside unquoted fields (5'10", Call "Mom") more often than not.
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: maxRecordChars,
    // Starting at the header keeps title lines out: csv-parse builds (and discards) an error object
    // for every record whose width differs from the first one, which made it 4x slower. (Its line
    // numbers assume no CRLF inside quotes above the header, true of any real title line.)
    from_line: fromLine,
    info: true,
  });
  pipeline(Readable.from(text), parser, () => {
    // Failures surface through the parser's iterator.
  });
  let prevLines = fromLine - 1;
  let overcount = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const lines = item.info.lines;
      let line: number;
      if (lines - prevLines === 1) {
        // One line further: no line breaks inside and no blank lines skipped.
        line = lines - overcount;
      } else {
        const b = countBreaks(item.record);
        overcount += b.crlf;
        line = lines - overcount - b.physical;
      }
      prevLines = lines;
      if (item.record.every((f) => f.trim() === '')) continue;
      yield { fields: item.record, line };
    }
  } catch (err) {
    const e = err as { message?: string; code?: string; lines?: number };
    const line = typeof e.lines === 'number' ? Math.max(1, e.lines - overcount) : null;
    const code = e.code ?? 'READ_FAILED';
    const unclosed = code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_MAX_RECORD_SIZE';
    const why = unclosed ? 'a quoted field is never closed; check for a stray " near that line' : (e.message ?? String(err));
    throw new RecordsReadError(line ? `Line ${line}: ${why}` : why, line, unclosed ? 'QUOTE_NOT_CLOSED' : code);
  } finally {
    parser.destroy();
  }
}

async function* fastBatches(text: AsyncIterable<string>, tokenizer: CsvTokenizer): AsyncGenerator<TokenRow[]> {
  try {
    for await (const chunk of text) {
      const rows = tokenizer.push(chunk);
      if (rows.length > 0) yield rows;
    }
    const last = tokenizer.end();
    if (last.length > 0) yield last;
  } catch (err) {
    if (err instanceof TokenizeError) throw new RecordsReadError(err.message, err.line, err.code);
    throw err;
  }
}

const CSV_PARSE_BATCH = 512;

async function* csvParseBatches(rows: AsyncIterable<PhysicalRow>): AsyncGenerator<PhysicalRow[]> {
  let batch: PhysicalRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= CSV_PARSE_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Streams the records of a delimited text file, detecting its encoding, delimiter and header.
 * The file is read in 64 KiB blocks and never held whole. Blank lines and rows of empty fields
 * are skipped; quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF and CR
 * all end records. Title lines above the header are skipped and counted in info.rowsAboveHeader.
 */
export async function readRecords(filePath: string, opts: ReadRecordsOptions = {}): Promise<RecordReader> {
  const quote = opts.quote === undefined ? '"' : opts.quote;
  const maxRecordChars = opts.maxRecordChars ?? 1_000_000;

  // Detection works on a sample; it grows until it holds a few whole rows (very wide rows).
  let size = opts.sampleBytes ?? DEFAULT_SAMPLE;
  let sample: Buffer;
  let complete: boolean;
  let encoding: TextEncoding;
  let delimiter: Delimiter;
  let head: TokenRow[];
  for (;;) {
    ({ sample, complete } = await readSample(filePath, size));
    encoding = opts.encoding ?? detectEncoding(sample, { complete });
    const text = decodeSample(sample, encoding, complete);
    delimiter = opts.delimiter ?? detectDelimiter(text);
    const tok = new CsvTokenizer({ delimiter, quote, maxRecordChars: Math.max(maxRecordChars, size) });
    try {
      head = tok.push(text);
      if (complete) tok.end(head);
    } catch (err) {
      if (err instanceof TokenizeError) throw new RecordsReadError(err.message, err.line, err.code);
      throw err;
    }
    if (complete || head.length >= HEADER_SEARCH_ROWS || size >= MAX_SAMPLE) break;
    if (head.length >= 2 && sample.length >= size) break;
    size *= 4;
  }
  head = head.slice(0, HEADER_SEARCH_ROWS);

  let headerIndex: number;
  if (opts.headerLine !== undefined) {
    headerIndex = head.findIndex((r) => r.line === opts.headerLine);
    if (headerIndex < 0) {
      throw new RecordsReadError(`Line ${opts.headerLine} is not the start of a row in the first ${head.length} rows`, opts.headerLine, 'HEADER_NOT_FOUND');
    }
  } else {
    headerIndex = head.length === 0 ? -1 : findHeaderLine(head.map((r) => r.fields), opts.headerHints);
  }

  const rawHeaders = headerIndex >= 0 ? head[headerIndex].fields.map((f) => f.trim()) : [];
  const deduped = dedupeHeaders(rawHeaders);
  const headers = deduped.names;
  const headerLine = headerIndex >= 0 ? head[headerIndex].line : 0;
  const info: RecordsInfo = {
    encoding,
    delimiter,
    headerLine,
    headers,
    rawHeaders,
    duplicates: deduped.duplicates,
    blanks: deduped.blanks,
    rowsAboveHeader: Math.max(0, headerIndex),
  };

  const width = headers.length;
  const toItem = (row: PhysicalRow): RecordItem => {
    const record: Record<string, string> = {};
    const f = row.fields;
    for (let i = 0; i < width; i++) record[headers[i]] = i < f.length ? f[i] : '';
    const item: RecordItem = { line: row.line, record, fieldCount: f.length };
    if (f.length > width) item.extra = f.slice(width);
    return item;
  };

  // The file is opened only when iteration starts, so a caller that wanted the info alone
  // (a mapping preview) holds no file handle.
  let decoder: TextDecodeStream | null = null;
  let closed = false;
  const openStream = (): TextDecodeStream => {
    decoder = decodeStream(createReadStream(filePath, { highWaterMark: 64 * 1024 }), encoding);
    return decoder;
  };
  const close = (): void => {
    closed = true;
    decoder?.destroy();
  };

  async function* iterateBatches(): AsyncGenerator<RecordItem[]> {
    try {
      if (headerIndex < 0 || closed) return;
      const text = openStream();
      // The stream restarts at the top of the file: skip the rows up to and including the header.
      let skip: number;
      let batches: AsyncIterable<PhysicalRow[]>;
      if (opts.engine === 'csv-parse') {
        skip = 1;
        batches = csvParseBatches(csvParseRows(text, delimiter, quote, maxRecordChars, headerLine));
      } else {
        skip = headerIndex + 1;
        batches = fastBatches(text, new CsvTokenizer({ delimiter, quote, maxRecordChars }));
      }
      for await (const rows of batches) {
        let from = 0;
        if (skip > 0) {
          from = Math.min(skip, rows.length);
          skip -= from;
        }
        if (from >= rows.length) continue;
        const items = new Array<RecordItem>(rows.length - from);
        for (let i = from; i < rows.length; i++) items[i - from] = toItem(rows[i]);
        yield items;
      }
    } finally {
      close();
    }
  }

  async function* iterate(): AsyncGenerator<RecordItem> {
    for await (const batch of iterateBatches()) {
      for (let i = 0; i < batch.length; i++) yield batch[i];
    }
  }

  let iterated = false;
  return {
    info,
    get fallbackBytes() {
      return decoder?.fallbackBytes ?? 0;
    },
    close,
    batches() {
      if (iterated) throw new Error('readRecords: a reader can be iterated only once');
      iterated = true;
      return iterateBatches();
    },
    [Symbol.asyncIterator]() {
      if (iterated) throw new Error('readRecords: a reader can be iterated only once');
      iterated = true;
      return iterate();
    },
  };
}
