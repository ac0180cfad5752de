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
  readonly reminderId: number;
  /** `${patientId}:${code}:${due}`: what identifies the due service across re-imports (with the step: a plan item). */
  readonly itemKey: string;
  readonly patientId: number;
  readonly clientId: number | null;
  readonly code: string;
  readonly description: string | null;
  readonly category: ServiceCategory;
  readonly due: string;
  readonly reminderSuspended: boolean;
  /** No longer in the PIMS's export. */
  readonly reminderGone: boolean;
  /** The importer's satisfied_on, or the first history row for the service on/after the due date. */
  readonly satisfiedOn: string | null;
  readonly petName: string;
  readonly petSex: string | null;
  readonly deceased: boolean;
  readonly petActive: boolean;
  readonly petSuspend: boolean;
  readonly petGone: boolean;
  /** The household, as far as suppression needs it (null client_id or a missing row = no client). */
  readonly hasClient: boolean;
  readonly clientActive: boolean;
  readonly clientSuspend: boolean;
  readonly clientSuspendUntil: string | null;
}

type FactRow = [
  rid: number,
  pid: number,
  cid: number | null,
  code: string,
  description: string | null,
  rcat: string | null,
  due: string,
  sat: string | null,
  pname: string | null,
  sex: string | null,
  bits: number,
  clientUntil: string | null,
];

// The yes/no facts of a reminder, its pet and its household travel as one integer: better-sqlite3
// pays per value it hands to JS, and a plan reads ~45k rows.
const R_SUSPENDED = 1;
const R_GONE = 2;
const P_DECEASED = 4;
const P_ACTIVE = 8;
const P_SUSPEND = 16;
const P_GONE = 32;
const HAS_CLIENT = 64;
const C_ACTIVE = 128;
const C_SUSPEND = 256;

// The importer fills reminders.category from the code list; serviceCategory() covers a gap.
// A date of death without the flag still means the pet died; a gone client is not active.
const FACT_SELECT = `SELECT r.id, r.patient_id, p.client_id, r.code, r.description, r.category, r.due_date, r.satisfied_on, p.name, p.sex,
    (r.suspended = 1) * ${R_SUSPENDED} + (r.gone = 1) * ${R_GONE} + (p.deceased = 1 OR p.dod IS NOT NULL) * ${P_DECEASED}
      + (p.active = 1) * ${P_ACTIVE} + (p.suspend_reminders = 1) * ${P_SUSPEND} + (p.gone = 1) * ${P_GONE}
      + (c.id IS NOT NULL) * ${HAS_CLIENT} + (c.active = 1 AND c.gone = 0) * ${C_ACTIVE} + (c.suspend_reminders = 1) * ${C_SUSPEND},
    c.suspend_until
  FROM reminders r JOIN patients p ON p.id = r.patient_id LEFT JOIN clients c ON c.id = p.client_id`;

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

/** serviceCategory() per distinct (code, category, description): a plan repeats a handful of them. */
function categoryCache(): (code: string, cat: string | null, description: string | null) => ServiceCategory {
  const seen = new Map<string, ServiceCategory>();
  return (code, cat, description) => {
    const k = cat ? `${code}\x1f${cat}` : `${code}\x1f\x1f${description ?? ''}`;
    let v = seen.get(k);
    if (v === undefined) {
      v = serviceCategory(code, cat, description);
      seen.set(k, v);
    }
    return v;
  };
}

function toFacts(r: FactRow, history: RecentHistory, category: ReturnType<typeof categoryCache>): ReminderFacts {
  const bits = r[10];
  return {
    reminderId: r[0],
    itemKey: `${r[1]}:${r[3]}:${r[6]}`,
    patientId: r[1],
    clientId: r[2],
    code: r[3],
    description: r[4],
    category: category(r[3], r[5], r[4]),
    due: r[6],
    reminderSuspended: (bits & R_SUSPENDED) !== 0,
    reminderGone: (bits & R_GONE) !== 0,
    satisfiedOn: satisfiedOn(r[7], history, r[1], r[3], r[6]),
    petName: r[8] ?? '',
    petSex: r[9],
    deceased: (bits & P_DECEASED) !== 0,
    petActive: (bits & P_ACTIVE) !== 0,
    petSuspend: (bits & P_SUSPEND) !== 0,
    petGone: (bits & P_GONE) !== 0,
    hasClient: (bits & HAS_CLIENT) !== 0,
    clientActive: (bits & C_ACTIVE) !== 0,
    clientSuspend: (bits & C_SUSPEND) !== 0,
    clientSuspendUntil: (bits & HAS_CLIENT) !== 0 ? r[11] : null,
  };
}

export function loadReminderFacts(db: Db, range: { from: string; to: string }, history: RecentHistory): ReminderFacts[] {
  const category = categoryCache();
  const rows = db.prepare<[string, string], FactRow>(`${FACT_SELECT} WHERE r.gone = 0 AND r.due_date BETWEEN ? AND ?`).raw().all(range.from, range.to);
  const out = new Array<ReminderFacts>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = toFacts(rows[i], history, category);
  return out;
}

/** Facts for reminders outside the plan's date range (queued long ago); a per-row history lookup is fine for these few. */
export function loadReminderFactsById(db: Db, ids: number[]): ReminderFacts[] {
  if (!ids.length) return [];
  const category = categoryCache();
  const hist = db.prepare<[number, string, string], { d: string | null }>('SELECT MIN(service_date) d FROM history WHERE patient_id = ? AND code = ? AND service_date >= ?');
  return db
    .prepare<[string], FactRow>(`${FACT_SELECT} WHERE r.id IN (SELECT value FROM json_each(?))`)
    .raw()
    .all(JSON.stringify(ids))
    .map((r) => {
      if (!r[7]) r[7] = hist.get(r[1], r[3], r[6])?.d ?? null;
      return toFacts(r, new Map(), category);
    });
}

type ClientRow = [
  id: number,
  first: string | null,
  last: string | null,
  language: string | null,
  bits: number,
  until: string | null,
  a1: string | null,
  a2: string | null,
  city: string | null,
  region: string | null,
  postal: string | null,
];

const CL_ACTIVE = 1;
const CL_GONE = 2;
const CL_SUSPEND = 4;

/** A printable label, or null when the address is too incomplete to mail. */
function postalLabel(r: ClientRow): string | null {
  const street = (r[6] ?? '').trim();
  const city = (r[8] ?? '').trim();
  if (!street || !city) return null;
  const name = [r[1], r[2]].filter(Boolean).join(' ').trim();
  const last = [city + (r[9] ? `, ${r[9].trim()}` : ''), (r[10] ?? '').trim()].filter(Boolean).join(' ');
  return [name, street, (r[7] ?? '').trim(), last].filter(Boolean).join('\n');
}

/** Households by id with what planning needs (the postal label is built on first use: only postcards need it). */
export function loadClients(db: Db, ids: number[]): Map<number, ClientFacts> {
  const out = new Map<number, ClientFacts>();
  if (!ids.length) return out;
  const rows = db
    .prepare<[string], ClientRow>(
      `SELECT id, first_name, last_name, language, (active = 1) * ${CL_ACTIVE} + (gone = 1) * ${CL_GONE} + (suspend_reminders = 1) * ${CL_SUSPEND}, suspend_until,
              address1, address2, city, region, postal_code
         FROM clients WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .raw()
    .all(JSON.stringify(ids));
  for (const r of rows) {
    let label: string | null | undefined;
    out.set(r[0], {
      id: r[0],
      firstName: (r[1] ?? '').trim(),
      lastName: (r[2] ?? '').trim(),
      language: r[3],
      active: (r[4] & CL_ACTIVE) !== 0,
      gone: (r[4] & CL_GONE) !== 0,
      suspend: (r[4] & CL_SUSPEND) !== 0,
      suspendUntil: r[5],
      get address() {
        return label === undefined ? (label = postalLabel(r)) : label;
      },
    });
  }
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

/** One message that covered items, with its current status (one object per message, shared by its items). */
export interface Coverage {
  message: number;
  channel: string;
  status: string;
}

/** Statuses after which a message's status no longer changes (failed may be retried by staff). */
const SETTLED = new Set(['delivered', 'undelivered', 'cancelled', 'withdrawn', 'expired']);
const LIVE = new Set(['queued', 'waiting', 'sending', 'sent', 'delivered']);

// key = patient:code:due (ReminderFacts.itemKey), built by SQLite: one string per row instead of three.
export type ItemRow = [messageId: number, key: string, step: string, channel: string, plannedFor: string, clientId: number, reminderId: number, status: string];

/** What the outbox did so far with every reminder step planned for the run's due dates. */
export interface ItemLedger {
  /** Item key (`${patient}:${code}:${due}`) -> step -> the messages that covered it (any channel). */
  planned: Map<string, Map<string, Coverage[]>>;
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
/** The reminder_items rows a ledger is built from: those of the run's due dates, and older ones still in flight. */
export interface ItemRows {
  rows: ItemRow[];
  outside: ItemRow[];
}

export function readItemRows(db: Db, range: { from: string; to: string }): ItemRows {
  const cols = "message_id, patient_id || ':' || code || ':' || due_date, step, channel, planned_for, client_id, reminder_id, status";
  const rows = db.prepare<[string, string], ItemRow>(`SELECT ${cols} FROM reminder_items WHERE due_date BETWEEN ? AND ?`).raw().all(range.from, range.to);
  // Queued long ago for a due date outside today's range (the outbox was paused for weeks).
  const outside = db
    .prepare<[string, string], ItemRow>(`SELECT ${cols} FROM reminder_items WHERE status IN ('queued','waiting','sending','sent') AND (due_date < ? OR due_date > ?)`)
    .raw()
    .all(range.from, range.to);
  return { rows, outside };
}

export function loadItemLedger(db: Db, range: { from: string; to: string }, read: (range: { from: string; to: string }) => ItemRows = (r) => readItemRows(db, r)): ItemLedger {
  const queued = new Map(db.prepare<[], [number, string]>("SELECT id, status FROM messages WHERE status IN ('queued','waiting')").raw().all());
  const { rows, outside } = read(range);
  const ask = new Set<number>();
  for (const r of rows) if (!SETTLED.has(r[7]) && !queued.has(r[0])) ask.add(r[0]);
  for (const r of outside) if (!queued.has(r[0])) ask.add(r[0]);
  const asked = ask.size
    ? new Map(db.prepare<[string], [number, string]>('SELECT id, status FROM messages WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify([...ask])))
    : new Map<number, string>();

  const planned = new Map<string, Map<string, Coverage[]>>();
  const open: [number, number][] = [];
  const changed = new Map<number, string>();
  const byMessage = new Map<number, Coverage>();
  const take = (r: ItemRow, inRange: boolean) => {
    let cov = byMessage.get(r[0]);
    if (!cov) {
      // A message deleted from the outbox no longer covers anything.
      const status = SETTLED.has(r[7]) ? r[7] : queued.get(r[0]) ?? asked.get(r[0]) ?? 'withdrawn';
      cov = { message: r[0], channel: r[3], status };
      byMessage.set(r[0], cov);
    }
    if (cov.status !== r[7]) changed.set(r[0], cov.status);
    if (cov.status === 'queued' || cov.status === 'waiting') open.push([r[0], r[6]]);
    if (!inRange) return;
    let bySteps = planned.get(r[1]);
    if (!bySteps) planned.set(r[1], (bySteps = new Map()));
    const list = bySteps.get(r[2]);
    if (list) list.push(cov);
    else bySteps.set(r[2], [cov]);
  };
  for (const r of rows) take(r, true);
  for (const r of outside) take(r, false);
  return {
    planned,
    open,
    changed,
    withdraw(ids) {
      for (const id of ids) {
        const c = byMessage.get(id);
        if (c) c.status = 'withdrawn';
      }
    },
    recentSince(since) {
      const out = new Map<number, string>();
      const scan = (list: ItemRow[]) => {
        for (const r of list) {
          const pf = r[4];
          if (pf <= since || !LIVE.has(byMessage.get(r[0])!.status)) continue;
          const cur = out.get(r[5]);
          if (!cur || pf > cur) out.set(r[5], pf);
        }
      };
      scan(rows);
      scan(outside);
      return out;
    },
  };
}
