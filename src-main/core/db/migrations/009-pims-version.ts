import type { Migration } from '../migrate';

/** The tables a reminder plan reads from the PIMS side, and the columns whose change matters. */
const WATCHED: [table: string, updateOf: string | null][] = [
  ['clients', null],
  ['patients', null],
  ['reminders', null],
  ['history', null],
  ['contact_points', null],
  // Pawline writes confirm_state on every C/R reply; only what the PIMS decides counts here.
  ['appointments', 'client_id, patient_id, start_local, start_utc, status, gone'],
];

/**
 * Two things that let a re-plan with nothing changed do next to nothing (issue #4):
 *
 * A change counter for the PIMS data, so the planner can keep what it read from those tables
 * between runs (45k reminders with their pets and households) and know for sure when to read
 * again. Every UPDATE and DELETE bumps it, from any connection (the CLI's imports too); an INSERT
 * always changes the table's row count, which the planner reads beside it. Inserts are the bulk of
 * a first import, so they carry no trigger.
 *
 * The same for reminder_items (counter 'plan-items'): the planner's item ledger, written only by
 * the planner, read by every re-plan.
 *
 * plan_runs.suppressed_digest / suppressed_run: a run whose suppression list equals the previous
 * run's points at that run's rows instead of writing ~10k identical rows again.
 */
export const m009PimsVersion: Migration = {
  version: 9,
  name: 'pims-version',
  up(db) {
    db.exec('ALTER TABLE plan_runs ADD COLUMN suppressed_digest TEXT; ALTER TABLE plan_runs ADD COLUMN suppressed_run INTEGER');
    db.exec(`CREATE TABLE change_counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID; INSERT INTO change_counters (name, n) VALUES ('pims', 0), ('plan-items', 0);`);
    const watch = (t: string, counter: string, cols: string | null) =>
      db.exec(`
        CREATE TRIGGER ${t}_changes_update AFTER UPDATE ${cols ? `OF ${cols} ` : ''}ON ${t} BEGIN UPDATE change_counters SET n = n + 1 WHERE name = '${counter}'; END;
        CREATE TRIGGER ${t}_changes_delete AFTER DELETE ON ${t} BEGIN UPDATE change_counters SET n = n + 1 WHERE name = '${counter}'; END;
      `);
    for (const [t, cols] of WATCHED) watch(t, 'pims', cols);
    // The planner's own ledger of what each message covers: kept between runs the same way.
    watch('reminder_items', 'plan-items', null);
  },
};

/** The tables whose row counts complete the 'pims' counter (see m009PimsVersion). */
export const PIMS_VERSION_TABLES = WATCHED.map(([t]) => t);
