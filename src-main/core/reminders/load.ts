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
  /** Printable postal label, or null when too incomplete to mail. */
  readonly address: string | null;
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
  /** The household, as far as suppression needs it (null client_id or a missing row = no client). */
  hasClient: boolean;
  clientActive: boolean;
  clientSuspend: boolean;
  clientSuspendUntil: string | null;
}

type FactRow = [
  rid: number,
  pid: number,
  cid: number | null,
  code: string,
  description: string | null,
  rcat: string | null,
  due: string,
  rsusp: number,
  rgone: number,
  sat: string | null,
  pname: string | null,
  sex: string | null,
  deceased: number,
  dod: string | null,
  pactive: number,
  psusp: number,
  pgone: number,
];

// Arrays rather than row objects: about three times faster for the ~30k rows of a plan.
// The importer fills reminders.category from the code list; serviceCategory() covers a gap.
const FACT_SELECT = `SELECT r.id, r.patient_id, p.client_id, r.code, r.description, r.category, r.due_date, r.suspended, r.gone, r.satisfied_on,
  p.name, p.sex, p.deceased, p.dod, p.active, p.suspend_reminders, p.gone
  FROM reminders r JOIN patients p ON p.id = r.patient_id`;

/**
 * The latest history date per (patient, code) since `from`. A reminder due on or after `from`
 * is satisfied by a service on or after its due date, so older history never matters here;
 * this backs up the importer's satisfied_on with one range scan instead of a lookup per row.
 */
/** patient -> code -> latest service date since the range start. */
export type RecentHistory = Map<number, Map<string, string>>;

export function loadRecentHistory(db: Db, from: string): RecentHistory {
  const out: RecentHistory = new Map();
  const rows = db.prepare<[string], [number, string, string]>('SELECT patient_id, code, service_date FROM history WHERE service_date >= ?').raw().all(from);
  for (const [pid, code, d] of rows) {
    let byCode = out.get(pid);
    if (!byCode) {
      byCode = new Map();
      out.set(pid, byCode);
    }
    const cur = byCode.get(code);
    if (!cur || d > cur) byCode.set(code, d);
  }
  return out;
}

/** The importer's satisfied_on, else a service on or after the due date in the recent history. */
export function satisfiedOn(sat: string | null, history: RecentHistory, patientId: number, code: string, due: string): string | null {
  if (sat) return sat;
  const h = history.get(patientId)?.get(code);
  return h && h >= due ? h : null;
}

function toFacts(r: FactRow, history: RecentHistory, clients: ClientTable): ReminderFacts {
  const c = r[2] !== null ? clients.get(r[2]) : undefined;
  return {
    reminderId: r[0],
    patientId: r[1],
    clientId: r[2],
    code: r[3],
    description: r[4],
    category: serviceCategory(r[3], r[5], r[4]),
    due: r[6],
    reminderSuspended: !!r[7],
    reminderGone: !!r[8],
    satisfiedOn: satisfiedOn(r[9], history, r[1], r[3], r[6]),
    petName: r[10] ?? '',
    petSex: r[11],
    // A date of death without the flag still means the pet died.
    deceased: !!r[12] || !!r[13],
    petActive: !!r[14],
    petSuspend: !!r[15],
    petGone: !!r[16],
    hasClient: c !== undefined,
    clientActive: !!c && !!c[4] && !c[5],
    clientSuspend: !!c && !!c[6],
    clientSuspendUntil: c ? c[7] : null,
  };
}

export function loadReminderFacts(db: Db, range: { from: string; to: string }, history: RecentHistory, clients: ClientTable): ReminderFacts[] {
  return db
    .prepare<[string, string], FactRow>(`${FACT_SELECT} WHERE r.gone = 0 AND r.due_date BETWEEN ? AND ?`)
    .raw()
    .all(range.from, range.to)
    .map((r) => toFacts(r, history, clients));
}

/** Facts for reminders outside the plan's date range (queued long ago); a per-row history lookup is fine for these few. */
export function loadReminderFactsById(db: Db, ids: number[], clients: ClientTable): ReminderFacts[] {
  if (!ids.length) return [];
  const hist = db.prepare<[number, string, string], { d: string | null }>('SELECT MIN(service_date) d FROM history WHERE patient_id = ? AND code = ? AND service_date >= ?');
  return db
    .prepare<[string], FactRow>(`${FACT_SELECT} WHERE r.id IN (SELECT value FROM json_each(?))`)
    .raw()
    .all(JSON.stringify(ids))
    .map((r) => {
      const f = toFacts(r, new Map(), clients);
      if (!f.satisfiedOn) f.satisfiedOn = hist.get(f.patientId, f.code, f.due)?.d ?? null;
      return f;
    });
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

type ClientTableRow = [id: number, first: string | null, last: string | null, language: string | null, active: number, gone: number, suspend: number, until: string | null, a1: string | null, a2: string | null, city: string | null, region: string | null, postal: string | null];

/** Every client's planning fields, by id: one scan serves suppression and the households' names. */
export type ClientTable = Map<number, ClientTableRow>;

const CLIENT_COLS = 'id, first_name, last_name, language, active, gone, suspend_reminders, suspend_until, address1, address2, city, region, postal_code';

export function loadClientTable(db: Db): ClientTable {
  const out: ClientTable = new Map();
  for (const r of db.prepare<[], ClientTableRow>(`SELECT ${CLIENT_COLS} FROM clients`).raw().all()) out.set(r[0], r);
  return out;
}

export function clientFacts(r: ClientTableRow): ClientFacts {
  const c: ClientRow = { id: r[0], first_name: r[1], last_name: r[2], language: r[3], active: r[4], gone: r[5], suspend_reminders: r[6], suspend_until: r[7], address1: r[8], address2: r[9], city: r[10], region: r[11], postal_code: r[12] };
  return {
    id: c.id,
    firstName: (c.first_name ?? '').trim(),
    lastName: (c.last_name ?? '').trim(),
    language: c.language,
    active: !!c.active,
    gone: !!c.gone,
    suspend: !!c.suspend_reminders,
    suspendUntil: c.suspend_until,
    // Built on first use: only postcards need it.
    get address() {
      return postalLabel(c);
    },
  };
}

export function loadClients(db: Db, ids: number[]): Map<number, ClientFacts> {
  const out = new Map<number, ClientFacts>();
  if (!ids.length) return out;
  const rows = db.prepare<[string], ClientTableRow>(`SELECT ${CLIENT_COLS} FROM clients WHERE id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(ids));
  for (const r of rows) out.set(r[0], clientFacts(r));
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

/** One message that covered an item, with its current status. */
export interface Coverage {
  message: number;
  status: string;
}

export interface PlannedItemState {
  /** Messages that covered this (patient, service, due, step), by channel. */
  byChannel: Map<string, Coverage[]>;
}

/** Statuses after which a message's status no longer changes (failed may be retried by staff). */
const SETTLED = new Set(['delivered', 'undelivered', 'cancelled', 'withdrawn', 'expired']);
const LIVE = new Set(['queued', 'waiting', 'sending', 'sent', 'delivered']);

// key = patient:code:due:step, built by SQLite: one string per row instead of four.
type ItemRow = [messageId: number, key: string, channel: string, plannedFor: string, clientId: number, reminderId: number, status: string];

/** What the outbox did so far with every reminder step planned for the run's due dates. */
export interface ItemLedger {
  /** `${patient}:${code}:${due}:${step}` -> the messages that covered it, by channel. */
  planned: Map<string, PlannedItemState>;
  /** Items of messages still queued or waiting: [message id, reminder id]. */
  open: [number, number][];
  /** Messages whose status changed since the planner last looked: id -> status (to remember). */
  changed: Map<number, string>;
  /** Marks messages this run takes back (a dry run cannot write that, so it is applied here). */
  withdraw(ids: Iterable<number>): void;
  /** Clients with a live health reminder planned after `since` (the frequency cap): client -> date. */
  recentSince(since: string): Map<number, string>;
}

/**
 * Reads reminder_items, where the planner keeps each message's last seen status, and asks the
 * outbox only about messages not yet settled: queued ones through the outbox's own queue index,
 * the few others by id. A re-plan thus never reads the wide messages rows of settled emails.
 */
export function loadItemLedger(db: Db, range: { from: string; to: string }): ItemLedger {
  const queued = new Map(db.prepare<[], [number, string]>("SELECT id, status FROM messages WHERE status IN ('queued','waiting')").raw().all());
  const cols = "message_id, patient_id || ':' || code || ':' || due_date || ':' || step, channel, planned_for, client_id, reminder_id, status";
  const rows = db.prepare<[string, string], ItemRow>(`SELECT ${cols} FROM reminder_items WHERE due_date BETWEEN ? AND ?`).raw().all(range.from, range.to);
  // Queued long ago for a due date outside today's range (the outbox was paused for weeks).
  const outside = db
    .prepare<[string, string], ItemRow>(`SELECT ${cols} FROM reminder_items WHERE status IN ('queued','waiting','sending','sent') AND (due_date < ? OR due_date > ?)`)
    .raw()
    .all(range.from, range.to);
  const ask = new Set<number>();
  for (const r of rows) if (!SETTLED.has(r[6]) && !queued.has(r[0])) ask.add(r[0]);
  for (const r of outside) if (!queued.has(r[0])) ask.add(r[0]);
  const asked = ask.size
    ? new Map(db.prepare<[string], [number, string]>('SELECT id, status FROM messages WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify([...ask])))
    : new Map<number, string>();
  // A message deleted from the outbox no longer covers anything.
  const current = (r: ItemRow): string => (SETTLED.has(r[6]) ? r[6] : queued.get(r[0]) ?? asked.get(r[0]) ?? 'withdrawn');

  const planned = new Map<string, PlannedItemState>();
  const open: [number, number][] = [];
  const changed = new Map<number, string>();
  const byMessage = new Map<number, Coverage[]>();
  const live: [client: number, plannedFor: string, cov: Coverage][] = [];
  const take = (r: ItemRow, inRange: boolean) => {
    const cov: Coverage = { message: r[0], status: current(r) };
    if (cov.status !== r[6]) changed.set(r[0], cov.status);
    if (cov.status === 'queued' || cov.status === 'waiting') open.push([r[0], r[5]]);
    live.push([r[4], r[3], cov]);
    const list = byMessage.get(r[0]);
    if (list) list.push(cov);
    else byMessage.set(r[0], [cov]);
    if (!inRange) return;
    let p = planned.get(r[1]);
    if (!p) {
      p = { byChannel: new Map() };
      planned.set(r[1], p);
    }
    const covs = p.byChannel.get(r[2]);
    if (covs) covs.push(cov);
    else p.byChannel.set(r[2], [cov]);
  };
  for (const r of rows) take(r, true);
  for (const r of outside) take(r, false);
  return {
    planned,
    open,
    changed,
    withdraw(ids) {
      for (const id of ids) for (const c of byMessage.get(id) ?? []) c.status = 'withdrawn';
    },
    recentSince(since) {
      const out = new Map<number, string>();
      for (const [cid, pf, cov] of live) {
        if (pf <= since || !LIVE.has(cov.status)) continue;
        const cur = out.get(cid);
        if (!cur || pf > cur) out.set(cid, pf);
      }
      return out;
    },
  };
}
