import type { ToRemindFigure } from '../../contract';
import type { Db } from '../db/open';
import { addDays } from '../schedule/local-time';
import { appointmentState } from './categories';

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
export function computeToRemind(db: Db, asOf: string): ToRemindResult {
  const rows = db
    .prepare<[string, string], { cid: number; rid: number; due: string }>(
      `SELECT p.client_id cid, r.id rid, r.due_date due
       FROM reminders r JOIN patients p ON p.id = r.patient_id JOIN clients c ON c.id = p.client_id
       WHERE r.gone = 0 AND p.gone = 0 AND c.gone = 0 AND c.active = 1
         AND p.deceased = 0 AND p.dod IS NULL AND p.active = 1 AND p.suspend_reminders = 0
         AND r.due_date BETWEEN ? AND ? AND r.satisfied_on IS NULL
         AND NOT EXISTS (SELECT 1 FROM history h WHERE h.patient_id = r.patient_id AND h.code = r.code AND h.service_date >= r.due_date)`,
    )
    .all(asOf, addDays(asOf, 30));

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
