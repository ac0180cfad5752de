/**
 * Import runs, one at a time. A run lists the export files, recognises each one's layout and
 * skips files whose content hash matches their last import (all on the main thread: it is quick
 * and mostly waiting for the disk). The changed files are then read and written by two threads
 * working side by side (run/protocol.ts):
 *   - the writer thread opens its own connection to the desk's database and holds the run's ONE
 *     transaction, into which it writes the records as they come, then the run's own record;
 *   - the reading side decodes, checks and normalises the files' rows and streams them to it: a
 *     thread of its own in the desk, so the main thread stays free (and its own database writes
 *     merely wait for the run's commit); the main thread itself on the command line.
 * A fatal error anywhere rolls the transaction back, leaving the database exactly as it was; the
 * failed run and its problems are then recorded in a separate, small transaction.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel, type Worker } from 'node:worker_threads';
import type { ColumnMapping, FilePreview, ImportFileSummary, ImportPreview, ImportProgress, ImportRunRequest, ImportRunSummary } from '../../contract';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import type { EventBus } from '../shared/events';
import type { Logger } from '../shared/log';
import { TokenizeError } from './decode/tokenizer';
import { fileError, listExportFiles } from './files';
import { ALL_HEADER_HINTS, BUILTIN_PROFILES, builtinProfile, detectLayout, mappingLayout, suggestMapping, type LayoutDef, type ProfileDef } from './layouts';
import { parseMapping, savedMapping } from './profiles';
import { sniffFile, type Sniffed, type SniffOptions } from './records/read';
import { fileSha256 } from './run/hash';
import type { LayoutRef, ParseFile, ParsePlan, ParseProgress } from './run/parse';
import { fromWire, HOOK_OK, HOOK_THREW, SYNC_HOOK, SYNC_SLOTS, SYNC_STOP, SYNC_IN_FLIGHT, toWire, type WriteRequest, type WriterMessage, type ReaderMessage } from './run/protocol';
import { readToWriter } from './run/read-side';
import { buildSummary, type RunMeta, type RunTally } from './run/summary';
import { startThread } from '../shared/threads';
import type { RunProblem } from './run/writer';
import { busyError, isBusy, writeLocked } from './busy';
import { alreadyImported, failInterruptedRuns, finishRun, liveRunsElsewhere, recordFiles, recordProblems, STALE_MS, startRun } from './runs';

export const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

export interface ImporterDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  log: Logger;
  dataDir: string;
  /** The clinic's IANA zone; appointment times in exports are clinic-local. */
  timeZone(): string;
  /** Tests: called after each apply step ('clients', 'patients', ...); throwing simulates a crash halfway. */
  onApplyStep?(step: string): void;
  /**
   * Read the files on the main thread (the command line). Not in the desk: there the main thread's
   * own database writes would wait for the run's transaction while the run waits for the reading.
   */
  readInMainThread?: boolean;
}

export type ImportTrigger = ImportRunSummary['trigger'];

export interface Importer {
  run(req: ImportRunRequest, trigger?: ImportTrigger): Promise<ImportRunSummary>;
  preview(arg: { path: string; encoding?: FilePreview['encoding']; delimiter?: FilePreview['delimiter']; headerLine?: number }): Promise<ImportPreview>;
  progress(): ImportProgress | null;
  busy(): boolean;
}

interface Plan {
  path: string;
  name: string;
  sniff: Sniffed;
  layout: LayoutDef;
  encoding: Sniffed['info']['encoding'];
  sha256: string;
  skip: boolean;
}

/** Why a file that is not text or holds nothing cannot be imported, in the desk's words (short: for a list). */
function unusableReason(name: string, content: Sniffed['content']): { code: string; short: string; reason: string } | null {
  if (content === 'empty') return { code: 'empty-file', short: `${name} is empty`, reason: `${name} is empty: there is nothing to import in it. Export it again from the practice software.` };
  if (content === 'binary') {
    const short = `${name} is not a text export`;
    return { code: 'not-text', short, reason: `${short} (it holds binary data, like a spreadsheet or database file). Save or export it as CSV or text, then import that.` };
  }
  if (content === 'no-lines') {
    const short = `${name} has no line break in its first 64 KB`;
    return { code: 'line-too-long', short, reason: `${short}: it is not a text export, or its lines run together. Export it again as CSV or text.` };
  }
  return null;
}

/**
 * Staging files that earlier versions of Pawline left when a crash interrupted a run: they hold
 * personal data and are never used again. Only old ones, in case such a version is still running.
 */
function removeLeftoverStaging(dataDir: string, now: Date): void {
  const dir = path.join(dataDir, 'tmp');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!/^import-\d+\.stage\.sqlite3/.test(n)) continue;
    const file = path.join(dir, n);
    try {
      if (now.getTime() - statSync(file).mtimeMs > STALE_MS) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  }
}

/** A run's garbage is short-lived (rows, cells): a small young generation keeps its memory down for little extra collecting. */
const RUN_LIMITS = { maxYoungGenerationSizeMb: 8 };

export function createImporter(d: ImporterDeps): Importer {
  const { db, clock, events, log } = d;
  // The run's threads open the desk's database by its file.
  if (db.memory) throw new Error('The importer needs a database file: its threads open their own connection to it.');
  const dbPath = db.name;
  let tail: Promise<unknown> = Promise.resolve();
  let current: ImportProgress | null = null;
  let running = 0;
  sweepInterrupted();
  removeLeftoverStaging(d.dataDir, clock.now());

  /** Marks runs whose process is gone as failed; while another import holds the database, the next check does it. */
  function sweepInterrupted(): void {
    try {
      failInterruptedRuns(db, clock.now());
    } catch (e) {
      if (!isBusy(e)) throw e;
    }
  }

  /**
   * Starts the run's record, unless another process is importing into this data folder: then the
   * import stops at once with a message saying so, rather than after the database's wait.
   */
  function startOwnRun(r: Parameters<typeof startRun>[1]): number {
    sweepInterrupted();
    if (liveRunsElsewhere(db, clock.now()).length > 0 && writeLocked(db)) throw busyError();
    try {
      return startRun(db, r);
    } catch (e) {
      throw isBusy(e) ? busyError() : e;
    }
  }

  const queue = <T>(fn: () => Promise<T>): Promise<T> => {
    running++;
    const p = tail.then(fn, fn).finally(() => running--);
    tail = p.catch(() => undefined);
    return p;
  };

  const emit = (p: ImportProgress) => {
    current = p.phase === 'done' || p.phase === 'failed' ? null : p;
    events.emit('imports.progress', p);
  };

  /** Which layouts a run may use, and the profile (source) they belong to. */
  function layoutChooser(req: ImportRunRequest): { pick(headers: readonly string[], name: string): LayoutDef | null; profile: string | null; mapping: ColumnMapping | null } {
    if (req.mapping) {
      const m = parseMapping(req.mapping);
      const name = req.profile?.trim() || 'mapping';
      const layout = mappingLayout(m, { id: 'mapping', profile: name, label: name === 'mapping' ? 'Column mapping' : `Mapping "${name}"` });
      return { pick: () => layout, profile: name, mapping: m };
    }
    if (req.profile) {
      const builtin = builtinProfile(req.profile);
      if (builtin) return { pick: (h, n) => detectLayout(h, n, [builtin]), profile: builtin.name, mapping: null };
      const saved = savedMapping(db, req.profile);
      if (!saved) throw new ApiError('import.unknown-profile', `There is no layout or saved mapping called "${req.profile}".`);
      const layout = mappingLayout(saved, { id: 'mapping', profile: req.profile, label: `Mapping "${req.profile}"` });
      return { pick: () => layout, profile: req.profile, mapping: saved };
    }
    return { pick: (h, n) => detectLayout(h, n, BUILTIN_PROFILES as ProfileDef[]), profile: null, mapping: null };
  }

  async function sniffFor(file: string, opts: SniffOptions, pick: (h: readonly string[], n: string) => LayoutDef | null) {
    const sniff = await sniffFile(file, { headerHints: ALL_HEADER_HINTS, ...opts });
    const layout = pick(sniff.info.headers, path.basename(file));
    // A layout's declared encoding wins over detection only while the sample could not tell.
    const encoding = opts.encoding ?? (layout?.encoding && sniff.asciiOnly ? layout.encoding : sniff.info.encoding);
    return { sniff, layout, encoding };
  }

  async function doRun(req: ImportRunRequest, trigger: ImportTrigger): Promise<ImportRunSummary> {
    const started = clock.now();
    const startEpochMs = Date.now();
    const runId = startOwnRun({ source: req.source ?? req.profile ?? 'auto', profile: req.profile ?? null, trigger, startedAt: started.toISOString() });
    const files: ImportFileSummary[] = [];
    const fileProblems: RunProblem[] = [];
    let source = req.source ?? req.profile ?? 'auto';
    let profile: string | null = req.profile ?? null;
    /** What the threads counted before a failure, for the failed run's record. */
    let partial: { tally: RunTally; problems: RunProblem[]; overflow: number } | null = null;
    const progress: ImportProgress = { runId, phase: 'hashing', file: null, fileIndex: 0, fileCount: 0, rows: 0, rowsPerSecond: 0, bytesDone: 0, bytesTotal: 0 };
    const meta = (): RunMeta => ({ runId, source, profile, trigger, startedAt: started.toISOString() });
    emit({ ...progress });

    try {
      const chooser = layoutChooser(req);
      const listed = listExportFiles(req.path);
      if (listed.files.length === 0) throw new ApiError('import.no-files', `No export files (.csv, .txt, .tsv) in ${req.path}.`);
      // Hashing reads every byte: it starts now and overlaps the recognising below.
      const hashes = new Map(listed.files.map((f) => [f, fileSha256(f).then((sha) => ({ sha }), (error: unknown) => ({ error }))]));
      const sniffOpts: SniffOptions = chooser.mapping ? { encoding: chooser.mapping.encoding, delimiter: chooser.mapping.delimiter, headerLine: chooser.mapping.headerLine } : {};

      // Recognise each file; a folder may hold files that are not exports at all.
      const recognised: Omit<Plan, 'sha256' | 'skip'>[] = [];
      const unusable: NonNullable<ReturnType<typeof unusableReason>>[] = [];
      for (const file of listed.files) {
        let s;
        try {
          s = await sniffFor(file, sniffOpts, chooser.pick);
        } catch (e) {
          throw fileError(e, file);
        }
        const name = path.basename(file);
        const why = unusableReason(name, s.sniff.content);
        if (why) {
          unusable.push(why);
          fileProblems.push({ file: name, line: null, severity: 'warning', code: why.code, reason: why.reason });
          continue;
        }
        if (!s.layout) {
          fileProblems.push({ file: name, line: null, severity: 'warning', code: 'unknown-layout', reason: 'Not a layout Pawline knows; not imported. Open it on the Import screen to map its columns.' });
          continue;
        }
        recognised.push({ path: file, name, sniff: s.sniff, layout: s.layout, encoding: s.encoding });
      }
      if (recognised.length === 0) {
        if (unusable.length === listed.files.length) {
          const code = unusable.every((u) => u.code === unusable[0].code) ? `import.${unusable[0].code}` : 'import.not-text';
          throw new ApiError(code, listed.folder ? `Nothing in ${req.path} can be imported: ${unusable.map((u) => u.short).slice(0, 5).join('; ')}.` : unusable[0].reason);
        }
        throw new ApiError('import.unknown-layout', listed.folder ? `None of the files in ${req.path} is a layout Pawline knows. Choose a layout or map the columns on the Import screen.` : `${path.basename(req.path)} is not a layout Pawline knows. Map its columns on the Import screen (or pass --mapping).`);
      }

      // One run, one profile: files of another PIMS in the same folder wait for their own run.
      if (!profile) {
        const tally = new Map<string, number>();
        for (const r of recognised) tally.set(r.layout.profile, (tally.get(r.layout.profile) ?? 0) + 1);
        profile = [...tally.entries()].sort((a, b) => b[1] - a[1])[0][0];
      }
      source = req.source?.trim() || profile;
      const plans: Plan[] = [];
      for (const r of recognised) {
        if (r.layout.profile !== profile) {
          fileProblems.push({ file: r.name, line: null, severity: 'warning', code: 'other-profile', reason: `Looks like a ${r.layout.label} file, not ${profile}; import it on its own.` });
          continue;
        }
        const h = await hashes.get(r.path)!;
        if ('error' in h) throw fileError(h.error, r.path);
        const sha256 = h.sha;
        // A column mapping may have changed since (a mapping saved under the same name, or chosen
        // again on the Import screen): what the file holds then means something else, so it is read.
        const skip = !req.force && !chooser.mapping && alreadyImported(db, { source, profile, layout: r.layout.id, path: r.path, sha256, byPath: r.layout.kind === 'combined' });
        plans.push({ ...r, sha256, skip });
      }
      const kinds = new Map<string, Plan>();
      for (const p of plans) {
        const prev = kinds.get(p.layout.id);
        if (prev && p.layout.kind !== 'combined') throw new ApiError('import.ambiguous', `${prev.name} and ${p.name} are both ${p.layout.label} files; keep one export per folder.`);
        kinds.set(p.layout.id, p);
      }
      plans.sort((a, b) => a.layout.order - b.layout.order || a.name.localeCompare(b.name));
      for (const p of plans) {
        files.push({
          path: p.path,
          name: p.name,
          layout: p.layout.id,
          kind: p.layout.kind,
          sha256: p.sha256,
          bytes: p.sniff.bytes,
          rows: 0,
          skippedUnchanged: p.skip,
          encoding: p.encoding,
          delimiter: p.sniff.info.delimiter,
        });
      }

      const changed = plans.filter((p) => !p.skip);
      let summary: ImportRunSummary;
      if (changed.length === 0) {
        summary = db.transaction(() => {
          const s = buildSummary(meta(), files, fileProblems, null);
          s.finishedAt = clock.now().toISOString();
          s.durationMs = Date.now() - startEpochMs;
          finishRun(db, s);
          recordFiles(db, runId, files);
          recordProblems(db, runId, fileProblems);
          return s;
        })();
      } else {
        const layoutRef = (l: LayoutDef): LayoutRef => ({ id: l.id, profile: l.profile, label: l.label, mapping: chooser.mapping });
        const plan: ParsePlan = {
          timeZone: d.timeZone(),
          referenceYear: started.getFullYear(),
          codeDescriptions: db.prepare<[string], [string, string | null]>('SELECT code, description FROM reminder_codes WHERE source = ?').raw().all(source),
          files: changed.map(
            (p): ParseFile => ({
              path: p.path,
              name: p.name,
              layout: layoutRef(p.layout),
              encoding: p.encoding,
              delimiter: p.sniff.info.delimiter,
              headerLine: p.sniff.info.headerLine,
              headers: p.sniff.info.headers,
              duplicates: p.sniff.info.duplicates,
              bytes: p.sniff.bytes,
            }),
          ),
        };
        progress.phase = 'reading';
        progress.fileCount = changed.length;
        progress.bytesTotal = changed.reduce((n, p) => n + p.sniff.bytes, 0);
        emit({ ...progress });
        const write: WriteRequest = {
          dbPath,
          meta: meta(),
          files,
          fileProblems,
          now: started.toISOString(),
          allowMassRemoval: !!req.allowRemovals,
          startEpochMs,
          clockSkewMs: started.getTime() - startEpochMs,
          stepHook: !!d.onApplyStep,
        };
        const outcome = await runThreads(plan, write);
        if (outcome.t === 'failed') {
          for (const [name, rows] of outcome.fileRows) {
            const f = files.find((x) => x.name === name);
            if (f) f.rows = rows;
          }
          partial = { tally: outcome.tally, problems: outcome.problems, overflow: outcome.overflow };
          throw fromWire(outcome.error);
        }
        summary = outcome.summary;
      }
      log.info('import finished', { runId, status: summary.status, inserted: summary.totals.inserted, updated: summary.totals.updated, gone: summary.totals.gone, rejected: summary.totals.rejected, ms: summary.durationMs });
      emit({ ...progress, phase: 'done' });
      events.emit('imports.finished', summary);
      return summary;
    } catch (caught) {
      // The writer thread waited for another process's import and gave up: say that, not "internal error".
      const e = isBusy(caught) ? busyError() : caught;
      const summary = buildSummary(meta(), files, fileProblems, partial?.tally ?? null);
      summary.status = 'failed';
      const readable = e instanceof ApiError || e instanceof TokenizeError;
      const shape = readable ? (e as Error).message : `The import stopped because of an internal error (${e instanceof Error ? e.name : 'Error'}). Nothing was changed.`;
      summary.error = shape;
      summary.errorCode = e instanceof ApiError ? e.code : readable ? 'import.unreadable' : 'import.internal';
      // The error that stopped the run is one of its problems, and is counted as one.
      summary.errors += 1;
      summary.finishedAt = clock.now().toISOString();
      summary.durationMs = Date.now() - startEpochMs;
      const extra = e as { problemFile?: string; problemLine?: number; code?: string };
      const fatal: RunProblem = { file: extra.problemFile ?? '', line: extra.problemLine ?? null, severity: 'error', code: 'fatal', reason: shape };
      try {
        db.transaction(() => {
          finishRun(db, summary);
          recordFiles(db, runId, files);
          recordProblems(db, runId, [fatal, ...fileProblems, ...(partial?.problems ?? [])], partial?.overflow ?? 0);
        })();
      } catch (recordError) {
        log.error('could not record failed import', { runId, error: recordError instanceof Error ? recordError.name : 'Error' });
      }
      log.warn('import failed', { runId, code: e instanceof ApiError ? e.code : extra.code ?? (e instanceof Error ? e.name : 'Error') });
      if (!readable) log.error('import error', { runId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      emit({ ...progress, phase: 'failed' });
      events.emit('imports.finished', summary);
      return summary;
    }

    /** Runs the writer thread and the reading side; resolves with the writer's last word. */
    async function runThreads(plan: ParsePlan, write: WriteRequest): Promise<Extract<WriterMessage, { t: 'done' | 'failed' }>> {
      const sync = new Int32Array(new SharedArrayBuffer(SYNC_SLOTS * 4));
      const { port1, port2 } = new MessageChannel();
      const writer = startThread('pims-writer', { req: write, port: port2, sync: sync.buffer }, [port2], RUN_LIMITS);
      let reader: Worker | null = null;
      const readStart = performance.now();
      const onProgress = (p: ParseProgress) => {
        progress.file = p.file || null;
        progress.fileIndex = p.fileIndex;
        progress.rows = p.rows;
        progress.rowsPerSecond = p.rowsPerSecond;
        progress.bytesDone = p.bytesDone;
        emit({ ...progress });
      };
      const saving = () => {
        progress.phase = 'saving';
        progress.file = null;
        progress.bytesDone = progress.bytesTotal;
        progress.rowsPerSecond = Math.round(progress.rows / Math.max(0.001, (performance.now() - readStart) / 1000));
        emit({ ...progress });
      };
      const lost = (what: string, e?: unknown): Extract<WriterMessage, { t: 'failed' }> => ({
        t: 'failed',
        error: toWire(e ?? new Error(`the ${what} thread stopped`)),
        tally: { counts: null, readRejected: {}, errors: 0, warnings: 0, duplicateRows: 0, notes: {}, noteLists: {}, rowsRead: 0 },
        problems: [],
        overflow: 0,
        fileRows: [],
      });
      const result = new Promise<Extract<WriterMessage, { t: 'done' | 'failed' }>>((resolve) => {
        writer.on('message', (m: WriterMessage) => {
          if (m.t !== 'step') return resolve(m);
          let answer = HOOK_OK;
          try {
            d.onApplyStep?.(m.step);
          } catch {
            answer = HOOK_THREW;
          }
          Atomics.store(sync, SYNC_HOOK, answer);
          Atomics.notify(sync, SYNC_HOOK);
        });
        writer.on('error', (e) => resolve(lost('writer', e)));
        writer.on('exit', () => resolve(lost('writer')));
      });
      const stopReading = () => {
        Atomics.store(sync, SYNC_STOP, 1);
        Atomics.notify(sync, SYNC_IN_FLIGHT);
      };
      try {
        if (d.readInMainThread && !d.onApplyStep) {
          readToWriter(plan, port1, sync, onProgress);
          saving();
        } else {
          reader = startThread('pims-reader', { req: { plan }, port: port1, sync: sync.buffer }, [port1], RUN_LIMITS);
          reader.on('message', (m: ReaderMessage) => (m.t === 'progress' ? onProgress(m.p) : saving()));
          // A reading thread that dies without a word would leave the writer waiting: tell it.
          reader.on('error', (e) => writer.postMessage({ t: 'abort', error: toWire(e) }));
        }
        const last = await result;
        // The reading thread's last messages may come after the writer's: the run is past them.
        reader?.removeAllListeners('message');
        if (progress.phase === 'reading') saving();
        return last;
      } finally {
        stopReading();
        void reader?.terminate();
      }
    }
  }

  async function preview(arg: { path: string; encoding?: FilePreview['encoding']; delimiter?: FilePreview['delimiter']; headerLine?: number }): Promise<ImportPreview> {
    const listed = listExportFiles(arg.path);
    const out: FilePreview[] = [];
    for (const file of listed.files.slice(0, 50)) {
      const name = path.basename(file);
      try {
        const { sniff, layout, encoding } = await sniffFor(file, { encoding: arg.encoding, delimiter: arg.delimiter, headerLine: arg.headerLine }, (h, n) => detectLayout(h, n));
        const why = unusableReason(name, sniff.content);
        const s = encoding !== sniff.info.encoding ? await sniffFile(file, { headerHints: ALL_HEADER_HINTS, encoding, delimiter: arg.delimiter, headerLine: arg.headerLine }) : sniff;
        const headers = s.info.headers;
        out.push({
          path: file,
          name,
          bytes: s.bytes,
          encoding: s.info.encoding,
          delimiter: s.info.delimiter,
          headerLine: s.info.headerLine,
          headers,
          duplicateHeaders: s.info.duplicates.map((x) => ({ name: x.name, renamedTo: x.renamedTo })),
          rowsAboveHeader: s.info.rowsAboveHeader,
          rows: s.sampleRows.slice(0, 20).map((r) => headers.map((_, i) => r.fields[i] ?? '')),
          layout: layout ? { id: layout.id, profile: layout.profile, label: layout.label, kind: layout.kind } : null,
          suggestedMapping: why || (layout && layout.kind !== 'combined') ? null : suggestMapping(headers),
          ...(why ? { problem: why.reason } : {}),
        });
      } catch (e) {
        const err = fileError(e, file);
        out.push({
          path: file, name, bytes: 0, encoding: 'utf-8', delimiter: ',', headerLine: 0, headers: [], duplicateHeaders: [], rowsAboveHeader: 0, rows: [], layout: null, suggestedMapping: null,
          problem: err instanceof ApiError ? err.message : 'This file could not be read.',
        });
      }
    }
    return { path: path.resolve(arg.path), isFolder: listed.folder, files: out, ignored: listed.ignored };
  }

  return {
    run: (req, trigger = 'manual') => {
      if (!req || typeof req.path !== 'string' || req.path.trim() === '') return Promise.reject(new ApiError('validation', 'Choose a folder or a file to import.', { path: 'Required.' }));
      return queue(() => doRun(req, trigger));
    },
    preview,
    progress: () => current,
    busy: () => running > 0,
  };
}
