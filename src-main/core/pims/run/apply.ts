/**
 * Phase two of an import run: the staging database is attached and applied with set-based SQL
 * (upserts keyed by source and PIMS id), synchronously, inside the caller's transaction together
 * with the run's own record. Rows whose parent is missing are rejected with their file and line;
 * rows of a full export that no file listed are marked gone. Derived data (reminders satisfied by
 * the history, numbers shared between households) is recomputed in the same transaction.
 */
import type { ImportCounts, ImportEntity } from '../../../contract';
import type { Db } from '../../db/open';
import { APPOINTMENT, CLIENT, KEYED, REMINDER, type EntitySchema } from './schema';
import type { StagedProblem } from './stage';
import { ApiError } from '../../shared/errors';
import { MAX_PROBLEMS } from './stage';

export interface ApplyDeps {
  db: Db;
  source: string;
  now: string;
  touched: ReadonlySet<ImportEntity>;
  fullFor: ReadonlySet<ImportEntity>;
  /** Receives problems found while applying (missing parents). */
  record(p: StagedProblem): void;
  /** Counts problems beyond those listed. */
  countOnly(severity: 'error' | 'warning', n: number): void;
  /** Tests: called after each step; throwing simulates a crash halfway through. */
  onStep?(step: string): void;
  /** Without it, a full export that would remove most known records is refused (see MASS_REMOVAL). */
  allowMassRemoval?: boolean;
}

/**
 * A truncated or header-only export looks like "every client left the clinic". Above this share
 * of known rows (and at least MASS_REMOVAL_MIN of them) the run is refused, not applied.
 */
const MASS_REMOVAL_SHARE = 0.5;
const MASS_REMOVAL_MIN = 10;

export type EntityCounts = Record<ImportEntity, ImportCounts>;

const zero = (): ImportCounts => ({ inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 });

/** Attaches a run's staging file to the desk's connection (outside any transaction). */
export function attachStage(db: Db, file: string): () => void {
  db.prepare('ATTACH DATABASE ? AS st').run(file);
  // The staging file is read through once: a small cache keeps the apply phase's memory down.
  db.pragma('st.cache_size = -2000');
  // A bounded page cache while applying: a transaction this size would otherwise keep growing it
  // (measured: ~90 MB more on the larkspur export with the default), for little speed.
  const mainCache = Number(db.pragma('main.cache_size', { simple: true }));
  const tempCache = Number(db.pragma('temp.cache_size', { simple: true }));
  db.pragma('main.cache_size = -8000');
  db.pragma('temp.cache_size = -2000');
  return () => {
    db.exec('DETACH DATABASE st');
    db.pragma(`main.cache_size = ${mainCache}`);
    db.pragma(`temp.cache_size = ${tempCache}`);
  };
}

const parentJoin = (e: EntitySchema, alias = 's') =>
  e.parents
    .map((p, i) => `${p.required ? 'JOIN' : 'LEFT JOIN'} main.${p.table} p${i} ON p${i}.source = @src AND p${i}.pims_id = ${alias}.${p.stageCol}`)
    .join(' ');
const requiredParentsExist = (e: EntitySchema) =>
  e.parents
    .filter((p) => p.required)
    .map((p) => `EXISTS (SELECT 1 FROM main.${p.table} x WHERE x.source = @src AND x.pims_id = s.${p.stageCol})`)
    .join(' AND ') || '1';

export function applyStaged(d: ApplyDeps): EntityCounts {
  const { db } = d;
  const params = { src: d.source, now: d.now };
  const counts = Object.fromEntries(['clients', 'patients', 'reminders', 'reminder-codes', 'history', 'appointments'].map((e) => [e, zero()])) as EntityCounts;
  const step = (name: string) => d.onStep?.(name);

  const rejectOrphans = (entity: ImportEntity, stage: string, parentCol: string, parentTable: string, label: (r: Record<string, unknown>) => string, required: boolean) => {
    const where = `s.${parentCol} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.${parentTable} x WHERE x.source = @src AND x.pims_id = s.${parentCol})`;
    const n = (db.prepare(`SELECT COUNT(*) n FROM st.${stage} s WHERE ${where}`).get(params) as { n: number }).n;
    if (n === 0) return;
    if (required) counts[entity].rejected += n;
    const rows = db.prepare(`SELECT s.* FROM st.${stage} s WHERE ${where} ORDER BY s.file, s.line LIMIT ${MAX_PROBLEMS}`).all(params) as Record<string, unknown>[];
    for (const r of rows) {
      d.record({ file: String(r.file), line: r.line as number, severity: required ? 'error' : 'warning', code: 'missing-parent', reason: label(r) });
    }
    // Counted beyond what is listed, so the totals stay true.
    if (n > rows.length) d.countOnly(required ? 'error' : 'warning', n - rows.length);
  };

  const applyKeyed = (e: EntitySchema) => {
    if (!d.touched.has(e.entity)) return;
    const c = counts[e.entity];
    for (const p of e.parents) {
      const word = p.table === 'clients' ? 'client' : 'patient';
      rejectOrphans(
        e.entity,
        e.stage,
        p.stageCol,
        p.table,
        (r) =>
          p.required
            ? `${e === REMINDER ? 'Reminder' : 'Patient'} ${String(r.pims_id)}: ${word} ${String(r[p.stageCol])} is not in the export; skipped`
            : `Appointment ${String(r.pims_id)}: ${word} ${String(r[p.stageCol])} is not in the export; kept without a ${word === 'client' ? 'client' : 'pet'}`,
        p.required,
      );
    }
    const tally = db
      .prepare(
        `SELECT COALESCE(SUM(m.id IS NULL), 0) inserted,
                COALESCE(SUM(m.id IS NOT NULL AND (m.row_hash <> s.hash OR m.gone = 1)), 0) updated,
                COALESCE(SUM(m.id IS NOT NULL AND m.row_hash = s.hash AND m.gone = 0), 0) unchanged
           FROM st.${e.stage} s LEFT JOIN main.${e.table} m ON m.source = @src AND m.pims_id = s.pims_id
          WHERE ${requiredParentsExist(e)}`,
      )
      .get(params) as { inserted: number; updated: number; unchanged: number };
    c.inserted += tally.inserted;
    c.updated += tally.updated;
    c.unchanged += tally.unchanged;

    if (e === CLIENT) {
      // Which households change (and whether they existed): their contact points are rewritten after the upsert.
      db.exec('DROP TABLE IF EXISTS temp.changed_clients; CREATE TEMP TABLE changed_clients (pims_id TEXT PRIMARY KEY, existed INTEGER) WITHOUT ROWID');
      db.prepare(
        `INSERT INTO temp.changed_clients SELECT s.pims_id, m.id IS NOT NULL FROM st.s_clients s LEFT JOIN main.clients m ON m.source = @src AND m.pims_id = s.pims_id
          WHERE m.id IS NULL OR m.row_hash <> s.hash OR m.gone = 1`,
      ).run(params);
    }

    const fks = e.parents.map((p) => p.fk);
    const cols = e.columns;
    const extraSet = e === APPOINTMENT
      ? // A rescheduled appointment needs a fresh confirmation: Pawline's state for the old time is dropped.
        `confirm_state = CASE WHEN appointments.start_utc IS NOT excluded.start_utc THEN 'none' ELSE appointments.confirm_state END,
         confirm_at = CASE WHEN appointments.start_utc IS NOT excluded.start_utc THEN NULL ELSE appointments.confirm_at END, `
      : '';
    db.prepare(
      `INSERT INTO main.${e.table} (source, pims_id, ${[...fks, ...cols].join(', ')}, gone, row_hash, updated_at)
       SELECT @src, s.pims_id, ${[...e.parents.map((_, i) => `p${i}.id`), ...cols.map((_, i) => `s.data ->> ${i}`)].join(', ')}, 0, s.hash, @now
         FROM st.${e.stage} s ${parentJoin(e)} WHERE true
       ON CONFLICT(source, pims_id) DO UPDATE SET ${extraSet}${[...fks, ...cols].map((x) => `${x} = excluded.${x}`).join(', ')},
          gone = 0, row_hash = excluded.row_hash, updated_at = excluded.updated_at
       WHERE ${e.table}.row_hash <> excluded.row_hash OR ${e.table}.gone = 1`,
    ).run(params);
    step(e.entity);

    if (e === CLIENT) {
      // CROSS JOIN keeps this join order (SQLite would otherwise scan the changed list once per client).
      const changed = (only: string) =>
        `SELECT m.id, ch.pims_id, m.row_hash FROM temp.changed_clients ch CROSS JOIN main.clients m ON m.source = @src AND m.pims_id = ch.pims_id ${only}`;
      db.prepare(
        `INSERT INTO main.contact_points (client_id, kind, position, raw, value, extension, phone_type, valid, sms_capable, nanp_key)
         SELECT c.id, x.kind, x.position, x.raw, x.value, x.extension, x.phone_type, x.valid, x.sms_capable, x.nanp_key
           FROM (${changed('')}) c CROSS JOIN st.s_contact_points x ON x.client_pims = c.pims_id AND x.client_hash = c.row_hash WHERE true
         ON CONFLICT(client_id, kind, position) DO UPDATE SET raw = excluded.raw, value = excluded.value, extension = excluded.extension,
            phone_type = excluded.phone_type, valid = excluded.valid, sms_capable = excluded.sms_capable, nanp_key = excluded.nanp_key`,
      ).run(params);
      // Numbers and addresses a household that was already known no longer has.
      db.prepare(
        `DELETE FROM main.contact_points WHERE id IN (
           SELECT cp.id FROM (${changed('WHERE ch.existed = 1')}) c JOIN main.contact_points cp ON cp.client_id = c.id
            WHERE NOT EXISTS (SELECT 1 FROM st.s_contact_points x WHERE x.client_pims = c.pims_id AND x.client_hash = c.row_hash AND x.kind = cp.kind AND x.position = cp.position))`,
      ).run(params);
      db.exec('DROP TABLE temp.changed_clients');
      step('contact_points');
    }

    if (d.fullFor.has(e.entity)) {
      if (!d.allowMassRemoval) {
        const known = (db.prepare(`SELECT COUNT(*) n FROM main.${e.table} WHERE source = @src AND gone = 0`).get(params) as { n: number }).n;
        const leaving = (
          db
            .prepare(`SELECT COUNT(*) n FROM main.${e.table} WHERE source = @src AND gone = 0 AND NOT EXISTS (SELECT 1 FROM st.${e.stage} s WHERE s.pims_id = ${e.table}.pims_id)`)
            .get(params) as { n: number }
        ).n;
        if (leaving >= MASS_REMOVAL_MIN && leaving > known * MASS_REMOVAL_SHARE)
          throw new ApiError(
            'import.mass-removal',
            `This export would remove ${leaving} of ${known} ${e.table} known to Pawline. The file looks truncated or empty, so nothing was imported. If the practice really removed them, import again with "Allow removals" (CLI: --allow-removals).`,
          );
      }
      c.gone += db
        .prepare(`UPDATE main.${e.table} SET gone = 1, updated_at = @now WHERE source = @src AND gone = 0 AND NOT EXISTS (SELECT 1 FROM st.${e.stage} s WHERE s.pims_id = ${e.table}.pims_id)`)
        .run(params).changes;
    }
  };

  if (d.touched.has('reminder-codes')) {
    const c = counts['reminder-codes'];
    const t = db
      .prepare(
        `SELECT COALESCE(SUM(m.code IS NULL), 0) inserted,
                COALESCE(SUM(m.code IS NOT NULL AND (m.description IS NOT s.description OR m.recall_days IS NOT s.recall_days OR m.category IS NOT s.category)), 0) updated,
                COUNT(*) total
           FROM st.s_codes s LEFT JOIN main.reminder_codes m ON m.source = @src AND m.code = s.code`,
      )
      .get(params) as { inserted: number; updated: number; total: number };
    c.inserted = t.inserted;
    c.updated = t.updated;
    c.unchanged = t.total - t.inserted - t.updated;
    db.prepare(
      `INSERT INTO main.reminder_codes (source, code, description, recall_days, category) SELECT @src, code, description, recall_days, category FROM st.s_codes WHERE true
       ON CONFLICT(source, code) DO UPDATE SET description = excluded.description, recall_days = excluded.recall_days, category = excluded.category`,
    ).run(params);
    step('reminder-codes');
  }

  for (const e of KEYED) {
    if (e === APPOINTMENT) continue;
    applyKeyed(e);
  }

  if (d.touched.has('history')) {
    const c = counts.history;
    rejectOrphans('history', 's_history', 'patient_pims', 'patients', (r) => `Service history for patient ${String(r.patient_pims)}, who is not in the export; skipped`, true);
    const matched = (db.prepare('SELECT COUNT(*) n FROM st.s_history s JOIN main.patients p ON p.source = @src AND p.pims_id = s.patient_pims').get(params) as { n: number }).n;
    c.inserted = db
      .prepare(
        `INSERT OR IGNORE INTO main.history (source, patient_id, code, description, service_date)
         SELECT @src, p.id, s.code, s.description, s.service_date FROM st.s_history s JOIN main.patients p ON p.source = @src AND p.pims_id = s.patient_pims WHERE true`,
      )
      .run(params).changes;
    // A row repeated in the file is counted once, as unchanged.
    c.unchanged = matched - c.inserted;
    if (d.fullFor.has('history')) {
      // History rows are not referenced by messages: ones a full export no longer lists are removed.
      c.gone = db
        .prepare(
          `DELETE FROM main.history WHERE source = @src AND NOT EXISTS (
             SELECT 1 FROM main.patients p JOIN st.s_history s ON s.patient_pims = p.pims_id
              WHERE p.id = history.patient_id AND s.code = history.code AND s.service_date = history.service_date)`,
        )
        .run(params).changes;
    }
    step('history');
  }

  applyKeyed(APPOINTMENT);

  if (d.touched.has('reminders') || d.touched.has('history')) updateSatisfied(db, d.source);
  if (d.touched.has('clients')) updateShared(db);
  step('derived');
  return counts;
}

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
