import { DateTime } from 'luxon';
import type { Db } from '../../src-main/core/db/open';

/**
 * Builds PIMS rows straight into the database (clients, phones and emails, pets, reminders,
 * history, appointments), as the importer would leave them. For tests of every domain that
 * reads PIMS data (reminders, inbox, campaigns, reports), without going through an export file.
 *
 *   const f = pimsFixture(core.db);
 *   const { clientId, pets } = f.household({ lastName: 'Reddy', cell: '+12065550113', pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-12-08' }] }] });
 */

export interface ClientInput {
  pimsId?: string;
  firstName?: string;
  lastName?: string;
  salutation?: string | null;
  language?: string;
  active?: boolean;
  suspendReminders?: boolean;
  suspendUntil?: string | null;
  /** PIMS "do not text" / "do not email". */
  noSms?: boolean;
  noEmail?: boolean;
  /** E.164; stored as a textable cell number. null = none. Default: a fresh +1206555xxxx number. */
  cell?: string | null;
  /** Landline numbers (not textable). */
  home?: string | null;
  /** null = none. Default: first.last@example.com. */
  email?: string | null;
  /** Email present but malformed (stored invalid). */
  badEmail?: string;
  /** null = no postal address. */
  address?: { line1: string; line2?: string; city: string; region: string; postalCode: string } | null;
}

export interface PetInput {
  pimsId?: string;
  name?: string;
  /** 'M' | 'F' | 'U'. */
  sex?: string;
  species?: string;
  deceased?: boolean;
  dod?: string | null;
  active?: boolean;
  suspendReminders?: boolean;
}

export interface ReminderInput {
  pimsId?: string;
  code: string;
  due: string;
  description?: string | null;
  category?: string | null;
  dateGiven?: string | null;
  satisfiedOn?: string | null;
  suspended?: boolean;
}

export interface AppointmentInput {
  pimsId?: string;
  clientId?: number | null;
  patientId: number | null;
  /** Clinic-local 'YYYY-MM-DDTHH:MM'. */
  start: string;
  status?: string;
  reason?: string | null;
  category?: string | null;
  doctor?: string | null;
  durationMin?: number;
  confirmState?: 'none' | 'requested' | 'confirmed' | 'reschedule' | 'no-answer';
}

export interface HouseholdInput extends ClientInput {
  pets: (PetInput & { reminders?: ReminderInput[] })[];
}

export interface PimsFixture {
  readonly source: string;
  readonly timeZone: string;
  client(c?: ClientInput): number;
  patient(clientId: number, p?: PetInput): number;
  reminder(patientId: number, r: ReminderInput): number;
  history(patientId: number, code: string, serviceDate: string, description?: string): void;
  appointment(a: AppointmentInput): number;
  /** Moves or changes an appointment as a re-import would (same id). */
  updateAppointment(id: number, patch: Partial<Pick<AppointmentInput, 'start' | 'status' | 'reason' | 'category' | 'confirmState'>>): void;
  updatePatient(id: number, patch: PetInput): void;
  updateClient(id: number, patch: Partial<Pick<ClientInput, 'active' | 'suspendReminders' | 'suspendUntil' | 'noSms' | 'noEmail' | 'language'>>): void;
  household(h: HouseholdInput): { clientId: number; pets: { id: number; name: string; reminders: number[] }[] };
}

const NAMES = ['Reddy', 'Moore', 'Nguyen', 'Garcia', 'Tremblay', 'Okafor', 'Larsen', 'Kowalski', 'Silva', 'Haddad'];

export function pimsFixture(db: Db, opts: { source?: string; timeZone?: string; now?: string } = {}): PimsFixture {
  const source = opts.source ?? 'fixture';
  const timeZone = opts.timeZone ?? 'America/Los_Angeles';
  const now = opts.now ?? '2026-01-01T00:00:00.000Z';
  let seq = 0;
  const next = () => ++seq;

  const insClient = db.prepare(`INSERT INTO clients (source, pims_id, salutation, first_name, last_name, address1, address2, city, region, postal_code, country, language, active,
      suspend_reminders, suspend_until, pims_no_sms, pims_no_email, row_hash, updated_at)
    VALUES (@source, @pims, @salutation, @first, @last, @a1, @a2, @city, @region, @postal, 'US', @language, @active, @susp, @until, @nosms, @noemail, 'fixture', @now)`);
  const insPoint = db.prepare(`INSERT INTO contact_points (client_id, kind, position, raw, value, extension, phone_type, valid, sms_capable, nanp_key)
    VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`);
  const insPatient = db.prepare(`INSERT INTO patients (source, pims_id, client_id, name, species, sex, dod, deceased, active, suspend_reminders, row_hash, updated_at)
    VALUES (@source, @pims, @client, @name, @species, @sex, @dod, @deceased, @active, @susp, 'fixture', @now)`);
  const insReminder = db.prepare(`INSERT INTO reminders (source, pims_id, patient_id, code, description, category, date_given, due_date, suspended, satisfied_on, row_hash, updated_at)
    VALUES (@source, @pims, @patient, @code, @description, @category, @given, @due, @susp, @sat, 'fixture', @now)`);
  const insHistory = db.prepare('INSERT INTO history (source, patient_id, code, description, service_date) VALUES (?, ?, ?, ?, ?)');
  const insAppt = db.prepare(`INSERT INTO appointments (source, pims_id, client_id, patient_id, start_local, start_utc, duration_min, reason, category, doctor, status, confirm_state, row_hash, updated_at)
    VALUES (@source, @pims, @client, @patient, @local, @utc, @dur, @reason, @category, @doctor, @status, @confirm, 'fixture', @now)`);
  const clientOfPatient = db.prepare<[number], { client_id: number | null }>('SELECT client_id FROM patients WHERE id = ?');

  const utcOf = (local: string) => DateTime.fromISO(local, { zone: timeZone }).toUTC().toISO({ suppressMilliseconds: true })!;
  const nanp = (e164: string) => e164.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');

  const f: PimsFixture = {
    source,
    timeZone,
    client(c = {}) {
      const n = next();
      const last = c.lastName ?? NAMES[n % NAMES.length];
      const first = c.firstName ?? `Owner${n}`;
      const addr = c.address === undefined ? { line1: `${100 + n} Main St`, city: 'Seattle', region: 'WA', postalCode: '98103' } : c.address;
      const id = Number(
        insClient.run({
          source,
          pims: c.pimsId ?? `C${n}`,
          salutation: c.salutation ?? null,
          first,
          last,
          a1: addr?.line1 ?? null,
          a2: addr && 'line2' in addr ? addr.line2 ?? null : null,
          city: addr?.city ?? null,
          region: addr?.region ?? null,
          postal: addr?.postalCode ?? null,
          language: c.language ?? 'en',
          active: c.active === false ? 0 : 1,
          susp: c.suspendReminders ? 1 : 0,
          until: c.suspendUntil ?? null,
          nosms: c.noSms ? 1 : 0,
          noemail: c.noEmail ? 1 : 0,
          now,
        }).lastInsertRowid,
      );
      let pos = 0;
      const cell = c.cell === undefined ? `+1206555${String(1000 + (n % 9000)).padStart(4, '0')}` : c.cell;
      if (cell) insPoint.run(id, 'phone', pos++, cell, cell, 'cell', 1, 1, nanp(cell));
      if (c.home) insPoint.run(id, 'phone', pos++, c.home, c.home, 'home', 1, 0, nanp(c.home));
      const email = c.email === undefined ? `${first}.${last}@example.com`.toLowerCase() : c.email;
      let epos = 0;
      if (email) insPoint.run(id, 'email', epos++, email, email, null, 1, 0, null);
      if (c.badEmail) insPoint.run(id, 'email', epos++, c.badEmail, null, null, 0, 0, null);
      return id;
    },
    patient(clientId, p = {}) {
      const n = next();
      return Number(
        insPatient.run({
          source,
          pims: p.pimsId ?? `P${n}`,
          client: clientId,
          name: p.name ?? `Pet${n}`,
          species: p.species ?? 'Dog',
          sex: p.sex ?? 'U',
          dod: p.dod ?? null,
          deceased: p.deceased ? 1 : 0,
          active: p.active === false ? 0 : 1,
          susp: p.suspendReminders ? 1 : 0,
          now,
        }).lastInsertRowid,
      );
    },
    reminder(patientId, r) {
      const n = next();
      return Number(
        insReminder.run({
          source,
          pims: r.pimsId ?? `R${n}`,
          patient: patientId,
          code: r.code,
          description: r.description ?? null,
          category: r.category ?? null,
          given: r.dateGiven ?? null,
          due: r.due,
          susp: r.suspended ? 1 : 0,
          sat: r.satisfiedOn ?? null,
          now,
        }).lastInsertRowid,
      );
    },
    history(patientId, code, serviceDate, description) {
      insHistory.run(source, patientId, code, description ?? null, serviceDate);
    },
    appointment(a) {
      const n = next();
      const client = a.clientId !== undefined ? a.clientId : a.patientId !== null ? clientOfPatient.get(a.patientId)?.client_id ?? null : null;
      return Number(
        insAppt.run({
          source,
          pims: a.pimsId ?? `A${n}`,
          client,
          patient: a.patientId,
          local: a.start,
          utc: utcOf(a.start),
          dur: a.durationMin ?? 15,
          reason: a.reason === undefined ? 'Vaccines' : a.reason,
          category: a.category ?? null,
          doctor: a.doctor ?? null,
          status: a.status ?? 'Scheduled',
          confirm: a.confirmState ?? 'none',
          now,
        }).lastInsertRowid,
      );
    },
    updateAppointment(id, patch) {
      if (patch.start !== undefined) db.prepare('UPDATE appointments SET start_local = ?, start_utc = ? WHERE id = ?').run(patch.start, utcOf(patch.start), id);
      if (patch.status !== undefined) db.prepare('UPDATE appointments SET status = ? WHERE id = ?').run(patch.status, id);
      if (patch.reason !== undefined) db.prepare('UPDATE appointments SET reason = ? WHERE id = ?').run(patch.reason, id);
      if (patch.category !== undefined) db.prepare('UPDATE appointments SET category = ? WHERE id = ?').run(patch.category, id);
      if (patch.confirmState !== undefined) db.prepare('UPDATE appointments SET confirm_state = ? WHERE id = ?').run(patch.confirmState, id);
    },
    updatePatient(id, patch) {
      if (patch.deceased !== undefined) db.prepare('UPDATE patients SET deceased = ? WHERE id = ?').run(patch.deceased ? 1 : 0, id);
      if (patch.dod !== undefined) db.prepare('UPDATE patients SET dod = ? WHERE id = ?').run(patch.dod, id);
      if (patch.active !== undefined) db.prepare('UPDATE patients SET active = ? WHERE id = ?').run(patch.active ? 1 : 0, id);
      if (patch.suspendReminders !== undefined) db.prepare('UPDATE patients SET suspend_reminders = ? WHERE id = ?').run(patch.suspendReminders ? 1 : 0, id);
      if (patch.name !== undefined) db.prepare('UPDATE patients SET name = ? WHERE id = ?').run(patch.name, id);
    },
    updateClient(id, patch) {
      if (patch.active !== undefined) db.prepare('UPDATE clients SET active = ? WHERE id = ?').run(patch.active ? 1 : 0, id);
      if (patch.suspendReminders !== undefined) db.prepare('UPDATE clients SET suspend_reminders = ? WHERE id = ?').run(patch.suspendReminders ? 1 : 0, id);
      if (patch.suspendUntil !== undefined) db.prepare('UPDATE clients SET suspend_until = ? WHERE id = ?').run(patch.suspendUntil, id);
      if (patch.noSms !== undefined) db.prepare('UPDATE clients SET pims_no_sms = ? WHERE id = ?').run(patch.noSms ? 1 : 0, id);
      if (patch.noEmail !== undefined) db.prepare('UPDATE clients SET pims_no_email = ? WHERE id = ?').run(patch.noEmail ? 1 : 0, id);
      if (patch.language !== undefined) db.prepare('UPDATE clients SET language = ? WHERE id = ?').run(patch.language, id);
    },
    household(h) {
      const { pets, ...client } = h;
      const clientId = f.client(client);
      return {
        clientId,
        pets: pets.map((p) => {
          const { reminders = [], ...pet } = p;
          const id = f.patient(clientId, pet);
          return { id, name: pet.name ?? '', reminders: reminders.map((r) => f.reminder(id, r)) };
        }),
      };
    },
  };
  return f;
}
