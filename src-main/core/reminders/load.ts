import type { Db } from '../db/open';
import { appointmentCategory, appointmentState, pimsConfirmed, serviceCategory, type AppointmentCategory, type AppointmentState, type ServiceCategory } from './categories';

/**
 * Bulk reads for one plan run: a handful of set-based queries instead of one per patient, so a
 * 40k-patient clinic plans in well under a second.
 */

export interface ClientFacts {
  id: number;
  firstName: string;
  lastName: string;
  language: string | null;
  active: boolean;
  gone: boolean;
  suspend: boolean;
  suspendUntil: string | null;
  address: string | null;
}

export interface ReminderFacts {
  reminderId: number;
  patientId: number;
  clientId: number | null;
  code: string;
  description: string | null;
  category: ServiceCategory;
  due: string;
  reminderSuspended: boolean;
  /** No longer in the PIMS's export. */
  reminderGone: boolean;
  /** The importer's satisfied_on, or the first history row for the service on/after the due date. */
  satisfiedOn: string | null;
  petName: string;
  petSex: string | null;
  deceased: boolean;
  petActive: boolean;
  petSuspend: boolean;
  petGone: boolean;
}

interface FactRow {
  rid: number;
  pid: number;
  cid: number | null;
  code: string;
  description: string | null;
  rcat: string | null;
  due: string;
  rsusp: number;
  rgone: number;
  sat: string | null;
  hist: string | null;
  pname: string | null;
  sex: string | null;
  deceased: number;
  dod: string | null;
  pactive: number;
  psusp: number;
  pgone: number;
}

const FACT_COLUMNS = `
  r.id rid, r.patient_id pid, p.client_id cid, r.code, r.description, COALESCE(r.category, rc.category) rcat, r.due_date due, r.suspended rsusp, r.gone rgone, r.satisfied_on sat,
  (SELECT MIN(h.service_date) FROM history h WHERE h.patient_id = r.patient_id AND h.code = r.code AND h.service_date >= r.due_date) hist,
  p.name pname, p.sex, p.deceased, p.dod, p.active pactive, p.suspend_reminders psusp, p.gone pgone
  FROM reminders r JOIN patients p ON p.id = r.patient_id
  LEFT JOIN reminder_codes rc ON rc.source = r.source AND rc.code = r.code`;

function toFacts(r: FactRow): ReminderFacts {
  const sat = r.sat && r.hist ? (r.sat < r.hist ? r.sat : r.hist) : r.sat ?? r.hist;
  return {
    reminderId: r.rid,
    patientId: r.pid,
    clientId: r.cid,
    code: r.code,
    description: r.description,
    category: serviceCategory(r.code, r.rcat, r.description),
    due: r.due,
    reminderSuspended: !!r.rsusp,
    reminderGone: !!r.rgone,
    satisfiedOn: sat,
    petName: r.pname ?? '',
    petSex: r.sex,
    // A date of death without the flag still means the pet died.
    deceased: !!r.deceased || !!r.dod,
    petActive: !!r.pactive,
    petSuspend: !!r.psusp,
    petGone: !!r.pgone,
  };
}

export function loadReminderFacts(db: Db, range: { from: string; to: string }): ReminderFacts[] {
  return db
    .prepare<[string, string], FactRow>(`SELECT ${FACT_COLUMNS} WHERE r.gone = 0 AND r.due_date BETWEEN ? AND ? ORDER BY r.patient_id, r.id`)
    .all(range.from, range.to)
    .map(toFacts);
}

export function loadReminderFactsById(db: Db, ids: number[]): ReminderFacts[] {
  if (!ids.length) return [];
  return db
    .prepare<[string], FactRow>(`SELECT ${FACT_COLUMNS} WHERE r.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids))
    .map(toFacts);
}

interface ClientRow {
  id: number;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  active: number;
  gone: number;
  suspend_reminders: number;
  suspend_until: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
}

/** A printable label, or null when the address is too incomplete to mail. */
function postalLabel(c: ClientRow): string | null {
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ').trim();
  const street = (c.address1 ?? '').trim();
  const city = (c.city ?? '').trim();
  if (!street || !city) return null;
  const last = [city + (c.region ? `, ${c.region.trim()}` : ''), (c.postal_code ?? '').trim()].filter(Boolean).join(' ');
  return [name, street, (c.address2 ?? '').trim(), last].filter(Boolean).join('\n');
}

export function loadClients(db: Db, ids: number[]): Map<number, ClientFacts> {
  const out = new Map<number, ClientFacts>();
  if (!ids.length) return out;
  const rows = db
    .prepare<[string], ClientRow>(
      `SELECT id, first_name, last_name, language, active, gone, suspend_reminders, suspend_until, address1, address2, city, region, postal_code
       FROM clients WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids));
  for (const c of rows)
    out.set(c.id, {
      id: c.id,
      firstName: (c.first_name ?? '').trim(),
      lastName: (c.last_name ?? '').trim(),
      language: c.language,
      active: !!c.active,
      gone: !!c.gone,
      suspend: !!c.suspend_reminders,
      suspendUntil: c.suspend_until,
      address: postalLabel(c),
    });
  return out;
}

export interface AppointmentFacts {
  id: number;
  clientId: number | null;
  patientId: number | null;
  startLocal: string;
  startUtc: string;
  date: string;
  reason: string | null;
  category: AppointmentCategory;
  state: AppointmentState;
  pimsConfirmed: boolean;
  confirmState: string;
  doctor: string | null;
  gone: boolean;
}

interface ApptRow {
  id: number;
  client_id: number | null;
  patient_id: number | null;
  start_local: string;
  start_utc: string;
  reason: string | null;
  category: string | null;
  status: string;
  confirm_state: string;
  doctor: string | null;
  gone: number;
}

function toAppt(a: ApptRow): AppointmentFacts {
  return {
    id: a.id,
    clientId: a.client_id,
    patientId: a.patient_id,
    startLocal: a.start_local,
    startUtc: a.start_utc,
    date: a.start_local.slice(0, 10),
    reason: a.reason,
    category: appointmentCategory(a.category, a.reason),
    state: appointmentState(a.status),
    pimsConfirmed: pimsConfirmed(a.status),
    confirmState: a.confirm_state,
    doctor: a.doctor,
    gone: !!a.gone,
  };
}

const APPT_COLUMNS = 'id, client_id, patient_id, start_local, start_utc, reason, category, status, confirm_state, doctor, gone';

/** Appointments on or after a clinic-local date (their start_local is clinic-local). */
export function loadAppointmentsFrom(db: Db, fromDate: string): AppointmentFacts[] {
  return db.prepare<[string], ApptRow>(`SELECT ${APPT_COLUMNS} FROM appointments WHERE start_local >= ?`).all(fromDate).map(toAppt);
}

export function loadAppointmentsById(db: Db, ids: number[]): AppointmentFacts[] {
  if (!ids.length) return [];
  return db.prepare<[string], ApptRow>(`SELECT ${APPT_COLUMNS} FROM appointments WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)).map(toAppt);
}

/** Desk holds still in force on asOf, by client and by patient. */
export function loadHolds(db: Db, asOf: string): { clients: Map<number, string | null>; patients: Map<number, string | null> } {
  const rows = db
    .prepare<[string], { client_id: number | null; patient_id: number | null; until: string | null }>('SELECT client_id, patient_id, until FROM reminder_holds WHERE until IS NULL OR until >= ?')
    .all(asOf);
  const clients = new Map<number, string | null>();
  const patients = new Map<number, string | null>();
  for (const r of rows) {
    if (r.client_id !== null) clients.set(r.client_id, r.until);
    if (r.patient_id !== null) patients.set(r.patient_id, r.until);
  }
  return { clients, patients };
}

export interface PlannedItemState {
  /** Statuses of messages that covered this (patient, service, due, step), by channel. */
  byChannel: Map<string, string[]>;
}

/**
 * `${patient}:${code}:${due}:${step}` -> what the outbox did with it so far. `withdrawn` lists
 * messages this run takes back (a dry run cannot write that yet, so it is applied here).
 */
export function loadPlannedItems(db: Db, range: { from: string; to: string }, withdrawn: Set<number>): Map<string, PlannedItemState> {
  const rows = db
    .prepare<[string, string], { message_id: number; patient_id: number; code: string; due_date: string; step: string; channel: string; status: string }>(
      `SELECT ri.message_id, ri.patient_id, ri.code, ri.due_date, ri.step, ri.channel, m.status
       FROM reminder_items ri JOIN messages m ON m.id = ri.message_id WHERE ri.due_date BETWEEN ? AND ?`,
    )
    .all(range.from, range.to);
  const out = new Map<string, PlannedItemState>();
  for (const r of rows) {
    const k = `${r.patient_id}:${r.code}:${r.due_date}:${r.step}`;
    let s = out.get(k);
    if (!s) {
      s = { byChannel: new Map() };
      out.set(k, s);
    }
    const list = s.byChannel.get(r.channel) ?? [];
    list.push(withdrawn.has(r.message_id) ? 'withdrawn' : r.status);
    s.byChannel.set(r.channel, list);
  }
  return out;
}

/** Clients whose last live health reminder was planned after `since` (the frequency cap). */
export function loadRecentReminderClients(db: Db, since: string, withdrawn: Set<number>): Map<number, string> {
  const rows = db
    .prepare<[string], { client_id: number; planned_for: string; message_id: number }>(
      `SELECT ri.client_id, ri.planned_for, ri.message_id FROM reminder_items ri JOIN messages m ON m.id = ri.message_id
       WHERE ri.planned_for > ? AND m.status IN ('queued','waiting','sending','sent','delivered')`,
    )
    .all(since);
  const out = new Map<number, string>();
  for (const r of rows) {
    if (withdrawn.has(r.message_id)) continue;
    const cur = out.get(r.client_id);
    if (!cur || r.planned_for > cur) out.set(r.client_id, r.planned_for);
  }
  return out;
}
