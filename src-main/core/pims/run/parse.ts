/**
 * The reading side of an import run: each changed file is read block by block (synchronously:
 * this runs in a thread of its own, or in a command-line process with nothing else to do), its
 * rows checked and handed to the file's layout, and what comes out goes to the writer as
 * operations. Progress is reported every PROGRESS_MS.
 */
import type { ColumnMapping, ImportEntity, ImportFileKind } from '../../../contract';
import type { Delimiter, HeaderRename, TextEncoding } from '../decode';
import { fileError } from '../files';
import { BUILTIN_PROFILES, mappingLayout, type LayoutDef } from '../layouts';
import { readRowsSync, type RawRow } from '../records/read';
import { Collector } from './collect';
import type { OpSink } from './ops';

/** A layout as it can be named across threads: a built-in one by id, a mapping by its definition. */
export interface LayoutRef {
  id: string;
  profile: string;
  label: string;
  mapping: ColumnMapping | null;
}

export interface ParseFile {
  path: string;
  name: string;
  layout: LayoutRef;
  encoding: TextEncoding;
  delimiter: Delimiter;
  headerLine: number;
  headers: string[];
  duplicates: HeaderRename[];
  bytes: number;
}

export interface ParsePlan {
  files: ParseFile[];
  timeZone: string;
  referenceYear: number;
  /** The source's reminder codes and their descriptions, as the database has them. */
  codeDescriptions: [string, string | null][];
}

export interface ParseProgress {
  file: string;
  fileIndex: number;
  rows: number;
  rowsPerSecond: number;
  bytesDone: number;
}

export interface ParseOutcome {
  rowsRead: number;
  notes: Record<string, number>;
  noteLists: Record<string, string[]>;
}

export interface ParseHooks {
  progress(p: ParseProgress): void;
  /** True once the writer gave up: reading stops at the next block. */
  stopped(): boolean;
}

/** Thrown when the writer gave up; the writer reports why. */
export class ParseStopped extends Error {}

const PROGRESS_MS = 200;

/** Lines listed one by one for a problem that repeats through a file; the rest are counted. */
const MAX_LINES_LISTED = 20;

const NOT_UTF8 = 'A byte on this line is not valid UTF-8, though the file was read as UTF-8: it was read as Windows-1252 (0xE9 as "é"). Check the accented letters on this line.';

/** A file's last row that ends without a line break and lacks cells: the copy or export stopped mid-row. */
function cutOff(line: number, cells: number, width: number, inQuote: boolean): string {
  const what = cells < width ? `Line ${line} has ${cells} of ${width} columns` : `Line ${line} ends inside a quoted value`;
  return `${what} and the file ends there: the export looks cut off. This row was not imported; export the file again.`;
}

export function resolveLayout(ref: LayoutRef): LayoutDef {
  if (ref.mapping) return mappingLayout(ref.mapping, { id: ref.id, profile: ref.profile, label: ref.label });
  for (const p of BUILTIN_PROFILES) for (const l of p.layouts) if (l.id === ref.id) return l;
  throw new Error(`unknown layout ${ref.id}`);
}

const primaryEntity = (k: ImportFileKind): ImportEntity | null => (k === 'combined' ? null : k);

export function parseFiles(plan: ParsePlan, sink: OpSink, hooks: ParseHooks): ParseOutcome {
  const out = new Collector(sink, plan.timeZone, plan.codeDescriptions);
  const ctx = { timeZone: plan.timeZone, referenceYear: plan.referenceYear };
  const start = performance.now();
  let rowsRead = 0;
  let bytesBefore = 0;
  let lastReport = 0;
  for (const [i, f] of plan.files.entries()) {
    const layout = resolveLayout(f.layout);
    out.beginFile(f.name, primaryEntity(layout.kind), layout.full);
    let rows = 0;
    try {
      for (const dup of f.duplicates) {
        out.problem(f.headerLine, `The column "${dup.name}" appears more than once; the repeat is read as "${dup.renamedTo}".`, 'warning', 'duplicate-header');
      }
      const mapper = layout.bind(f.headers, ctx);
      const width = f.headers.length;
      const badUtf8 = new Set<number>();
      let badUtf8More = 0;
      let cut: RawRow | null = null;
      let cutInQuote = false;
      let shortRows = false;
      const read = {
        encoding: f.encoding,
        delimiter: f.delimiter,
        headerLine: f.headerLine,
        quote: layout.quote,
        onNotUtf8(line: number) {
          if (badUtf8.has(line)) return;
          if (badUtf8.size < MAX_LINES_LISTED) {
            badUtf8.add(line);
            out.problem(line, NOT_UTF8, 'warning', 'not-utf8');
          } else badUtf8More++;
        },
        onCutRow(row: RawRow, inQuote: boolean) {
          cut = row;
          cutInQuote = inQuote;
        },
      };
      readRowsSync(f.path, read, (batch, bytes) => {
        if (hooks.stopped()) throw new ParseStopped();
        for (const row of batch) {
          const fields = row.fields;
          // Short rows elsewhere mean an exporter that drops trailing empty cells: then a short
          // last row is one more of them, unless it stops inside a quoted value.
          if (row === cut && (cutInQuote || (fields.length < width && !shortRows))) {
            out.problem(row.line, cutOff(row.line, fields.length, width, cutInQuote), 'error', 'truncated-row');
            if (layout.full.length > 0) out.problem(null, `${f.name} looks cut off, so the records it does not list were not marked as gone. Export it again and import it.`, 'warning', 'truncated-file');
            continue;
          }
          if (fields.length > width && fields.slice(width).some((x) => x.trim() !== '')) {
            out.problem(row.line, `The row has ${fields.length} fields where the header has ${width}; the extra ones are ignored.`, 'warning', 'extra-fields');
          }
          // Too few fields with a quote inside a value: a stray quote swallowed delimiters and
          // every later column moved. Importing it would put a ZIP in the city; reject the row.
          if (fields.length > 1 && fields.length < width && fields.some((x) => x.includes('"'))) {
            out.problem(row.line, `The row has ${fields.length} fields where the header has ${width}, and a stray quote (") inside a value; the row was not imported. Fix the quote in the PIMS record and export again.`, 'error', 'stray-quote');
            continue;
          }
          if (fields.length < width) shortRows = true;
          mapper(fields, row.line, out);
        }
        rows += batch.length;
        rowsRead += batch.length;
        const now = performance.now();
        if (now - lastReport > PROGRESS_MS) {
          lastReport = now;
          hooks.progress({ file: f.name, fileIndex: i + 1, rows: rowsRead, rowsPerSecond: Math.round(rowsRead / Math.max(0.001, (now - start) / 1000)), bytesDone: bytesBefore + bytes });
        }
      });
      if (badUtf8More > 0) out.problem(null, `${badUtf8More} more lines have bytes that are not valid UTF-8, read as Windows-1252. Check the accented letters in this file.`, 'warning', 'not-utf8');
    } catch (e) {
      if (e instanceof ParseStopped) throw e;
      const err = fileError(e, f.path);
      const line = (e as { line?: number }).line;
      throw Object.assign(err, line ? { problemFile: f.name, problemLine: line } : { problemFile: f.name });
    }
    out.endFile(rows);
    bytesBefore += f.bytes;
  }
  hooks.progress({ file: '', fileIndex: plan.files.length, rows: rowsRead, rowsPerSecond: Math.round(rowsRead / Math.max(0.001, (performance.now() - start) / 1000)), bytesDone: bytesBefore });
  return { rowsRead, notes: out.notes, noteLists: out.noteLists };
}
