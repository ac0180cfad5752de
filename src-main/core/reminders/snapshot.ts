import type { Db } from '../db/open';
import { PIMS_VERSION_TABLES } from '../db/migrations/009-pims-version';
import { loadContactPoints, type ContactPoints } from '../consent/reachability';
import { loadClients, loadRecentHistory, loadReminderFacts, readItemRows, type ClientFacts, type ItemRows, type ReminderFacts } from './load';
import type { ToRemindResult } from './to-remind';

/** Households by id: their planning fields and contact points (a household gone from the PIMS has no points). */
export type Households = (ids: number[]) => { clients: Map<number, ClientFacts>; points: Map<number, ContactPoints> };

/**
 * What a plan reads from the PIMS tables, kept between runs while those tables do not change.
 * Re-plans (after a reply, an approval, a settings change, the CLI) then skip re-reading 45k
 * reminders with their pets and households. The version is exact: triggers count every update
 * and delete (from any connection), row counts reveal inserts (migration 009). Consent, address
 * flags and the outbox are not PIMS data: every run reads them afresh.
 */
export interface PimsSnapshot {
  facts: readonly ReminderFacts[];
  /** Households read once and kept (names, postal labels, contact points in PIMS order). */
  households: Households;
  /** The to_remind yardstick for a plan date, computed once per date (it reads only PIMS data and the facts). */
  toRemind(asOf: string, compute: () => ToRemindResult): ToRemindResult;
}

export function pimsVersion(db: Db): string {
  const counts = PIMS_VERSION_TABLES.map((t) => `(SELECT COUNT(*) FROM ${t})`).join(', ');
  const row = db.prepare<[], unknown[]>(`SELECT (SELECT n FROM change_counters WHERE name = 'pims'), ${counts}`).raw().get()!;
  return row.join(':');
}

export function snapshotCache(db: Db): { get(range: { from: string; to: string }): PimsSnapshot; clear(): void } {
  let kept: { key: string; snap: PimsSnapshot } | null = null;
  let households: { version: string; clients: Map<number, ClientFacts>; points: Map<number, ContactPoints>; read: Set<number> } | null = null;
  return {
    get(range) {
      const version = pimsVersion(db);
      const key = `${version}|${range.from}|${range.to}`;
      if (kept?.key === key) return kept.snap;
      // Households do not depend on the plan's dates: a new date with the same PIMS data keeps them.
      if (households?.version !== version) households = { version, clients: new Map(), points: new Map(), read: new Set() };
      const h = households;
      const byDate = new Map<string, ToRemindResult>();
      const snap: PimsSnapshot = {
        facts: loadReminderFacts(db, range, loadRecentHistory(db, range.from)),
        households(ids) {
          const missing = ids.filter((id) => !h.read.has(id));
          if (missing.length) {
            for (const [id, c] of loadClients(db, missing)) h.clients.set(id, c);
            for (const [id, p] of loadContactPoints(db, missing)) h.points.set(id, p);
            for (const id of missing) h.read.add(id);
          }
          const clients = new Map<number, ClientFacts>();
          const points = new Map<number, ContactPoints>();
          for (const id of ids) {
            const c = h.clients.get(id);
            if (c) clients.set(id, c);
            const p = h.points.get(id);
            if (p) points.set(id, p);
          }
          return { clients, points };
        },
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
      households = null;
    },
  };
}

/** The version of reminder_items: its change counter and row count (see migration 009). */
export function planItemsVersion(db: Db): string {
  const row = db.prepare<[], unknown[]>("SELECT (SELECT n FROM change_counters WHERE name = 'plan-items'), (SELECT COUNT(*) FROM reminder_items)").raw().get()!;
  return row.join(':');
}

/** The item ledger's rows, kept between runs while reminder_items does not change (the statuses are read afresh). */
export function itemRowsCache(db: Db): (range: { from: string; to: string }) => ItemRows {
  let kept: { key: string; rows: ItemRows } | null = null;
  return (range) => {
    const key = `${planItemsVersion(db)}|${range.from}|${range.to}`;
    if (kept?.key !== key) kept = { key, rows: readItemRows(db, range) };
    return kept.rows;
  };
}
