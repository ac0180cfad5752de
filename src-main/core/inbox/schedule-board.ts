import { DateTime } from 'luxon';
import type { DeliveryState, ScheduleAppointment, ScheduleConfirmState, ScheduleDay } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import { loadReachability, type Reach, type Unreachable } from '../consent/reachability';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { pimsConfirmed } from '../reminders/categories';
import { ApiError } from '../shared/errors';
import { clientName } from './format';

interface Row {
  id: number;
  start_local: string;
  start_utc: string;
  duration_min: number | null;
  reason: string | null;
  doctor: string | null;
  status: string;
  client_id: number | null;
  first_name: string | null;
  last_name: string | null;
  pet_name: string | null;
  species: string | null;
  confirm_state: ScheduleConfirmState;
  confirm_at: string | null;
  arrived_at: string | null;
}

const BLOCKED: Record<Unreachable, string> = {
  'no-sms-number': 'No cell number on file',
  'sms-opted-out': 'Opted out of texts',
  'sms-number-bad': 'Cell number does not take texts',
  'no-email': 'No email',
  'email-opted-out': 'Opted out of email',
  'email-bounced': 'Email bounced',
  'email-invalid': 'Email invalid',
};

/** Clinic-local day -> [start, end) in UTC ISO, DST-safe (a day may have 23 or 25 hours). */
export function dayRangeUtc(date: string, tz: string): [string, string] {
  const start = DateTime.fromISO(date, { zone: tz }).startOf('day');
  if (!start.isValid) throw new ApiError('validation', 'Choose a date like 2026-12-08.');
  return [start.toUTC().toISO()!, start.plus({ days: 1 }).toUTC().toISO()!];
}

/**
 * The day's appointments with what the desk knows beyond the PIMS: confirmation answers,
 * arrivals, and the last one-click message with its delivery state.
 */
export function createScheduleBoard(db: Db, clock: Clock, consent: ConsentLedger, timeZone: () => string) {
  const day = db.prepare<[string, string], Row>(`
    SELECT a.id, a.start_local, a.start_utc, a.duration_min, a.reason, a.doctor, a.status, a.client_id, k.first_name, k.last_name,
      p.name pet_name, p.species, a.confirm_state, a.confirm_at, a.arrived_at
    FROM appointments a LEFT JOIN clients k ON k.id = a.client_id LEFT JOIN patients p ON p.id = a.patient_id
    WHERE a.start_utc >= ? AND a.start_utc < ? AND a.gone = 0
    ORDER BY a.start_utc, a.doctor, a.id`);
  const one = db.prepare<[number], Row>(`
    SELECT a.id, a.start_local, a.start_utc, a.duration_min, a.reason, a.doctor, a.status, a.client_id, k.first_name, k.last_name,
      p.name pet_name, p.species, a.confirm_state, a.confirm_at, a.arrived_at
    FROM appointments a LEFT JOIN clients k ON k.id = a.client_id LEFT JOIN patients p ON p.id = a.patient_id WHERE a.id = ?`);
  const convs = db.prepare<[string], { id: number; client_id: number; address: string }>(
    'SELECT id, client_id, address FROM conversations WHERE client_id IN (SELECT value FROM json_each(?))',
  );
  const lastMsgs = db.prepare<[string], { appointment_id: number; kind: string; status: DeliveryState; created_at: string }>(`
    SELECT appointment_id, json_extract(meta, '$.schedule') kind, status, created_at FROM messages
    WHERE appointment_id IN (SELECT value FROM json_each(?)) AND json_extract(meta, '$.schedule') IS NOT NULL
    ORDER BY created_at`);

  // The planner records a confirmation request only as an outbox message; the board derives
  // 'requested' (sent, no answer yet) and 'no-answer' (sent over a day ago) from it.
  const confirmSent = db.prepare<[string], { appointment_id: number; sent_at: string }>(`
    SELECT appointment_id, MIN(COALESCE(sent_at, updated_at)) sent_at FROM messages
    WHERE appointment_id IN (SELECT value FROM json_each(?)) AND kind = 'appointment' AND dedupe_key LIKE 'appointment:%:confirm:%'
      AND status IN ('sending','sent','delivered')
    GROUP BY appointment_id`);
  // Same rule as the appointment planner: an appointment the PIMS holds as confirmed is confirmed
  // (the planner asks no question about it), unless the owner has since answered at the desk or by text.
  const inPims = (r: Row) => r.confirm_state === 'none' && pimsConfirmed(r.status);
  const derivedState = (r: Row, sentAt: string | undefined): ScheduleConfirmState => {
    if (inPims(r)) return 'confirmed';
    if (r.confirm_state !== 'none' || !sentAt) return r.confirm_state;
    return clock.now().getTime() - Date.parse(sentAt) > 24 * 3600_000 ? 'no-answer' : 'requested';
  };

  const build = (rows: Row[]): ScheduleAppointment[] => {
    const asked = new Map(confirmSent.all(JSON.stringify(rows.map((r) => r.id))).map((m) => [m.appointment_id, m.sent_at]));
    const clientIds = [...new Set(rows.map((r) => r.client_id).filter((x): x is number => x !== null))];
    const reach: Map<number, Reach> = clientIds.length ? loadReachability(db, consent, clientIds) : new Map();
    const convBy = new Map<string, number>();
    for (const c of convs.all(JSON.stringify(clientIds))) convBy.set(`${c.client_id}:${c.address}`, c.id);
    const last = new Map<number, ScheduleAppointment['lastMessage']>();
    for (const m of lastMsgs.all(JSON.stringify(rows.map((r) => r.id)))) last.set(m.appointment_id, { kind: m.kind, status: m.status, at: m.created_at });
    return rows.map((r) => {
      const rc = r.client_id === null ? undefined : reach.get(r.client_id);
      const smsTo = rc?.sms ?? null;
      return {
        id: r.id,
        startLocal: r.start_local,
        startUtc: r.start_utc,
        durationMin: r.duration_min,
        reason: r.reason,
        doctor: r.doctor,
        pimsStatus: r.status,
        clientId: r.client_id,
        clientName: clientName(r.first_name, r.last_name),
        petName: r.pet_name,
        species: r.species,
        confirmState: derivedState(r, asked.get(r.id)),
        confirmedInPims: inPims(r),
        confirmAt: r.confirm_at,
        arrivedAt: r.arrived_at,
        smsTo,
        smsBlocked: smsTo ? null : r.client_id === null ? 'No client on this appointment' : BLOCKED[rc?.smsBlocked ?? 'no-sms-number'],
        conversationId: smsTo && r.client_id !== null ? (convBy.get(`${r.client_id}:${smsTo}`) ?? null) : null,
        lastMessage: last.get(r.id) ?? null,
      };
    });
  };

  return {
    day(date?: string): ScheduleDay {
      const tz = timeZone();
      const d = date ?? DateTime.fromJSDate(clock.now(), { zone: tz }).toISODate()!;
      const [from, to] = dayRangeUtc(d, tz);
      const appointments = build(day.all(from, to));
      const live = appointments.filter((a) => !/cancel/i.test(a.pimsStatus));
      return {
        date: d,
        timeZone: tz,
        appointments,
        counts: {
          total: live.length,
          confirmed: live.filter((a) => a.confirmState === 'confirmed').length,
          requested: live.filter((a) => a.confirmState === 'requested').length,
          reschedule: live.filter((a) => a.confirmState === 'reschedule').length,
          noAnswer: live.filter((a) => a.confirmState === 'no-answer').length,
          arrived: live.filter((a) => a.arrivedAt).length,
        },
      };
    },
    one(id: number): ScheduleAppointment {
      const r = one.get(id);
      if (!r) throw new ApiError('not-found', 'That appointment is not in the imported schedule any more.');
      return build([r])[0]!;
    },
  };
}
