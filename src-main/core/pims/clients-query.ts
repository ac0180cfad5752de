/** Reads for the Clients screen: search and one household's whole picture. */
import { DateTime } from 'luxon';
import type { AppointmentView, ClientDetail, ClientListItem, ContactPointView, PatientView, ReminderState, ReminderView } from '../../contract';
import type { Db } from '../db/open';
import { ApiError } from '../shared/errors';
import { foldForSearch, foldedColumn, registerSearchFold } from '../text/search-fold';

export function displayName(first: string | null, last: string | null, salutation?: string | null): string {
  const name = [first, last].filter(Boolean).join(' ');
  return name || (salutation ?? '') || '(no name)';
}

function displayPhone(e164: string | null, raw: string): string {
  if (e164 && /^\+1\d{10}$/.test(e164)) return `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
  return e164 ?? raw;
}

/** LIKE pattern with the user's % and _ taken literally. */
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

export function searchClients(db: Db, arg: { query?: string; offset?: number; limit?: number; includeInactive?: boolean }): { total: number; items: ClientListItem[] } {
  const q = (arg.query ?? '').trim().normalize('NFC');
  const limit = Math.max(1, Math.min(500, arg.limit ?? 100));
  const offset = Math.max(0, arg.offset ?? 0);
  const where: string[] = ['c.gone = 0'];
  const params: Record<string, unknown> = {};
  if (!arg.includeInactive) where.push('c.active = 1');
  if (q) {
    const digits = q.replace(/\D/g, '');
    const parts: string[] = [];
    // Names: every word must appear in the first or last name (in any order).
    // Accent- and case-blind: "Cote" finds Côté, "Chloé" finds Chloe.
    registerSearchFold(db);
    const words = q.split(/[\s,]+/).filter(Boolean).slice(0, 4);
    words.forEach((w, i) => {
      params[`w${i}`] = like(foldForSearch(w));
    });
    const [first, last, spouse, pet] = ['c.first_name', 'c.last_name', 'c.spouse_name', 'p.name'].map(foldedColumn);
    if (words.length) parts.push('(' + words.map((_, i) => `(${first} LIKE @w${i} ESCAPE '\\' OR ${last} LIKE @w${i} ESCAPE '\\' OR ${spouse} LIKE @w${i} ESCAPE '\\')`).join(' AND ') + ')');
    params.q = like(q);
    params.qf = like(foldForSearch(q));
    parts.push(`EXISTS (SELECT 1 FROM patients p WHERE p.client_id = c.id AND p.gone = 0 AND ${pet} LIKE @qf ESCAPE '\\')`);
    if (q.includes('@') || /^[^\s]+\.[a-z]{2,}$/i.test(q)) parts.push(`EXISTS (SELECT 1 FROM contact_points e WHERE e.client_id = c.id AND e.kind = 'email' AND e.raw LIKE @q ESCAPE '\\')`);
    if (digits.length >= 4) {
      params.d = `%${digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits}%`;
      parts.push(`EXISTS (SELECT 1 FROM contact_points t WHERE t.client_id = c.id AND t.kind = 'phone' AND t.nanp_key LIKE @d)`);
    }
    if (/^\w+$/.test(q)) {
      params.id = q;
      parts.push('c.pims_id = @id');
    }
    where.push('(' + parts.join(' OR ') + ')');
  }
  const w = where.join(' AND ');
  const total = (db.prepare(`SELECT COUNT(*) n FROM clients c WHERE ${w}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT c.id, c.source, c.pims_id, c.first_name, c.last_name, c.salutation, c.city, c.active, c.gone, c.pims_no_sms, c.pims_no_email,
              (SELECT value FROM contact_points t WHERE t.client_id = c.id AND t.kind = 'phone' AND t.value IS NOT NULL ORDER BY t.sms_capable DESC, t.position LIMIT 1) phone,
              (SELECT value FROM contact_points e WHERE e.client_id = c.id AND e.kind = 'email' AND e.value IS NOT NULL ORDER BY e.position LIMIT 1) email,
              EXISTS (SELECT 1 FROM contact_points s WHERE s.client_id = c.id AND s.sms_capable = 1) sms,
              (SELECT group_concat(name, char(31)) FROM (SELECT p.name FROM patients p WHERE p.client_id = c.id AND p.gone = 0 ORDER BY p.deceased, p.name)) pets
         FROM clients c WHERE ${w}
        ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE, c.id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit, offset }) as {
    id: number;
    source: string;
    pims_id: string;
    first_name: string | null;
    last_name: string | null;
    salutation: string | null;
    city: string | null;
    active: number;
    gone: number;
    pims_no_sms: number;
    pims_no_email: number;
    phone: string | null;
    email: string | null;
    sms: number;
    pets: string | null;
  }[];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      source: r.source,
      pimsId: r.pims_id,
      name: displayName(r.first_name, r.last_name, r.salutation),
      city: r.city,
      active: r.active === 1,
      gone: r.gone === 1,
      phone: r.phone,
      email: r.email,
      pets: r.pets ? r.pets.split('\x1f') : [],
      smsCapable: r.sms === 1,
      noSms: r.pims_no_sms === 1,
      noEmail: r.pims_no_email === 1,
    })),
  };
}

export function reminderState(r: { satisfied_on: string | null; due_date: string; suspended: number }, pet: { deceased: number; active: number; suspend_reminders: number }, today: string): ReminderState {
  if (r.satisfied_on) return 'satisfied';
  if (pet.deceased || !pet.active) return 'not-sent';
  if (r.suspended || pet.suspend_reminders) return 'suspended';
  if (r.due_date < today) return 'overdue';
  const soon = DateTime.fromISO(today, { zone: 'utc' }).plus({ days: 30 }).toISODate()!;
  return r.due_date <= soon ? 'due-soon' : 'upcoming';
}

export function getClient(db: Db, id: number, today: string): ClientDetail {
  const c = db.prepare('SELECT * FROM clients WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  if (!c) throw new ApiError('not-found', 'This client is no longer in Pawline.');
  const cps = db.prepare('SELECT * FROM contact_points WHERE client_id = ? ORDER BY kind DESC, position').all(id) as {
    id: number;
    kind: 'phone' | 'email';
    position: number;
    raw: string;
    value: string | null;
    extension: string | null;
    phone_type: string | null;
    valid: number;
    sms_capable: number;
    nanp_key: string | null;
  }[];
  const sharedStmt = db.prepare(
    `SELECT DISTINCT c.id, c.first_name, c.last_name FROM contact_points cp JOIN clients c ON c.id = cp.client_id
      WHERE cp.nanp_key = ? AND cp.kind = 'phone' AND cp.client_id <> ? AND c.gone = 0 ORDER BY c.last_name LIMIT 10`,
  );
  const consentStmt = db.prepare<[string, string, string], { status: string; at: string; source: string }>(
    'SELECT status, at, source FROM consent_events WHERE address = ? AND channel = ? AND purpose = ? ORDER BY id DESC LIMIT 1',
  );
  const consentOf = (p: { kind: string; value: string | null }) => {
    if (!p.value) return { optedOut: false, marketing: null };
    const ch = p.kind === 'email' ? 'email' : 'sms';
    const m = consentStmt.get(p.value, ch, 'marketing');
    return { optedOut: consentStmt.get(p.value, ch, 'all')?.status === 'opt-out', marketing: m ? { optedIn: m.status === 'opt-in', at: m.at, source: m.source } : null };
  };
  const contactPoints: ContactPointView[] = cps.map((p) => ({
    ...consentOf(p),
    id: p.id,
    kind: p.kind,
    position: p.position,
    raw: p.raw,
    value: p.value,
    display: p.kind === 'phone' ? displayPhone(p.value, p.raw) : (p.value ?? p.raw),
    extension: p.extension,
    phoneType: p.phone_type,
    valid: p.valid === 1,
    smsCapable: p.sms_capable === 1,
    sharedWith:
      p.kind === 'phone' && p.nanp_key
        ? (sharedStmt.all(p.nanp_key, id) as { id: number; first_name: string | null; last_name: string | null }[]).map((s) => ({ clientId: s.id, name: displayName(s.first_name, s.last_name) }))
        : [],
  }));

  const pets = db.prepare('SELECT * FROM patients WHERE client_id = ? ORDER BY gone, deceased, name COLLATE NOCASE').all(id) as {
    id: number;
    pims_id: string;
    name: string | null;
    species: string | null;
    breed: string | null;
    sex: string | null;
    neutered: number | null;
    dob: string | null;
    dod: string | null;
    deceased: number;
    active: number;
    suspend_reminders: number;
    gone: number;
  }[];
  const remStmt = db.prepare('SELECT * FROM reminders WHERE patient_id = ? ORDER BY gone, due_date');
  const patients: PatientView[] = pets.map((p) => ({
    id: p.id,
    pimsId: p.pims_id,
    name: p.name,
    species: p.species,
    breed: p.breed,
    sex: p.sex,
    neutered: p.neutered === null ? null : p.neutered === 1,
    dob: p.dob,
    dod: p.dod,
    deceased: p.deceased === 1,
    active: p.active === 1,
    suspendReminders: p.suspend_reminders === 1,
    gone: p.gone === 1,
    reminders: (remStmt.all(p.id) as { id: number; code: string; description: string | null; category: string | null; date_given: string | null; due_date: string; satisfied_on: string | null; suspended: number; gone: number }[]).map(
      (r): ReminderView => ({
        id: r.id,
        code: r.code,
        description: r.description,
        category: r.category,
        dateGiven: r.date_given,
        dueDate: r.due_date,
        satisfiedOn: r.satisfied_on,
        suspended: r.suspended === 1,
        gone: r.gone === 1,
        state: reminderState(r, p, today),
      }),
    ),
  }));

  const appointments = (
    db
      .prepare(
        `SELECT a.*, p.name patient_name FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id
          WHERE a.client_id = ? OR a.patient_id IN (SELECT id FROM patients WHERE client_id = ?) ORDER BY a.start_utc DESC LIMIT 100`,
      )
      .all(id, id) as {
      id: number;
      pims_id: string;
      patient_id: number | null;
      patient_name: string | null;
      start_local: string;
      start_utc: string;
      duration_min: number | null;
      reason: string | null;
      category: string | null;
      doctor: string | null;
      status: string;
      confirm_state: string;
    }[]
  ).map(
    (a): AppointmentView => ({
      id: a.id,
      pimsId: a.pims_id,
      patientId: a.patient_id,
      patientName: a.patient_name,
      startLocal: a.start_local,
      startUtc: a.start_utc,
      durationMin: a.duration_min,
      reason: a.reason,
      category: a.category,
      doctor: a.doctor,
      status: a.status,
      confirmState: a.confirm_state,
    }),
  );

  const s = (k: string) => (c[k] as string | null) ?? null;
  return {
    id,
    source: s('source')!,
    pimsId: s('pims_id')!,
    name: displayName(s('first_name'), s('last_name'), s('salutation')),
    salutation: s('salutation'),
    firstName: s('first_name'),
    lastName: s('last_name'),
    spouseName: s('spouse_name'),
    address: [s('address1'), s('address2'), [s('city'), [s('region'), s('postal_code')].filter(Boolean).join(' ')].filter(Boolean).join(', ')].filter((x): x is string => !!x),
    clientType: s('client_type'),
    language: s('language') ?? 'en',
    active: c.active === 1,
    gone: c.gone === 1,
    suspendReminders: c.suspend_reminders === 1,
    noSms: c.pims_no_sms === 1,
    noEmail: c.pims_no_email === 1,
    contactPoints,
    patients,
    appointments,
    today,
  };
}
