/** A run's summary, as the desk shows it and import_runs keeps it, from what the run counted. */
import type { ImportEntity, ImportFileSummary, ImportRunSummary } from '../../../contract';
import type { EntityCounts, RunProblem } from './writer';

export interface RunMeta {
  runId: number;
  source: string;
  profile: string | null;
  trigger: ImportRunSummary['trigger'];
  startedAt: string;
}

/** What the reading and writing sides counted; null when no file was read. */
export interface RunTally {
  /** Null when the run stopped before its rows were counted. */
  counts: EntityCounts | null;
  readRejected: Partial<Record<ImportEntity, number>>;
  errors: number;
  warnings: number;
  duplicateRows: number;
  notes: Record<string, number>;
  noteLists: Record<string, string[]>;
  rowsRead: number;
}

export function buildSummary(meta: RunMeta, files: ImportFileSummary[], fileProblems: readonly RunProblem[], tally: RunTally | null): ImportRunSummary {
  const totals = { inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 };
  const byEntity: ImportRunSummary['byEntity'] = {};
  if (tally) {
    for (const [e, rejected] of Object.entries(tally.readRejected) as [ImportEntity, number][]) {
      const c = (byEntity[e] ??= { inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 });
      c.rejected += rejected;
    }
    for (const [e, c] of Object.entries(tally.counts ?? {}) as [ImportEntity, typeof totals][]) {
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
    totals.rejected = tally.errors;
  }
  const notes: ImportRunSummary['notes'] = { ...(tally?.notes ?? {}) };
  for (const [k, v] of Object.entries(tally?.noteLists ?? {})) notes[k] = v;
  const allSkipped = files.length > 0 && files.every((f) => f.skippedUnchanged);
  const nothingChanged = !!tally?.counts && totals.inserted + totals.updated + totals.gone === 0 && tally.errors === 0;
  return {
    runId: meta.runId,
    status: allSkipped || nothingChanged ? 'unchanged' : 'ok',
    source: meta.source,
    profile: meta.profile,
    trigger: meta.trigger,
    startedAt: meta.startedAt,
    finishedAt: null,
    durationMs: 0,
    files,
    totals,
    byEntity,
    rowsRead: tally?.rowsRead ?? 0,
    duplicateRows: tally?.duplicateRows ?? 0,
    errors: (tally?.errors ?? 0) + fileProblems.filter((p) => p.severity === 'error').length,
    warnings: (tally?.warnings ?? 0) + fileProblems.filter((p) => p.severity === 'warning').length,
    notes,
  };
}
