/** The record of import runs: files with their hashes, counts and row-level problems. */
import path from 'node:path';
import type { ImportCounts, ImportEntity, ImportFileSummary, ImportProblemView, ImportRunStatus, ImportRunSummary } from '../../contract';
import type { Db } from '../db/open';
import type { RunProblem } from './run/writer';
import { isThisProcess, ownerGone, ownerOf, thisProcess } from './run-owner';

export function startRun(db: Db, r: { source: string; profile: string | null; trigger: string; startedAt: string }): number {
  // Until finishRun replaces it, the summary names the process running the import (run-owner.ts).
  const owner = JSON.stringify({ owner: thisProcess() });
  return Number(db.prepare("INSERT INTO import_runs (started_at, status, source, profile, trigger, summary) VALUES (?, 'running', ?, ?, ?, ?)").run(r.startedAt, r.source, r.profile, r.trigger, owner).lastInsertRowid);
}

/** A run still 'running' after this long was interrupted, whoever owns it (no import takes an hour). */
export const STALE_MS = 60 * 60 * 1000;

const GONE_REASON = 'Interrupted: the import process stopped (it was closed, killed or crashed) before this import finished; nothing from it was saved.';
const STALE_REASON = 'Interrupted: Pawline stopped during this import; nothing from it was saved.';

/**
 * Why a 'running' run is not running any more, or null while it may be. Without `now` only a
 * process known to be gone counts (started_at is on the importer's clock, which may not be this one).
 */
function interruption(r: { started_at: string; summary: string | null }, now: Date | null): string | null {
  const gone = ownerGone(ownerOf(r.summary));
  if (gone === true) return GONE_REASON;
  if (now && Date.parse(r.started_at) < now.getTime() - STALE_MS) return STALE_REASON;
  return null;
}

/** Runs marked 'running' by another process that is alive, for telling a second import to wait. */
export function liveRunsElsewhere(db: Db, now: Date): number[] {
  const rows = db.prepare<[], { id: number; started_at: string; summary: string | null }>("SELECT id, started_at, summary FROM import_runs WHERE status = 'running'").all();
  return rows.filter((r) => interruption(r, now) === null && !isThisProcess(ownerOf(r.summary))).map((r) => r.id);
}

/** What the summary column keeps beyond the counted columns. */
interface StoredSummary {
  byEntity: ImportRunSummary['byEntity'];
  rowsRead: number;
  duplicateRows: number;
  errors: number;
  warnings: number;
  durationMs: number;
  notes: ImportRunSummary['notes'];
  errorCode?: string;
}

export function finishRun(db: Db, s: ImportRunSummary): void {
  const stored: StoredSummary = { byEntity: s.byEntity, rowsRead: s.rowsRead, duplicateRows: s.duplicateRows, errors: s.errors, warnings: s.warnings, durationMs: s.durationMs, notes: s.notes, errorCode: s.errorCode };
  db.prepare('UPDATE import_runs SET finished_at = ?, status = ?, source = ?, profile = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ?, gone = ?, summary = ?, error = ? WHERE id = ?').run(
    s.finishedAt,
    s.status,
    s.source,
    s.profile,
    s.totals.inserted,
    s.totals.updated,
    s.totals.unchanged,
    s.totals.rejected,
    s.totals.gone,
    JSON.stringify(stored),
    s.error ?? null,
    s.runId,
  );
}

export function recordFiles(db: Db, runId: number, files: ImportFileSummary[]): void {
  const ins = db.prepare('INSERT INTO import_files (run_id, path, kind, sha256, bytes, rows, skipped_unchanged, encoding, delimiter, layout) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const f of files) ins.run(runId, f.path, f.kind ?? 'unknown', f.sha256, f.bytes, f.rows, f.skippedUnchanged ? 1 : 0, f.encoding, f.delimiter, f.layout);
}

export function recordProblems(db: Db, runId: number, problems: RunProblem[], overflow = 0): void {
  const ins = db.prepare('INSERT INTO import_problems (run_id, file, line, severity, reason, code) VALUES (?, ?, ?, ?, ?, ?)');
  for (const p of problems) ins.run(runId, p.file, p.line, p.severity, p.reason, p.code);
  if (overflow > 0) ins.run(runId, '', null, 'warning', `${overflow} more problems were found and not listed.`, 'overflow');
}

/**
 * Whether the source's records already come from exactly this content, so reading it again would
 * change nothing. What counts is the latest good run (of this source and profile) that had a file
 * of this layout, not the file's path: the same export saved to another folder is the same
 * content, while an export that was current once is stale as soon as another export of that layout
 * was imported (from another folder, or from this one in between). A layout several files of one
 * run share (a combined report) is matched by path within that run as well.
 */
export function alreadyImported(db: Db, q: { source: string; profile: string | null; layout: string; path: string; sha256: string; byPath: boolean }): boolean {
  const last = db
    .prepare<[string, string, string | null], { id: number | null }>(
      `SELECT MAX(f.run_id) id FROM import_files f JOIN import_runs r ON r.id = f.run_id
        WHERE f.layout = ? AND r.status IN ('ok', 'unchanged') AND r.source = ? AND r.profile IS ?`,
    )
    .get(q.layout, q.source, q.profile);
  if (!last || last.id === null) return false;
  const hit = db
    .prepare<[number, string, string, number, string], { n: number }>('SELECT 1 n FROM import_files WHERE run_id = ? AND layout = ? AND sha256 = ? AND (? = 0 OR path = ?)')
    .get(last.id, q.layout, q.sha256, q.byPath ? 1 : 0, q.path);
  return hit !== undefined;
}

/**
 * A run left 'running' by a crash, a kill or a closed window did not finish: its transaction never
 * committed. It is marked failed once its process is known to be gone, or after STALE_MS when
 * that cannot be told (another computer). Writes only when there is such a run, so a check while
 * another import holds the database does not wait for it.
 */
export function failInterruptedRuns(db: Db, now: Date): number {
  const rows = db.prepare<[], { id: number; started_at: string; summary: string | null }>("SELECT id, started_at, summary FROM import_runs WHERE status = 'running'").all();
  const fail = db.prepare("UPDATE import_runs SET status = 'failed', finished_at = ?, error = ?, summary = NULL WHERE id = ? AND status = 'running'");
  let n = 0;
  for (const r of rows) {
    const why = interruption(r, now);
    if (why) n += fail.run(now.toISOString(), why, r.id).changes;
  }
  return n;
}

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: ImportRunStatus;
  source: string;
  profile: string | null;
  trigger: string;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  gone: number;
  summary: string | null;
  error: string | null;
}

interface FileRow {
  run_id: number;
  path: string;
  kind: string;
  sha256: string;
  bytes: number;
  rows: number;
  skipped_unchanged: number;
  encoding: string | null;
  delimiter: string | null;
  layout: string | null;
}

function toSummary(r: RunRow, files: FileRow[]): ImportRunSummary {
  // A run whose process is gone reads as what it is, even before the next import records it so.
  const why = r.status === 'running' ? interruption(r, null) : null;
  if (why) r = { ...r, status: 'failed', error: why, summary: null };
  const s: Partial<StoredSummary> = r.summary && r.status !== 'running' ? JSON.parse(r.summary) : {};
  const totals: ImportCounts = { inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, gone: r.gone };
  return {
    runId: r.id,
    status: r.status,
    source: r.source,
    profile: r.profile,
    trigger: (r.trigger as ImportRunSummary['trigger']) ?? 'manual',
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: s.durationMs ?? (r.finished_at ? Date.parse(r.finished_at) - Date.parse(r.started_at) : 0),
    files: files.map((f) => ({
      path: f.path,
      name: path.basename(f.path),
      layout: f.layout,
      kind: f.kind === 'unknown' ? null : (f.kind as ImportFileSummary['kind']),
      sha256: f.sha256,
      bytes: f.bytes,
      rows: f.rows,
      skippedUnchanged: f.skipped_unchanged === 1,
      encoding: f.encoding as ImportFileSummary['encoding'],
      delimiter: f.delimiter as ImportFileSummary['delimiter'],
    })),
    totals,
    byEntity: (s.byEntity ?? {}) as Partial<Record<ImportEntity, ImportCounts>>,
    rowsRead: s.rowsRead ?? 0,
    duplicateRows: s.duplicateRows ?? 0,
    errors: s.errors ?? 0,
    warnings: s.warnings ?? 0,
    error: r.error ?? undefined,
    errorCode: s.errorCode,
    notes: s.notes ?? {},
  };
}

export function listRuns(db: Db, limit = 50): ImportRunSummary[] {
  const runs = db.prepare<[number], RunRow>('SELECT * FROM import_runs ORDER BY id DESC LIMIT ?').all(Math.max(1, Math.min(500, limit)));
  if (runs.length === 0) return [];
  const files = db.prepare<[number, number], FileRow>('SELECT * FROM import_files WHERE run_id BETWEEN ? AND ? ORDER BY id').all(runs[runs.length - 1].id, runs[0].id);
  const byRun = new Map<number, FileRow[]>();
  for (const f of files) (byRun.get(f.run_id) ?? byRun.set(f.run_id, []).get(f.run_id)!).push(f);
  return runs.map((r) => toSummary(r, byRun.get(r.id) ?? []));
}

export function getRun(db: Db, runId: number): ImportRunSummary | null {
  const r = db.prepare<[number], RunRow>('SELECT * FROM import_runs WHERE id = ?').get(runId);
  if (!r) return null;
  return toSummary(r, db.prepare<[number], FileRow>('SELECT * FROM import_files WHERE run_id = ? ORDER BY id').all(runId));
}

export function listProblems(db: Db, runId: number, offset = 0, limit = 200): { total: number; items: ImportProblemView[] } {
  const total = db.prepare<[number], { n: number }>('SELECT COUNT(*) n FROM import_problems WHERE run_id = ?').get(runId)?.n ?? 0;
  const items = db
    .prepare<[number, number, number], ImportProblemView>('SELECT id, file, line, severity, code, reason FROM import_problems WHERE run_id = ? ORDER BY severity, id LIMIT ? OFFSET ?')
    .all(runId, Math.max(1, Math.min(1000, limit)), Math.max(0, offset));
  return { total, items };
}
