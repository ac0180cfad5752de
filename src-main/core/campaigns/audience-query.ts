import type { AudienceFilter } from '../../contract';
import type { Db } from '../db/open';

/** Appointment states that mean nobody is coming: their owners are not "tomorrow's appointments". */
export const NOT_COMING = ['cancelled', 'canceled', 'no show', 'no-show', 'noshow', 'deleted', 'missed'];
const NOT_COMING_SQL = `(${NOT_COMING.map((s) => `'${s}'`).join(',')})`;

/*
 * Rows come back as arrays, not objects: a whole clinic is read a page at a time on every count,
 * preview and send, and building an object per row was a good part of that.
 */
export type CandidateRow = [id: number, firstName: string | null, lastName: string | null, language: string, active: number];

const lowerList = (xs: string[] | undefined) => (xs ?? []).map((x) => x.trim().toLowerCase()).filter(Boolean);
const postalKey = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/**
 * The SQL half of an audience: the clients (not gone) the database-side filters match, in id
 * order, one page at a time (keyset: id > after), so a 30,000-client audience never holds the
 * connection for long. Each filter is an `id IN (subquery)` that SQLite evaluates once per page
 * rather than once per client. Language and the has-SMS/has-email filters need the consent ledger
 * and are applied by the caller.
 */
export function candidateQuery(db: Db, f: AudienceFilter): (after: number, limit: number) => CandidateRow[] {
  const where: string[] = ['c.gone = 0', 'c.id > @after'];
  const args: Record<string, unknown> = {};
  let subqueries = false;

  if (f.appointment) {
    subqueries = true;
    where.push(`c.id IN (SELECT a.client_id FROM appointments a
      WHERE a.gone = 0 AND a.client_id IS NOT NULL AND substr(a.start_local, 1, 10) BETWEEN @apFrom AND @apTo
        AND lower(trim(a.status)) NOT IN ${NOT_COMING_SQL})`);
    args.apFrom = f.appointment.from;
    args.apTo = f.appointment.to;
  }
  const species = lowerList(f.species);
  if (species.length) {
    subqueries = true;
    where.push(`c.id IN (SELECT p.client_id FROM patients p
      WHERE p.gone = 0 AND p.deceased = 0 AND p.client_id IS NOT NULL AND lower(trim(p.species)) IN (SELECT value FROM json_each(@species)))`);
    args.species = JSON.stringify(species);
  }
  if (f.serviceDue) {
    subqueries = true;
    const extra: string[] = [];
    const codes = (f.serviceDue.codes ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean);
    const cats = lowerList(f.serviceDue.categories);
    if (codes.length) {
      extra.push('AND upper(r.code) IN (SELECT value FROM json_each(@dueCodes))');
      args.dueCodes = JSON.stringify(codes);
    }
    if (cats.length) {
      extra.push('AND lower(r.category) IN (SELECT value FROM json_each(@dueCats))');
      args.dueCats = JSON.stringify(cats);
    }
    // Open services only: not done (history), not suspended, for a living, active pet.
    where.push(`c.id IN (SELECT p.client_id FROM reminders r JOIN patients p ON p.id = r.patient_id
      WHERE r.due_date BETWEEN @dueFrom AND @dueTo AND r.gone = 0 AND r.suspended = 0 AND r.satisfied_on IS NULL
        AND p.gone = 0 AND p.deceased = 0 AND p.active = 1 AND p.client_id IS NOT NULL ${extra.join(' ')})`);
    args.dueFrom = f.serviceDue.from;
    args.dueTo = f.serviceDue.to;
  }
  if (f.lastVisit && (f.lastVisit.before || f.lastVisit.after)) {
    subqueries = true;
    const having: string[] = [];
    if (f.lastVisit.before) {
      having.push('MAX(h.service_date) < @visitBefore');
      args.visitBefore = f.lastVisit.before;
    }
    if (f.lastVisit.after) {
      having.push('MAX(h.service_date) > @visitAfter');
      args.visitAfter = f.lastVisit.after;
    }
    where.push(`c.id IN (SELECT p.client_id FROM history h JOIN patients p ON p.id = h.patient_id
      WHERE p.client_id IS NOT NULL GROUP BY p.client_id HAVING ${having.join(' AND ')})`);
  }
  const cities = lowerList(f.cities);
  if (cities.length) {
    where.push('lower(trim(c.city)) IN (SELECT value FROM json_each(@cities))');
    args.cities = JSON.stringify(cities);
  }
  const prefixes = (f.postalPrefixes ?? []).map(postalKey).filter(Boolean);
  if (prefixes.length) {
    where.push(`EXISTS (SELECT 1 FROM json_each(@postal) j WHERE substr(replace(upper(coalesce(c.postal_code, '')), ' ', ''), 1, length(j.value)) = j.value)`);
    args.postal = JSON.stringify(prefixes);
  }
  if (!subqueries) {
    const stmt = db
      .prepare<Record<string, unknown>, CandidateRow>(
        `SELECT c.id, c.first_name, c.last_name, c.language, c.active FROM clients c WHERE ${where.join(' AND ')} ORDER BY c.id LIMIT @limit`,
      )
      .raw();
    return (after, limit) => stmt.all({ ...args, after, limit });
  }
  // A filter on pets, services, visits or appointments is a subquery over a table of tens of
  // thousands of rows, which SQLite runs again for every page: the matching ids are found once,
  // and the pages read those clients by id.
  let ids: number[] | null = null;
  const matching = db.prepare<Record<string, unknown>, number>(`SELECT c.id FROM clients c WHERE ${where.join(' AND ')} ORDER BY c.id`).pluck();
  const byIds = db
    .prepare<[string], CandidateRow>('SELECT c.id, c.first_name, c.last_name, c.language, c.active FROM clients c WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id')
    .raw();
  return (after, limit) => {
    ids ??= matching.all({ ...args, after: 0 });
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    const page = ids.slice(lo, lo + limit);
    return page.length ? byIds.all(JSON.stringify(page)) : [];
  };
}

export type PetRow = [clientId: number, name: string | null, deceased: number];

/** Pets of a page of clients, in the PIMS's order. */
export function petLoader(db: Db): (clientIds: number[]) => PetRow[] {
  const stmt = db
    .prepare<[string], PetRow>('SELECT client_id, name, deceased FROM patients WHERE client_id IN (SELECT value FROM json_each(?)) AND gone = 0 ORDER BY client_id, id')
    .raw();
  return (ids) => stmt.all(JSON.stringify(ids));
}

export interface AppointmentRow {
  client_id: number;
  start_local: string;
  pet: string | null;
}

/** Each client's first appointment in the range, for the {{appointment.*}} merge fields. */
export function loadAppointments(db: Db, range: { from: string; to: string }): Map<number, AppointmentRow> {
  const rows = db
    .prepare<[string, string], AppointmentRow>(`
      SELECT a.client_id, a.start_local, p.name pet FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id
      WHERE a.gone = 0 AND a.client_id IS NOT NULL AND substr(a.start_local, 1, 10) BETWEEN ? AND ?
        AND lower(trim(a.status)) NOT IN ${NOT_COMING_SQL}
      ORDER BY a.client_id, a.start_local`)
    .all(range.from, range.to);
  const out = new Map<number, AppointmentRow>();
  for (const r of rows) if (!out.has(r.client_id)) out.set(r.client_id, r);
  return out;
}
