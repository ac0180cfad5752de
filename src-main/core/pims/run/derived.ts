/** Data an import run derives from what it wrote, recomputed in the run's transaction. */
import type { Db } from '../../db/open';

/**
 * A reminder is satisfied by a service in the history for the same patient and code on or after
 * its due date (an earlier one is the previous dose). Only rows whose value changes are written.
 */
export function updateSatisfied(db: Db, source: string): void {
  db.prepare(
    `UPDATE main.reminders SET satisfied_on = s.sat
       FROM (SELECT r.id, (SELECT MIN(h.service_date) FROM main.history h
                            WHERE h.patient_id = r.patient_id AND h.code = r.code AND h.service_date >= r.due_date) AS sat
               FROM main.reminders r WHERE r.source = ?) AS s
      WHERE reminders.id = s.id AND reminders.satisfied_on IS NOT s.sat`,
  ).run(source);
}

/** Marks phones whose number (10 NANP digits) another household still in the PIMS also has. */
export function updateShared(db: Db): void {
  db.exec('DROP TABLE IF EXISTS temp.shared_keys; CREATE TEMP TABLE shared_keys (nanp_key TEXT PRIMARY KEY) WITHOUT ROWID');
  db.exec(
    `INSERT INTO temp.shared_keys SELECT cp.nanp_key FROM main.contact_points cp JOIN main.clients c ON c.id = cp.client_id
      WHERE cp.kind = 'phone' AND cp.nanp_key IS NOT NULL AND c.gone = 0
      GROUP BY cp.nanp_key HAVING COUNT(DISTINCT cp.client_id) > 1`,
  );
  // Two narrow updates instead of one pass over every phone: only the flags that change are written.
  db.exec(`UPDATE main.contact_points SET shared = 1 WHERE kind = 'phone' AND shared = 0 AND nanp_key IN (SELECT nanp_key FROM temp.shared_keys)`);
  db.exec(`UPDATE main.contact_points SET shared = 0 WHERE shared = 1 AND (nanp_key IS NULL OR nanp_key NOT IN (SELECT nanp_key FROM temp.shared_keys))`);
  db.exec('DROP TABLE temp.shared_keys');
}
