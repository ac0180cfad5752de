/**
 * Starts the core's background threads: an import run's writer and reader, and a campaign's
 * outbox writer. The packaged app runs the bundles scripts/build-main.mjs makes beside main.cjs
 * (pims-writer.cjs, pims-reader.cjs, campaign-writer.cjs); from the sources (tsx, vitest) a worker
 * does not inherit tsx's loader, so thread-boot.cjs registers tsx's CommonJS hook (cheap: no loader
 * thread) and loads the TypeScript entry.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';

const here = fileURLToPath(import.meta.url);
const fromSources = here.endsWith('.ts');

/** Each thread's entry, relative to src-main/core; the bundle of the same name is `<name>.cjs`. */
const ENTRIES = {
  'pims-writer': 'pims/run/writer-thread.ts',
  'pims-reader': 'pims/run/reader-thread.ts',
  'campaign-writer': 'campaigns/writer-thread.ts',
} as const;

export type ThreadName = keyof typeof ENTRIES;

export function startThread(name: ThreadName, workerData: Record<string, unknown>, transferList: TransferListItem[] = [], resourceLimits?: ResourceLimits): Worker {
  const dir = path.dirname(here);
  // The host's flags (tsx's --import, Electron's) are not the thread's business.
  const opts = { transferList, execArgv: [] as string[], resourceLimits };
  if (fromSources) return new Worker(path.join(dir, 'thread-boot.cjs'), { ...opts, workerData: { ...workerData, entry: path.join(dir, '..', ENTRIES[name]) } });
  return new Worker(path.join(dir, `${name}.cjs`), { ...opts, workerData });
}
