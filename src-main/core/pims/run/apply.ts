/**
 * Phase two of an import run: the spooled operations are applied with prepared statements,
 * synchronously, inside the caller's transaction. Derived data (reminders satisfied by the
 * history, phone numbers shared between households) is recomputed here too, so it commits or
 * rolls back with the rows it derives from.
 */
import type { ImportEntity } from '../../../contract';
import type { Db } from '../../db/open';
import { decodeContactPoints } from '../model';
import { readSpool } from './spool';
import { APPOINTMENT, CLIENT, CODE, HISTORY, PATIENT, REMINDER, type EntitySchema } from './schema';
import type { Known } from './stage';

const SEP = '\x1f';
const NULL = '\x01';
const NL = '\x02';

export interface ApplyDeps {
  db: Db;
  source: string;
  now: string;
  map(e: ImportEntity): Map<string, Known>;
  touched: ReadonlySet<ImportEntity>;
  /** Called every few thousand operations. */
  onProgress?(done: number): void;
  /** Tests: called after each operation, may throw to simulate a failure halfway. */
  onOperation?(n: number): void;
}

function cell(p: string, kind: 's' | 'i' | 'f'): string | number | null {
  if (p === NULL) return null;
  if (kind === 'i') return parseInt(p, 10);
  if (kind === 'f') return Number(p);
  return p.indexOf(NL) >= 0 ? p.split(NL).join('\n') : p;
}

/** Decodes the schema's columns from parts[from...]. */
function values(parts: string[], from: number, sch: EntitySchema): (string | number | null)[] {
  const out = new Array(sch.columns.length);
  for (let i = 0; i < sch.columns.length; i++) out[i] = cell(parts[from + i], sch.kinds[i]);
  return out;
}

const placeholders = (n: number) => Array(n).fill('?').join(', ');
const assignments = (cols: readonly string[]) => cols.map((c) => `${c} = ?`).join(', ');

export function applySpool(d: ApplyDeps, file: string): number {
  const { db, source, now } = d;
  const ins = (table: string, extra: string[], sch: EntitySchema) =>
    db.prepare(`INSERT INTO ${table} (source, pims_id, ${[...extra, ...sch.columns].join(', ')}, gone, row_hash, updated_at) VALUES (?, ?, ${placeholders(extra.length + sch.columns.length)}, 0, ?, ?)`);
  const upd = (table: string, extra: string[], sch: EntitySchema, more = '') =>
    db.prepare(`UPDATE ${table} SET ${assignments([...extra, ...sch.columns])}, ${more}gone = 0, row_hash = ?, updated_at = ? WHERE id = ?`);

  const st = {
    insClient: ins('clients', [], CLIENT),
    updClient: upd('clients', [], CLIENT),
    insPatient: ins('patients', ['client_id'], PATIENT),
    updPatient: upd('patients', ['client_id'], PATIENT),
    insReminder: ins('reminders', ['patient_id'], REMINDER),
    updReminder: upd('reminders', ['patient_id'], REMINDER),
    insAppt: ins('appointments', ['client_id', 'patient_id'], APPOINTMENT),
    // A rescheduled appointment needs a fresh confirmation: Pawline's state for the old time is dropped.
    updAppt: upd('appointments', ['client_id', 'patient_id'], APPOINTMENT, "confirm_state = CASE WHEN start_utc IS NOT ?5 THEN 'none' ELSE confirm_state END, confirm_at = CASE WHEN start_utc IS NOT ?5 THEN NULL ELSE confirm_at END, ".replace(/\?5/g, '@start')),
    insHistory: db.prepare(`INSERT OR IGNORE INTO history (source, patient_id, ${HISTORY.columns.join(', ')}) VALUES (?, ?, ${placeholders(HISTORY.columns.length)})`),
    delHistory: db.prepare('DELETE FROM history WHERE id = ?'),
    upsertCode: db.prepare(
      `INSERT INTO reminder_codes (source, code, ${CODE.columns.join(', ')}) VALUES (?, ?, ${placeholders(CODE.columns.length)}) ON CONFLICT(source, code) DO UPDATE SET ${CODE.columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    ),
    upsertCp: db.prepare(
      `INSERT INTO contact_points (client_id, kind, position, raw, value, extension, phone_type, valid, sms_capable, nanp_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(client_id, kind, position) DO UPDATE SET raw = excluded.raw, value = excluded.value, extension = excluded.extension, phone_type = excluded.phone_type,
         valid = excluded.valid, sms_capable = excluded.sms_capable, nanp_key = excluded.nanp_key`,
    ),
    trimCp: db.prepare('DELETE FROM contact_points WHERE client_id = ? AND kind = ? AND position > ?'),
    gone: Object.fromEntries(['clients', 'patients', 'reminders', 'appointments'].map((t) => [t, db.prepare(`UPDATE ${t} SET gone = 1, updated_at = ? WHERE id = ?`)])),
    revive: Object.fromEntries(['clients', 'patients', 'reminders', 'appointments'].map((t) => [t, db.prepare(`UPDATE ${t} SET gone = 0, updated_at = ? WHERE id = ?`)])),
  };
  const tables: Record<string, string> = { C: 'clients', P: 'patients', R: 'reminders', A: 'appointments', H: 'history' };

  const clients = d.map('clients');
  const patients = d.map('patients');
  const reminders = d.map('reminders');
  const appts = d.map('appointments');
  const idOf = (m: Map<string, Known>, pims: string | null): number | null => {
    if (pims === null || pims === NULL) return null;
    const k = m.get(pims);
    return k && k.id > 0 ? k.id : null;
  };

  const writeContactPoints = (clientId: number, text: string, isNew: boolean) => {
    const cps = decodeContactPoints(text);
    let phones = 0;
    let emails = 0;
    for (const c of cps) {
      st.upsertCp.run(clientId, c.kind, c.position, c.raw, c.value, c.extension, c.phoneType, c.valid ? 1 : 0, c.smsCapable ? 1 : 0, c.nanpKey);
      if (c.kind === 'phone') phones = Math.max(phones, c.position);
      else emails = Math.max(emails, c.position);
    }
    if (!isNew) {
      st.trimCp.run(clientId, 'phone', phones);
      st.trimCp.run(clientId, 'email', emails);
    }
  };

  let n = 0;
  for (const line of readSpool(file)) {
    if (line === '') continue;
    const parts = line.split(SEP);
    const op = line[0];
    const tag = line[1];
    n++;
    if (op === 'G' || op === 'V' || op === 'D') {
      const id = Number(parts[1]);
      if (op === 'D') st.delHistory.run(id);
      else (op === 'G' ? st.gone : st.revive)[tables[tag]].run(now, id);
    } else {
      const hash = parts[1];
      const pims = parts[2];
      switch (tag) {
        case 'C': {
          const v = values(parts, 3, CLIENT);
          const cps = parts[3 + CLIENT.columns.length] ?? '';
          const k = clients.get(pims)!;
          if (op === 'I' && !(k.id > 0)) {
            k.id = Number(st.insClient.run(source, pims, ...v, hash, now).lastInsertRowid);
            writeContactPoints(k.id, cps, true);
          } else {
            st.updClient.run(...v, hash, now, k.id);
            writeContactPoints(k.id, cps, false);
          }
          break;
        }
        case 'P': {
          const clientId = idOf(clients, parts[3]);
          const v = values(parts, 4, PATIENT);
          const k = patients.get(pims)!;
          if (op === 'I' && !(k.id > 0)) k.id = Number(st.insPatient.run(source, pims, clientId, ...v, hash, now).lastInsertRowid);
          else st.updPatient.run(clientId, ...v, hash, now, k.id);
          break;
        }
        case 'R': {
          const patientId = idOf(patients, parts[3]);
          const v = values(parts, 4, REMINDER);
          const k = reminders.get(pims)!;
          if (op === 'I' && !(k.id > 0)) k.id = Number(st.insReminder.run(source, pims, patientId, ...v, hash, now).lastInsertRowid);
          else st.updReminder.run(patientId, ...v, hash, now, k.id);
          break;
        }
        case 'A': {
          const clientId = idOf(clients, parts[3]);
          const patientId = idOf(patients, parts[4]);
          const v = values(parts, 5, APPOINTMENT);
          const k = appts.get(pims)!;
          if (op === 'I' && !(k.id > 0)) k.id = Number(st.insAppt.run(source, pims, clientId, patientId, ...v, hash, now).lastInsertRowid);
          else st.updAppt.run({ start: v[1] }, clientId, patientId, ...v, hash, now, k.id);
          break;
        }
        case 'H': {
          // parts[2] is the patient's PIMS id for history lines.
          const patientId = idOf(patients, pims);
          st.insHistory.run(source, patientId, ...values(parts, 3, HISTORY));
          break;
        }
        case 'K':
          st.upsertCode.run(source, pims, ...values(parts, 3, CODE));
          break;
        default:
          throw new Error(`Corrupt import spool (operation ${op}${tag})`);
      }
    }
    d.onOperation?.(n);
    if (d.onProgress && n % 5000 === 0) d.onProgress(n);
  }

  if (d.touched.has('reminders') || d.touched.has('history')) updateSatisfied(db, source);
  if (d.touched.has('clients')) updateShared(db);
  return n;
}

/**
 * A reminder is satisfied by a service in the history for the same patient and code on or after
 * its due date (an earlier one is the previous dose). Only rows whose value changes are written.
 */
export function updateSatisfied(db: Db, source: string): void {
  db.prepare(
    `UPDATE reminders SET satisfied_on = s.sat
       FROM (SELECT r.id, (SELECT MIN(h.service_date) FROM history h
                            WHERE h.patient_id = r.patient_id AND h.code = r.code AND h.service_date >= r.due_date) AS sat
               FROM reminders r WHERE r.source = ?) AS s
      WHERE reminders.id = s.id AND reminders.satisfied_on IS NOT s.sat`,
  ).run(source);
}

/** Marks phones whose number (10 NANP digits) another household still in the PIMS also has. */
export function updateShared(db: Db): void {
  db.prepare(
    `WITH keys AS (
       SELECT cp.nanp_key FROM contact_points cp JOIN clients c ON c.id = cp.client_id
        WHERE cp.kind = 'phone' AND cp.nanp_key IS NOT NULL AND c.gone = 0
        GROUP BY cp.nanp_key HAVING COUNT(DISTINCT cp.client_id) > 1)
     UPDATE contact_points SET shared = (nanp_key IS NOT NULL AND nanp_key IN (SELECT nanp_key FROM keys))
      WHERE kind = 'phone' AND shared IS NOT (nanp_key IS NOT NULL AND nanp_key IN (SELECT nanp_key FROM keys))`,
  ).run();
}
