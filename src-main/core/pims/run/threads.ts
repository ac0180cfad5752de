/**
 * Starts an import run's threads. The packaged app runs the bundles scripts/build-main.mjs makes
 * beside main.cjs (pims-writer.cjs, pims-reader.cjs); from the sources (tsx, vitest) a worker does
 * not inherit tsx's loader, so thread-boot.cjs registers tsx's CommonJS hook (cheap: no loader
 * thread) and loads the TypeScript entry.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';

const here = fileURLToPath(import.meta.url);
const fromSources = here.endsWith('.ts');

export type ThreadName = 'writer' | 'reader';

export function startThread(name: ThreadName, workerData: Record<string, unknown>, transferList: TransferListItem[]): Worker {
  const dir = path.dirname(here);
  // The host's flags (tsx's --import, Electron's) are not the thread's business. A run's garbage
  // is short-lived (rows, cells): a small young generation keeps the run's memory down for little
  // extra collecting.
  const opts = { transferList, execArgv: [] as string[], resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  if (fromSources) return new Worker(path.join(dir, 'thread-boot.cjs'), { ...opts, workerData: { ...workerData, entry: path.join(dir, `${name}-thread.ts`) } });
  return new Worker(path.join(dir, `pims-${name}.cjs`), { ...opts, workerData });
}
