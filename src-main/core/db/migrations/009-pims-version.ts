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
 * plan_runs.suppressed_digest / suppressed_run: a run whose suppression list equals the previous
 * run's points at that run's rows instead of writing ~10k identical rows again.
 */
export const m009PimsVersion: Migration = {
  version: 9,
  name: 'pims-version',
  up(db) {
    db.exec('ALTER TABLE plan_runs ADD COLUMN suppressed_digest TEXT; ALTER TABLE plan_runs ADD COLUMN suppressed_run INTEGER');
    db.exec(`CREATE TABLE pims_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL); INSERT INTO pims_version (id, n) VALUES (1, 0);`);
    for (const [t, cols] of WATCHED) {
      db.exec(`
        CREATE TRIGGER ${t}_pims_version_update AFTER UPDATE ${cols ? `OF ${cols} ` : ''}ON ${t} BEGIN UPDATE pims_version SET n = n + 1 WHERE id = 1; END;
        CREATE TRIGGER ${t}_pims_version_delete AFTER DELETE ON ${t} BEGIN UPDATE pims_version SET n = n + 1 WHERE id = 1; END;
      `);
    }
  },
};

/** The tables whose row counts complete the version (see m009PimsVersion). */
export const PIMS_VERSION_TABLES = WATCHED.map(([t]) => t);
