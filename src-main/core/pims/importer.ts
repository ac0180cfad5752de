/**
 * Import runs, one at a time. A run lists the export files, recognises each one's layout,
 * skips files whose content hash matches their last import, then:
 *   1. reads and normalises the changed files (streamed, with progress events) into a staging
 *      database of its own (a scratch file, so nothing of the desk's database is locked meanwhile);
 *   2. applies the staged rows with set-based upserts in ONE transaction of the desk's database,
 *      together with the run's own record.
 * A fatal error in either phase leaves the database exactly as it was; the failed run and its
 * problems are then recorded in a separate, small transaction.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ColumnMapping, FilePreview, ImportEntity, ImportFileKind, ImportFileSummary, ImportPreview, ImportProgress, ImportRunRequest, ImportRunSummary } from '../../contract';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import type { EventBus } from '../shared/events';
import type { Logger } from '../shared/log';
import { TokenizeError } from './decode/tokenizer';
import { fileError, listExportFiles } from './files';
import { ALL_HEADER_HINTS, BUILTIN_PROFILES, builtinProfile, detectLayout, mappingLayout, suggestMapping, type LayoutDef, type ProfileDef } from './layouts';
import { parseMapping, savedMapping } from './profiles';
import { readRows, sniffFile, type Sniffed, type SniffOptions } from './records/read';
import { applyStaged, attachStage, type EntityCounts } from './run/apply';
import { fileSha256 } from './run/hash';
import { Stager, type StagedProblem } from './run/stage';
import { failInterruptedRuns, finishRun, lastImportedSha, recordFiles, recordProblems, startRun } from './runs';

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

const primaryEntity = (k: ImportFileKind): ImportEntity | null => (k === 'combined' ? null : k);
const PROGRESS_MS = 200;

/**
 * Staging files of runs a crash interrupted: they hold personal data and are never used again.
 * Only old ones: another process on the same data folder (the CLI beside the desk) may be importing.
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

/** A run still 'running' after this long was interrupted (no import takes an hour). */
const STALE_MS = 60 * 60 * 1000;

export function createImporter(d: ImporterDeps): Importer {
  const { db, clock, events, log } = d;
  let tail: Promise<unknown> = Promise.resolve();
  let current: ImportProgress | null = null;
  let running = 0;
  failInterruptedRuns(db, clock.now().toISOString(), new Date(clock.now().getTime() - STALE_MS).toISOString());
  removeLeftoverStaging(d.dataDir, clock.now());

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
    const t0 = performance.now();
    const runId = startRun(db, { source: req.source ?? req.profile ?? 'auto', profile: req.profile ?? null, trigger, startedAt: started.toISOString() });
    const files: ImportFileSummary[] = [];
    const fileProblems: StagedProblem[] = [];
    let source = req.source ?? req.profile ?? 'auto';
    let profile: string | null = req.profile ?? null;
    let stager: Stager | null = null;
    let counts: EntityCounts | null = null;
    let rowsRead = 0;
    const progress: ImportProgress = { runId, phase: 'hashing', file: null, fileIndex: 0, fileCount: 0, rows: 0, rowsPerSecond: 0, bytesDone: 0, bytesTotal: 0 };
    emit({ ...progress });

    try {
      const chooser = layoutChooser(req);
      const listed = listExportFiles(req.path);
      if (listed.files.length === 0) throw new ApiError('import.no-files', `No export files (.csv, .txt, .tsv) in ${req.path}.`);
      const sniffOpts: SniffOptions = chooser.mapping ? { encoding: chooser.mapping.encoding, delimiter: chooser.mapping.delimiter, headerLine: chooser.mapping.headerLine } : {};

      // Recognise each file; a folder may hold files that are not exports at all.
      const recognised: Omit<Plan, 'sha256' | 'skip'>[] = [];
      for (const file of listed.files) {
        let s;
        try {
          s = await sniffFor(file, sniffOpts, chooser.pick);
        } catch (e) {
          throw fileError(e, file);
        }
        if (!s.layout) {
          fileProblems.push({ file: path.basename(file), line: null, severity: 'warning', code: 'unknown-layout', reason: 'Not a layout Pawline knows; not imported. Open it on the Import screen to map its columns.' });
          continue;
        }
        recognised.push({ path: file, name: path.basename(file), sniff: s.sniff, layout: s.layout, encoding: s.encoding });
      }
      if (recognised.length === 0) throw new ApiError('import.unknown-layout', listed.folder ? `None of the files in ${req.path} is a layout Pawline knows. Choose a layout or map the columns on the Import screen.` : `${path.basename(req.path)} is not a layout Pawline knows. Map its columns on the Import screen (or pass --mapping).`);

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
        let sha256: string;
        try {
          sha256 = await fileSha256(r.path);
        } catch (e) {
          throw fileError(e, r.path);
        }
        const skip = !req.force && lastImportedSha(db, source, profile, r.path) === sha256;
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
      const ctx = { timeZone: d.timeZone(), referenceYear: started.getFullYear() };
      if (changed.length > 0) {
        mkdirSync(path.join(d.dataDir, 'tmp'), { recursive: true });
        const stagePath = path.join(d.dataDir, 'tmp', `import-${runId}.stage.sqlite3`);
        rmSync(stagePath, { force: true });
        stager = new Stager(stagePath, db, source, ctx.timeZone);
        progress.phase = 'reading';
        progress.fileCount = changed.length;
        progress.bytesTotal = changed.reduce((n, p) => n + p.sniff.bytes, 0);
        let bytesBefore = 0;
        const readStart = performance.now();
        let lastEmit = 0;
        for (const [i, p] of changed.entries()) {
          const summary = files.find((f) => f.path === p.path)!;
          stager.beginFile(p.name, primaryEntity(p.layout.kind), p.layout.full);
          for (const dup of p.sniff.info.duplicates) {
            stager.problem(p.sniff.info.headerLine, `The column "${dup.name}" appears more than once; the repeat is read as "${dup.renamedTo}".`, 'warning', 'duplicate-header');
          }
          const mapper = p.layout.bind(p.sniff.info.headers, ctx);
          const width = p.sniff.info.headers.length;
          progress.file = p.name;
          progress.fileIndex = i + 1;
          let fileBytes = 0;
          try {
            for await (const batch of readRows(p.path, {
              encoding: p.encoding,
              delimiter: p.sniff.info.delimiter,
              headerLine: p.sniff.info.headerLine,
              quote: p.layout.quote,
              onBytes: (b) => (fileBytes = b),
            })) {
              for (const row of batch) {
                if (row.fields.length > width && row.fields.slice(width).some((x) => x.trim() !== '')) {
                  stager.problem(row.line, `The row has ${row.fields.length} fields where the header has ${width}; the extra ones are ignored.`, 'warning', 'extra-fields');
                }
                // Too few fields with a quote inside a value: a stray quote swallowed delimiters and
                // every later column moved. Importing it would put a ZIP in the city; reject the row.
                if (row.fields.length > 1 && row.fields.length < width && row.fields.some((x) => x.includes('"'))) {
                  stager.problem(row.line, `The row has ${row.fields.length} fields where the header has ${width}, and a stray quote (") inside a value; the row was not imported. Fix the quote in the PIMS record and export again.`, 'error', 'stray-quote');
                  continue;
                }
                mapper(row.fields, row.line, stager);
              }
              rowsRead += batch.length;
              summary.rows += batch.length;
              const now = performance.now();
              if (now - lastEmit > PROGRESS_MS) {
                lastEmit = now;
                progress.rows = rowsRead;
                progress.bytesDone = bytesBefore + fileBytes;
                progress.rowsPerSecond = Math.round(rowsRead / Math.max(0.001, (now - readStart) / 1000));
                emit({ ...progress });
              }
            }
          } catch (e) {
            const err = fileError(e, p.path);
            const line = (e as { line?: number }).line;
            throw line ? Object.assign(err, { problemFile: p.name, problemLine: line }) : Object.assign(err, { problemFile: p.name });
          }
          bytesBefore += p.sniff.bytes;
        }
        stager.finish();
        progress.rows = rowsRead;
        progress.bytesDone = progress.bytesTotal;
        progress.rowsPerSecond = Math.round(rowsRead / Math.max(0.001, (performance.now() - readStart) / 1000));
        progress.phase = 'saving';
        progress.file = null;
        emit({ ...progress });
      }

      const st = stager;
      const detach = st ? attachStage(db, st.stagePath) : () => undefined;
      let summary: ImportRunSummary;
      try {
        summary = db.transaction(() => {
          if (st) {
            counts = applyStaged({
              db,
              source,
              now: started.toISOString(),
              touched: st.touched,
              fullFor: st.fullFor,
              record: (p) => st.record(p),
              countOnly: (sev, n) => st.countOnly(sev, n),
              onStep: d.onApplyStep,
              allowMassRemoval: req.allowRemovals,
            });
          }
          const s = buildSummary();
          s.finishedAt = clock.now().toISOString();
          s.durationMs = Math.round(performance.now() - t0);
          finishRun(db, s);
          recordFiles(db, runId, files);
          recordProblems(db, runId, [...fileProblems, ...(st?.problems ?? [])], st?.problemsOverflow() ?? 0);
          return s;
        })();
      } finally {
        detach();
      }
      log.info('import finished', { runId, status: summary.status, inserted: summary.totals.inserted, updated: summary.totals.updated, gone: summary.totals.gone, rejected: summary.totals.rejected, ms: summary.durationMs });
      emit({ ...progress, phase: 'done' });
      events.emit('imports.finished', summary);
      return summary;
    } catch (e) {
      const summary = buildSummary();
      summary.status = 'failed';
      const readable = e instanceof ApiError || e instanceof TokenizeError;
      const shape = readable ? (e as Error).message : `The import stopped because of an internal error (${e instanceof Error ? e.name : 'Error'}). Nothing was changed.`;
      summary.error = shape;
      summary.errorCode = e instanceof ApiError ? e.code : readable ? 'import.unreadable' : 'import.internal';
      summary.finishedAt = clock.now().toISOString();
      summary.durationMs = Math.round(performance.now() - t0);
      const extra = e as { problemFile?: string; problemLine?: number; code?: string };
      const fatal: StagedProblem = { file: extra.problemFile ?? '', line: extra.problemLine ?? null, severity: 'error', code: 'fatal', reason: shape };
      try {
        db.transaction(() => {
          finishRun(db, summary);
          recordFiles(db, runId, files);
          recordProblems(db, runId, [fatal, ...fileProblems, ...(stager?.problems ?? [])], stager?.problemsOverflow() ?? 0);
        })();
      } catch (recordError) {
        log.error('could not record failed import', { runId, error: recordError instanceof Error ? recordError.name : 'Error' });
      }
      log.warn('import failed', { runId, code: e instanceof ApiError ? e.code : extra.code ?? (e instanceof Error ? e.name : 'Error') });
      if (!readable) log.error('import error', { runId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      emit({ ...progress, phase: 'failed' });
      events.emit('imports.finished', summary);
      return summary;
    } finally {
      if (stager) {
        stager.abandon();
        rmSync(stager.stagePath, { force: true });
      }
    }

    function buildSummary(): ImportRunSummary {
      const totals = { inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 };
      const byEntity: ImportRunSummary['byEntity'] = {};
      if (stager) {
        for (const [e, rejected] of Object.entries(stager.rejected) as [ImportEntity, number][]) {
          const c = (byEntity[e] ??= { inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 });
          c.rejected += rejected;
        }
        for (const [e, c] of Object.entries(counts ?? {}) as [ImportEntity, typeof totals][]) {
          if (c.inserted + c.updated + c.unchanged + c.rejected + c.gone === 0) continue;
          const b = (byEntity[e] ??= { inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 });
          b.inserted += c.inserted;
          b.updated += c.updated;
          b.unchanged += c.unchanged;
          b.rejected += c.rejected;
          b.gone += c.gone;
        }
        for (const c of Object.values(byEntity)) {
          totals.inserted += c.inserted;
          totals.updated += c.updated;
          totals.unchanged += c.unchanged;
          totals.gone += c.gone;
        }
        totals.rejected = stager.errors;
      }
      const notes: ImportRunSummary['notes'] = { ...(stager?.notes ?? {}) };
      for (const [k, v] of Object.entries(stager?.noteLists ?? {})) notes[k] = v;
      const allSkipped = files.length > 0 && files.every((f) => f.skippedUnchanged);
      const nothingChanged = !!stager && !!counts && totals.inserted + totals.updated + totals.gone === 0 && stager.errors === 0;
      return {
        runId,
        status: allSkipped || nothingChanged ? 'unchanged' : 'ok',
        source,
        profile,
        trigger,
        startedAt: started.toISOString(),
        finishedAt: null,
        durationMs: 0,
        files,
        totals,
        byEntity,
        rowsRead,
        duplicateRows: stager?.duplicateRows ?? 0,
        errors: (stager?.errors ?? 0) + fileProblems.filter((p) => p.severity === 'error').length,
        warnings: (stager?.warnings ?? 0) + fileProblems.filter((p) => p.severity === 'warning').length,
        notes,
      };
    }
  }

  async function preview(arg: { path: string; encoding?: FilePreview['encoding']; delimiter?: FilePreview['delimiter']; headerLine?: number }): Promise<ImportPreview> {
    const listed = listExportFiles(arg.path);
    const out: FilePreview[] = [];
    for (const file of listed.files.slice(0, 50)) {
      const name = path.basename(file);
      try {
        const { sniff, layout, encoding } = await sniffFor(file, { encoding: arg.encoding, delimiter: arg.delimiter, headerLine: arg.headerLine }, (h, n) => detectLayout(h, n));
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
          suggestedMapping: layout && layout.kind !== 'combined' ? null : suggestMapping(headers),
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
