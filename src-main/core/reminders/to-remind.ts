import type { ToRemindFigure } from '../../contract';
import type { Db } from '../db/open';
import { addDays } from '../schedule/local-time';
import { appointmentState } from './categories';
import { loadRecentHistory, satisfiedOn, type RecentHistory, type ReminderFacts } from './load';

export const TO_REMIND_DEFINITION =
  'Households (clients) with flgInactive = False that have at least one patient that is living, not flgInactive and not SuspendReminders with at least one open reminder due in the next 30 days (D..D+30), AND no future appointment (Status Scheduled/Confirmed) for any of the household\'s patients.';

export interface ToRemindResult extends ToRemindFigure {
  clientIds: Set<number>;
  /** client -> its qualifying reminders (id, due), for reconciling with the plan. */
  items: Map<number, { reminderId: number; due: string }[]>;
  clientsWithFutureAppointment: Set<number>;
}

/**
 * The to_remind figure exactly as the ground truth defines it, independent of the clinic's
 * rules: a yardstick for the plan, not the plan itself.
 */
export function computeToRemind(db: Db, asOf: string, history?: RecentHistory): ToRemindResult {
  // "Open" = no history row for the service on/after its due date; due >= asOf, so history since asOf decides.
  const hist = history ?? loadRecentHistory(db, asOf);
  const rows = db
    .prepare<[string, string], [number, number, string, number, string]>(
      `SELECT p.client_id, r.id, r.due_date, r.patient_id, r.code
       FROM reminders r JOIN patients p ON p.id = r.patient_id JOIN clients c ON c.id = p.client_id
       WHERE r.gone = 0 AND p.gone = 0 AND c.gone = 0 AND c.active = 1
         AND p.deceased = 0 AND p.dod IS NULL AND p.active = 1 AND p.suspend_reminders = 0
         AND r.due_date BETWEEN ? AND ? AND r.satisfied_on IS NULL`,
    )
    .raw()
    .all(asOf, addDays(asOf, 30))
    .filter(([, , due, pid, code]) => !satisfiedOn(null, hist, pid, code, due))
    .map(([cid, rid, due]) => ({ cid, rid, due }));
  return toRemindOf(db, rows);
}

/** The same figure from facts a plan run has already loaded (they must cover asOf..asOf+30). */
export function toRemindFromFacts(db: Db, facts: readonly ReminderFacts[], asOf: string): ToRemindResult {
  const end = addDays(asOf, 30);
  const rows: { cid: number; rid: number; due: string }[] = [];
  for (const f of facts) {
    if (f.due < asOf || f.due > end || f.clientId === null) continue;
    if (!f.hasClient || !f.clientActive || f.deceased || !f.petActive || f.petGone || f.petSuspend || f.reminderGone || f.satisfiedOn) continue;
    rows.push({ cid: f.clientId, rid: f.reminderId, due: f.due });
  }
  return toRemindOf(db, rows);
}

function toRemindOf(db: Db, rows: { cid: number; rid: number; due: string }[]): ToRemindResult {
  const future = new Set<number>();
  const appts = db
    .prepare<[], { status: string; pc: number | null; ac: number | null }>(
      'SELECT a.status, p.client_id pc, a.client_id ac FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id WHERE a.gone = 0',
    )
    .all();
  for (const a of appts) {
    if (appointmentState(a.status) !== 'upcoming') continue;
    if (a.pc !== null) future.add(a.pc);
    else if (a.ac !== null) future.add(a.ac);
  }

  const items = new Map<number, { reminderId: number; due: string }[]>();
  for (const r of rows) {
    if (future.has(r.cid)) continue;
    const list = items.get(r.cid) ?? [];
    list.push({ reminderId: r.rid, due: r.due });
    items.set(r.cid, list);
  }
  const clientIds = new Set(items.keys());

  let sms = 0;
  let emailOnly = 0;
  let none = 0;
  if (clientIds.size) {
    const reach = db
      .prepare<[string], { id: number; sms: number; email: number }>(
        `SELECT c.id,
           (c.pims_no_sms = 0 AND EXISTS (SELECT 1 FROM contact_points cp WHERE cp.client_id = c.id AND cp.kind = 'phone' AND (cp.sms_capable = 1 OR lower(cp.phone_type) IN ('cell','mobile')))) sms,
           (c.pims_no_email = 0 AND EXISTS (SELECT 1 FROM contact_points cp WHERE cp.client_id = c.id AND cp.kind = 'email' AND cp.valid = 1 AND cp.value IS NOT NULL)) email
         FROM clients c WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify([...clientIds]));
    for (const r of reach) {
      if (r.sms) sms++;
      else if (r.email) emailOnly++;
      else none++;
    }
  }
  return {
    value: clientIds.size,
    definition: TO_REMIND_DEFINITION,
    breakdown: { reachableBySms: sms, reachableByEmailOnly: emailOnly, notContactable: none },
    clientIds,
    items,
    clientsWithFutureAppointment: future,
  };
}
