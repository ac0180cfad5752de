import type { Db } from '../db/open';
import { PIMS_VERSION_TABLES } from '../db/migrations/009-pims-version';
import { loadRecentHistory, loadReminderFacts, type ReminderFacts } from './load';
import type { ToRemindResult } from './to-remind';

/**
 * What a plan reads from the PIMS tables, kept between runs while those tables do not change.
 * Re-plans (after a reply, an approval, a settings change, the CLI) then skip re-reading 45k
 * reminders with their pets and households. The version is exact: triggers count every update
 * and delete (from any connection), row counts reveal inserts (migration 009).
 */
export interface PimsSnapshot {
  facts: readonly ReminderFacts[];
  /** The to_remind yardstick for a plan date, computed once per date (it reads only PIMS data and the facts). */
  toRemind(asOf: string, compute: () => ToRemindResult): ToRemindResult;
}

export function pimsVersion(db: Db): string {
  const counts = PIMS_VERSION_TABLES.map((t) => `(SELECT COUNT(*) FROM ${t})`).join(', ');
  const row = db.prepare<[], unknown[]>(`SELECT (SELECT n FROM pims_version WHERE id = 1), ${counts}`).raw().get()!;
  return row.join(':');
}

export function snapshotCache(db: Db): { get(range: { from: string; to: string }): PimsSnapshot; clear(): void } {
  let kept: { key: string; snap: PimsSnapshot } | null = null;
  return {
    get(range) {
      const key = `${pimsVersion(db)}|${range.from}|${range.to}`;
      if (kept?.key === key) return kept.snap;
      const byDate = new Map<string, ToRemindResult>();
      const snap: PimsSnapshot = {
        facts: loadReminderFacts(db, range, loadRecentHistory(db, range.from)),
        toRemind(asOf, compute) {
          let r = byDate.get(asOf);
          if (!r) byDate.set(asOf, (r = compute()));
          return r;
        },
      };
      kept = { key, snap };
      return snap;
    },
    clear() {
      kept = null;
    },
  };
}
