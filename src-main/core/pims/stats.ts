/**
 * Counts over the imported data, named like EXPECTED.json's "counts" so that any export can be
 * checked against ground truth (`pawline stats --json`). Rows marked gone are not counted.
 * Day arithmetic is in whole calendar days from `asOf` (clinic-local today by default).
 */
import { DateTime } from 'luxon';
import type { Db } from '../db/open';

export interface StatsOptions {
  /** 'YYYY-MM-DD' */
  asOf: string;
  /** Restrict to one import source; all sources by default. */
  source?: string;
}

type Counts = Record<string, unknown>;

const addDays = (d: string, n: number) => DateTime.fromISO(d, { zone: 'utc' }).plus({ days: n }).toISODate()!;

// Windows-1252's printable repertoire above ASCII (the C1 range maps to these).
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function outsideCp1252(s: string | null): boolean {
  if (!s) return false;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) continue;
    if (!CP1252_EXTRA.has(ch)) return true;
  }
  return false;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

const PHONE_TYPE_LABEL: Record<string, string> = { cell: 'Cell', home: 'Home', work: 'Work', other: 'Other' };

export function computeStats(db: Db, o: StatsOptions): Counts {
  const D = o.asOf;
  const D30 = addDays(D, 30);
  const D60 = addDays(D, -60);
  const src = o.source ?? null;
  // Every query binds the source filter as @src; NULL means all sources.
  const one = (sql: string, params: Record<string, unknown> = {}): number =>
    (db.prepare(sql).get({ src, D, D30, D60, ...params }) as { n: number } | undefined)?.n ?? 0;
  const groups = (sql: string, map: (k: string) => string = (k) => k): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of db.prepare(sql).all({ src, D, D30, D60 }) as { k: string | number | null; n: number }[]) {
      if (r.k === null) continue;
      out[map(String(r.k))] = r.n;
    }
    return out;
  };

  const C = `clients c WHERE c.gone = 0 AND (@src IS NULL OR c.source = @src)`;
  const P = `patients p WHERE p.gone = 0 AND (@src IS NULL OR p.source = @src)`;
  const RP = `reminders r JOIN patients p ON p.id = r.patient_id JOIN clients c ON c.id = p.client_id
              WHERE r.gone = 0 AND (@src IS NULL OR r.source = @src)`;
  const A = `appointments a LEFT JOIN patients p ON p.id = a.patient_id WHERE a.gone = 0 AND (@src IS NULL OR a.source = @src)`;
  const FUTURE = `a.status IN ('Scheduled', 'Confirmed')`;
  const CELLS = `SELECT cp.nanp_key, cp.client_id FROM contact_points cp JOIN clients c ON c.id = cp.client_id
                 WHERE cp.kind = 'phone' AND cp.phone_type = 'cell' AND cp.nanp_key IS NOT NULL AND c.gone = 0 AND (@src IS NULL OR c.source = @src)`;

  const s: Counts = {};
  s.clients = one(`SELECT COUNT(*) n FROM ${C}`);
  s.clients_active = one(`SELECT COUNT(*) n FROM ${C} AND c.active = 1`);
  s.clients_inactive = one(`SELECT COUNT(*) n FROM ${C} AND c.active = 0`);
  s.clients_by_type = groups(`SELECT c.client_type k, COUNT(*) n FROM ${C} GROUP BY 1 ORDER BY 2 DESC`);
  s.clients_by_language = groups(`SELECT c.language k, COUNT(*) n FROM ${C} GROUP BY 1 ORDER BY 2 DESC`);
  s.clients_bc_canada = one(`SELECT COUNT(*) n FROM ${C} AND c.region = 'BC'`);
  s.clients_empty_zip = one(`SELECT COUNT(*) n FROM ${C} AND c.postal_code IS NULL`);
  s.clients_truncated_zip = one(`SELECT COUNT(*) n FROM ${C} AND length(c.postal_code) BETWEEN 1 AND 4 AND c.postal_code NOT GLOB '*[^0-9]*'`);
  s.household_size_distribution = groups(`SELECT k, COUNT(*) n FROM (SELECT COUNT(*) k FROM ${P} GROUP BY p.client_id) GROUP BY k ORDER BY k`);

  s.patients = one(`SELECT COUNT(*) n FROM ${P}`);
  s.patients_by_species = groups(`SELECT p.species k, COUNT(*) n FROM ${P} GROUP BY 1 ORDER BY 2 DESC`);
  s.patients_living = one(`SELECT COUNT(*) n FROM ${P} AND p.deceased = 0`);
  s.patients_deceased = one(`SELECT COUNT(*) n FROM ${P} AND p.deceased = 1`);
  s.patients_deceased_last_60_days = one(`SELECT COUNT(*) n FROM ${P} AND p.deceased = 1 AND p.dod >= @D60 AND p.dod <= @D`);
  s.patients_deceased_also_flagged_inactive = one(`SELECT COUNT(*) n FROM ${P} AND p.deceased = 1 AND p.active = 0`);
  s.patients_living_inactive = one(`SELECT COUNT(*) n FROM ${P} AND p.deceased = 0 AND p.active = 0`);
  s.patients_living_suspend_reminders = one(`SELECT COUNT(*) n FROM ${P} AND p.deceased = 0 AND p.suspend_reminders = 1`);
  s.patients_with_microchip = one(`SELECT COUNT(*) n FROM ${P} AND p.microchip IS NOT NULL`);

  s.reminders = one(`SELECT COUNT(*) n FROM ${RP}`);
  s.reminders_by_code = groups(`SELECT r.code k, COUNT(*) n FROM ${RP} GROUP BY 1 ORDER BY 2 DESC`);
  s.reminders_for_deceased_patients = one(`SELECT COUNT(*) n FROM ${RP} AND p.deceased = 1`);
  s.reminders_for_deceased_patients_due_next_30_days = one(`SELECT COUNT(*) n FROM ${RP} AND p.deceased = 1 AND r.due_date BETWEEN @D AND @D30`);
  s.reminders_for_living_inactive_patients = one(`SELECT COUNT(*) n FROM ${RP} AND p.deceased = 0 AND p.active = 0`);
  s.reminders_for_suspended_patients = one(`SELECT COUNT(*) n FROM ${RP} AND p.suspend_reminders = 1`);
  s.reminders_of_inactive_clients = one(`SELECT COUNT(*) n FROM ${RP} AND c.active = 0`);
  s.reminders_overdue = one(`SELECT COUNT(*) n FROM ${RP} AND r.due_date < @D`);
  const overdueLiving = one(`SELECT COUNT(*) n FROM ${RP} AND r.due_date < @D AND p.deceased = 0`);
  s.reminders_overdue_living = overdueLiving;
  s.reminders_satisfied_by_history = one(`SELECT COUNT(*) n FROM ${RP} AND r.satisfied_on IS NOT NULL`);
  const satisfiedOverdueLiving = one(`SELECT COUNT(*) n FROM ${RP} AND r.due_date < @D AND p.deceased = 0 AND r.satisfied_on IS NOT NULL`);
  s.reminders_satisfied_share_of_overdue_living = overdueLiving ? round4(satisfiedOverdueLiving / overdueLiving) : 0;
  s.reminders_without_date_given = one(`SELECT COUNT(*) n FROM ${RP} AND r.date_given IS NULL`);
  s.reminders_due_next_30_days_any = one(`SELECT COUNT(*) n FROM ${RP} AND r.due_date BETWEEN @D AND @D30`);
  // Open, for a living pet that is active and not suspended, of an active client: what may be sent.
  s.reminders_due_next_30_days_open_living_active = one(
    `SELECT COUNT(*) n FROM ${RP} AND r.due_date BETWEEN @D AND @D30 AND r.satisfied_on IS NULL AND p.deceased = 0 AND p.active = 1 AND p.suspend_reminders = 0 AND c.active = 1`,
  );
  s.history_rows = one(`SELECT COUNT(*) n FROM history h WHERE (@src IS NULL OR h.source = @src)`);

  s.appointments = one(`SELECT COUNT(*) n FROM ${A}`);
  s.appointments_by_status = groups(`SELECT a.status k, COUNT(*) n FROM ${A} GROUP BY 1 ORDER BY 2 DESC`);
  s.appointments_by_reason = groups(`SELECT a.reason k, COUNT(*) n FROM ${A} GROUP BY 1 ORDER BY 2 DESC`);
  s.appointments_by_doctor = groups(`SELECT a.doctor k, COUNT(*) n FROM ${A} GROUP BY 1 ORDER BY 1`);
  s.appointments_for_deceased_patients = one(`SELECT COUNT(*) n FROM ${A} AND p.deceased = 1`);
  s.appointments_for_deceased_patients_by_status = groups(`SELECT a.status k, COUNT(*) n FROM ${A} AND p.deceased = 1 GROUP BY 1`);
  const future = one(`SELECT COUNT(*) n FROM ${A} AND ${FUTURE}`);
  s.future_appointments = future;
  // appointment_covers_reminder: same living patient, open reminder of a category the visit covers, due by visit date + 30.
  const covering = one(
    `SELECT COUNT(*) n FROM ${A} AND ${FUTURE} AND p.deceased = 0 AND EXISTS (
       SELECT 1 FROM reminders r WHERE r.patient_id = a.patient_id AND r.gone = 0 AND r.satisfied_on IS NULL
          AND r.due_date <= date(substr(a.start_local, 1, 10), '+30 days')
          AND ((a.category = 'vaccines' AND r.category = 'vaccines') OR (a.category = 'exam' AND r.category IN ('exam', 'heartworm')) OR (a.category = 'dental' AND r.category = 'dental')))`,
  );
  s.future_appointments_covering_open_reminder = covering;
  s.future_appointments_covering_share = future ? round4(covering / future) : 0;
  s.clients_with_future_appointment = one(`SELECT COUNT(DISTINCT a.client_id) n FROM ${A} AND ${FUTURE}`);

  s.clients_without_sms_capable_number = one(`SELECT COUNT(*) n FROM ${C} AND NOT EXISTS (SELECT 1 FROM contact_points cp WHERE cp.client_id = c.id AND cp.sms_capable = 1)`);
  s.clients_sms_opt_out = one(`SELECT COUNT(*) n FROM ${C} AND c.pims_no_sms = 1`);
  s.clients_email_opt_out = one(`SELECT COUNT(*) n FROM ${C} AND c.pims_no_email = 1`);
  s.clients_without_email = one(`SELECT COUNT(*) n FROM ${C} AND NOT EXISTS (SELECT 1 FROM contact_points cp WHERE cp.client_id = c.id AND cp.kind = 'email')`);
  s.clients_with_malformed_email = one(`SELECT COUNT(*) n FROM ${C} AND EXISTS (SELECT 1 FROM contact_points cp WHERE cp.client_id = c.id AND cp.kind = 'email' AND cp.valid = 0)`);
  s.clients_sharing_cell_number = one(
    `WITH cells AS (${CELLS}), shared AS (SELECT nanp_key FROM cells GROUP BY nanp_key HAVING COUNT(DISTINCT client_id) > 1)
     SELECT COUNT(DISTINCT client_id) n FROM cells WHERE nanp_key IN (SELECT nanp_key FROM shared)`,
  );
  s.shared_cell_numbers = one(`WITH cells AS (${CELLS}) SELECT COUNT(*) n FROM (SELECT nanp_key FROM cells GROUP BY nanp_key HAVING COUNT(DISTINCT client_id) > 1)`);
  s.shared_cell_groups_by_size = groups(
    `WITH cells AS (${CELLS}) SELECT k, COUNT(*) n FROM (SELECT COUNT(DISTINCT client_id) k FROM cells GROUP BY nanp_key HAVING k > 1) GROUP BY k ORDER BY k`,
  );
  s.phone_numbers_shared_by_households_any_type = one(
    `SELECT COUNT(*) n FROM (SELECT cp.nanp_key FROM contact_points cp JOIN clients c ON c.id = cp.client_id
       WHERE cp.kind = 'phone' AND cp.nanp_key IS NOT NULL AND c.gone = 0 AND (@src IS NULL OR c.source = @src)
       GROUP BY cp.nanp_key HAVING COUNT(DISTINCT cp.client_id) > 1)`,
  );
  s.phones_by_type = groups(
    `SELECT cp.phone_type k, COUNT(*) n FROM contact_points cp JOIN clients c ON c.id = cp.client_id
      WHERE cp.kind = 'phone' AND c.gone = 0 AND (@src IS NULL OR c.source = @src) GROUP BY 1 ORDER BY 2 DESC`,
    (k) => PHONE_TYPE_LABEL[k] ?? k,
  );
  s.clients_by_phone_count = groups(
    `SELECT k, COUNT(*) n FROM (SELECT (SELECT COUNT(*) FROM contact_points cp WHERE cp.client_id = c.id AND cp.kind = 'phone') k FROM ${C}) WHERE k > 0 GROUP BY k ORDER BY k`,
  );

  let clientNames = 0;
  for (const r of db.prepare(`SELECT c.first_name f, c.last_name l, c.spouse_name s FROM ${C}`).iterate({ src }) as Iterable<{ f: string | null; l: string | null; s: string | null }>) {
    if (outsideCp1252(r.f) || outsideCp1252(r.l) || outsideCp1252(r.s)) clientNames++;
  }
  s.clients_with_name_chars_outside_cp1252 = clientNames;
  let petOutside = 0;
  let petNonAscii = 0;
  for (const r of db.prepare(`SELECT p.name n FROM ${P}`).iterate({ src }) as Iterable<{ n: string | null }>) {
    if (outsideCp1252(r.n)) petOutside++;
    if (r.n && /[^\x00-\x7f]/.test(r.n)) petNonAscii++;
  }
  s.patients_with_name_chars_outside_cp1252 = petOutside;
  s.patients_with_non_ascii_name = petNonAscii;

  // Figures of the layouts that carry only part of a clinic (EXPECTED.json "layouts").
  s.layout_checks = {
    distinct_customers: s.clients,
    rows_with_next_vaccine: s.reminders,
    customers_with_a_reminder_due_next_30_days: one(`SELECT COUNT(DISTINCT c.id) n FROM ${RP} AND r.due_date BETWEEN @D AND @D30`),
    clients_with_next_vaccine_due_next_30_days: one(`SELECT COUNT(DISTINCT c.id) n FROM ${RP} AND r.category = 'vaccines' AND r.due_date BETWEEN @D AND @D30`),
  };
  s.as_of = D;
  return s;
}
