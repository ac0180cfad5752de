import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../shared/errors';

/** Extensions PIMS exports use for delimited text. */
const EXPORT_EXT = /\.(csv|txt|tsv|tab|psv|dat)$/i;
/** Office lock files, editors' and browsers' partial downloads. */
const TEMPORARY = /^(~\$|\.)|\.(tmp|part|crdownload|partial|bak)$/i;

export function isExportFile(name: string): boolean {
  return EXPORT_EXT.test(name) && !TEMPORARY.test(name);
}

export interface ExportFiles {
  folder: boolean;
  files: string[];
  ignored: string[];
}

/** The export files of a folder (not recursive), or the one file given. */
export function listExportFiles(p: string): ExportFiles {
  const abs = path.resolve(p);
  let st;
  try {
    st = statSync(abs);
  } catch (e) {
    throw fileError(e, abs);
  }
  if (!st.isDirectory()) return { folder: false, files: [abs], ignored: [] };
  const files: string[] = [];
  const ignored: string[] = [];
  for (const ent of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!ent.isFile()) continue;
    if (isExportFile(ent.name)) files.push(path.join(abs, ent.name));
    else ignored.push(ent.name);
  }
  return { folder: true, files, ignored };
}

/** File system errors in words a receptionist can act on; a locked file is retried by the watcher. */
export function fileError(e: unknown, file: string): Error {
  if (e instanceof ApiError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const name = path.basename(file);
  if (code === 'ENOENT') return new ApiError('import.not-found', `"${file}" does not exist. Check the export folder in Settings.`);
  if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES' || code === 'ETXTBSY')
    return new ApiError('import.locked', `${name} is in use by another program (the practice software may still be writing it). Pawline will try again.`);
  if (code === 'EISDIR') return new ApiError('import.not-a-file', `${name} is a folder, not an export file.`);
  return e instanceof Error ? e : new Error(String(e));
}
