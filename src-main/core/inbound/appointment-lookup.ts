import type { Db } from '../db/open';

export interface ApptRow {
  id: number;
  client_id: number | null;
  patient_id: number | null;
  start_local: string;
  start_utc: string;
  confirm_state: 'none' | 'requested' | 'confirmed' | 'reschedule' | 'no-answer';
  arrived_at: string | null;
  pet_name: string | null;
}

/** Appointments that still happen (the PIMS's own cancelled / no-show states excluded). */
export const LIVE_APPOINTMENT = `a.gone = 0 AND lower(a.status) NOT LIKE '%cancel%' AND lower(a.status) NOT LIKE '%no%show%' AND lower(a.status) NOT LIKE '%delet%'`;

/**
 * A confirmation is pending when the planner marked the appointment 'requested' (or 'no-answer'
 * after its deadline), or when a confirmation request went out for it and nobody answered yet
 * (planners that only write the message, not the state).
 */
const PENDING = `(a.confirm_state IN ('requested','no-answer') OR (a.confirm_state = 'none' AND EXISTS (
  SELECT 1 FROM messages m WHERE m.appointment_id = a.id AND m.kind = 'appointment'
    AND json_extract(m.meta, '$.kind') = 'confirm' AND m.status IN ('queued','waiting','sending','sent','delivered'))))`;

const SELECT = `SELECT a.id, a.client_id, a.patient_id, a.start_local, a.start_utc, a.confirm_state, a.arrived_at, p.name pet_name
  FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id`;

export interface AppointmentLookup {
  /** Upcoming appointments of the household awaiting an answer, soonest first. */
  pendingConfirmations(clientId: number, now: Date): ApptRow[];
  /** The household's next appointments within `days` (for "can't make it" without a request). */
  upcoming(clientId: number, now: Date, days: number): ApptRow[];
  /** The household's appointments on a clinic-local day ('YYYY-MM-DD'). */
  onDay(clientId: number, localDate: string): ApptRow[];
}

export function createAppointmentLookup(db: Db): AppointmentLookup {
  const pending = db.prepare<[number, string], ApptRow>(`${SELECT} WHERE a.client_id = ? AND a.start_utc > ? AND ${LIVE_APPOINTMENT} AND ${PENDING} ORDER BY a.start_utc, a.id`);
  const upcoming = db.prepare<[number, string, string], ApptRow>(
    `${SELECT} WHERE a.client_id = ? AND a.start_utc > ? AND a.start_utc <= ? AND ${LIVE_APPOINTMENT} ORDER BY a.start_utc, a.id`,
  );
  const onDay = db.prepare<[number, string, string], ApptRow>(
    `${SELECT} WHERE a.client_id = ? AND a.start_local >= ? AND a.start_local < ? AND ${LIVE_APPOINTMENT} ORDER BY a.start_local, a.id`,
  );
  return {
    pendingConfirmations: (clientId, now) => pending.all(clientId, now.toISOString()),
    upcoming: (clientId, now, days) => upcoming.all(clientId, now.toISOString(), new Date(now.getTime() + days * 86_400_000).toISOString()),
    onDay: (clientId, d) => onDay.all(clientId, d, d + 'T99'),
  };
}
