/**
 * Watches the export folder set in Settings. A PIMS writes its export over seconds (several
 * files, each in pieces), so a file counts as ready only when its size has stopped changing
 * (chokidar's awaitWriteFinish), and the folder is imported once no file has changed for a
 * while. A file the PIMS still holds open (EBUSY/EPERM on Windows) fails the run as
 * 'import.locked', which is retried with a growing delay; nothing is half-read.
 */
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';
import type { WatchStatus } from '../../contract';
import type { EventBus } from '../shared/events';
import type { Logger } from '../shared/log';
import { isExportFile, listExportFiles } from './files';
import type { Importer } from './importer';

export interface WatcherOptions {
  /** A file is ready when its size has not changed for this long. */
  stableMs?: number;
  pollMs?: number;
  /** Then the folder is imported when no file has changed for this long. */
  settleMs?: number;
  /** Delays before retrying a locked file. */
  retryMs?: number[];
  /** Tests on network or container file systems. */
  usePolling?: boolean;
}

export interface FolderWatcher {
  start(): void;
  stop(): Promise<void>;
  status(): WatchStatus;
  /** Re-reads the folder setting (called when settings change). */
  refresh(): void;
}

export function createFolderWatcher(deps: { folder(): string | null; importer: Importer; events: EventBus; log: Logger }, o: WatcherOptions = {}): FolderWatcher {
  const stableMs = o.stableMs ?? 2000;
  const settleMs = o.settleMs ?? 3000;
  const retryMs = o.retryMs ?? [5_000, 15_000, 30_000, 60_000, 120_000];
  let watcher: FSWatcher | null = null;
  let folder: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;
  let started = false;
  const pending = new Set<string>();
  let st: WatchStatus = { folder: null, state: 'off', pendingFiles: [] };

  const set = (patch: Partial<WatchStatus>) => {
    st = { ...st, ...patch, folder, pendingFiles: [...pending].map((p) => path.basename(p)).sort() };
    deps.events.emit('imports.watch', st);
  };

  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runImport(), ms);
  };

  async function runImport(): Promise<void> {
    timer = null;
    if (!folder) return;
    const target = folder;
    set({ state: 'importing', message: undefined });
    const batch = [...pending];
    pending.clear();
    try {
      const summary = await deps.importer.run({ path: target }, 'watch');
      if (folder !== target) return;
      if (summary.status === 'failed' && summary.errorCode === 'import.locked' && attempt < retryMs.length) {
        for (const f of batch) pending.add(f);
        const wait = retryMs[attempt++];
        set({ state: 'retrying', message: `${summary.error} Next try in ${Math.round(wait / 1000)} s.`, lastRunId: summary.runId });
        schedule(wait);
        return;
      }
      attempt = 0;
      set({ state: summary.status === 'failed' ? 'error' : 'watching', message: summary.status === 'failed' ? summary.error : undefined, lastRunId: summary.runId });
      if (pending.size) schedule(settleMs);
    } catch (e) {
      set({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  const onFile = (p: string) => {
    if (!isExportFile(path.basename(p))) return;
    pending.add(p);
    attempt = 0;
    set({ state: 'waiting', message: undefined });
    schedule(settleMs);
  };

  async function close(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    pending.clear();
    const w = watcher;
    watcher = null;
    if (w) await w.close();
  }

  function open(): void {
    folder = deps.folder();
    if (!folder) {
      set({ state: 'off', message: undefined });
      return;
    }
    const target = folder;
    const w = watch(target, {
      depth: 0,
      ignoreInitial: true,
      usePolling: o.usePolling ?? false,
      interval: o.pollMs ?? 250,
      awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: o.pollMs ?? 250 },
    });
    watcher = w;
    w.on('add', onFile);
    w.on('change', onFile);
    w.on('error', (e) => {
      deps.log.warn('export folder watch error', { code: (e as NodeJS.ErrnoException).code ?? 'unknown' });
      set({ state: 'error', message: 'The export folder cannot be watched. Check that it exists and Pawline may read it.' });
    });
    // Exports written while Pawline was closed: import once at start (unchanged files are skipped by hash).
    w.on('ready', () => {
      if (watcher !== w) return;
      set({ state: 'watching', message: undefined });
      let hasFiles = false;
      try {
        hasFiles = listExportFiles(target).files.length > 0;
      } catch {
        // reported by the 'error' event
      }
      if (hasFiles) schedule(0);
    });
  }

  return {
    start() {
      if (started) return;
      started = true;
      open();
    },
    async stop() {
      started = false;
      await close();
      folder = null;
      set({ state: 'off' });
    },
    status: () => st,
    refresh() {
      if (!started) return;
      if (deps.folder() === folder) return;
      void close().then(() => {
        if (started) open();
      });
    },
  };
}
