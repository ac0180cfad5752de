import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowseEntry, BrowseResult } from '../../contract';
import { fileError } from './files';

/**
 * A folder's sub-folders and export files, so any desk (browser or Electron) can pick the PIMS
 * export folder of the hub PC. Hidden entries are left out.
 */
export function browseFolder(p?: string): BrowseResult {
  const dir = path.resolve(p && p.trim() ? p : os.homedir());
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw fileError(e, dir);
  }
  const entries: BrowseEntry[] = [];
  for (const d of names) {
    if (d.name.startsWith('.')) continue;
    const full = path.join(dir, d.name);
    let st = null;
    try {
      st = statSync(full);
    } catch {
      continue;
    }
    const isDir = st.isDirectory();
    if (!isDir && !st.isFile()) continue;
    entries.push({ name: d.name, path: full, dir: isDir, bytes: isDir ? null : st.size, modifiedAt: st.mtime.toISOString() });
  }
  entries.sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries: entries.slice(0, 1000) };
}
