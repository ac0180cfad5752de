import type { ReminderSuppressionReason } from '../../contract';
import type { Reach } from '../consent/reachability';
import { addDays } from '../schedule/local-time';
import { appointmentCovers, type ServiceCategory } from './categories';
import type { AppointmentFacts, ClientFacts, ReminderFacts } from './load';

export interface Suppression {
  reason: ReminderSuppressionReason;
  detail: string | null;
}

export interface Holds {
  clients: Map<number, string | null>;
  patients: Map<number, string | null>;
}

/** Upcoming appointments per patient, for "an appointment is already booked". */
export type UpcomingByPatient = Map<number, AppointmentFacts[]>;

export function upcomingByPatient(appts: AppointmentFacts[], fromDate: string): UpcomingByPatient {
  const out: UpcomingByPatient = new Map();
  for (const a of appts) {
    if (a.gone || a.state !== 'upcoming' || a.patientId === null || a.date < fromDate) continue;
    const list = out.get(a.patientId) ?? [];
    list.push(a);
    out.set(a.patientId, list);
  }
  return out;
}

/** The upcoming appointment that covers a service due on `due` (due no later than visit + coverDays). */
export function coveringAppointment(list: AppointmentFacts[] | undefined, category: ServiceCategory, due: string, coverDays: number): AppointmentFacts | null {
  if (!list) return null;
  for (const a of list) if (appointmentCovers(a.category, category) && due <= addDays(a.date, coverDays)) return a;
  return null;
}

/**
 * Why one due service must not be reminded, checked in the order a manager reads them:
 * the pet, the client, holds, the history, the schedule. Channel, consent and the frequency cap
 * are household questions, answered by the planner afterwards.
 */
export function itemSuppression(f: ReminderFacts, ctx: { asOf: string; holds: Holds; upcoming: UpcomingByPatient; coverDays: number }): Suppression | null {
  if (f.deceased) return { reason: 'patient-deceased', detail: null };
  if (!f.hasClient || !f.clientActive || f.clientId === null) return { reason: 'client-inactive', detail: null };
  if (!f.petActive || f.petGone) return { reason: 'patient-inactive', detail: null };
  if (f.clientSuspend && (!f.clientSuspendUntil || f.clientSuspendUntil >= ctx.asOf))
    return { reason: 'suspended', detail: f.clientSuspendUntil ? `client, until ${f.clientSuspendUntil}` : 'client' };
  if (ctx.holds.clients.has(f.clientId)) {
    const until = ctx.holds.clients.get(f.clientId);
    return { reason: 'suspended', detail: until ? `client hold, until ${until}` : 'client hold' };
  }
  if (f.petSuspend) return { reason: 'suspended', detail: 'pet' };
  if (ctx.holds.patients.has(f.patientId)) {
    const until = ctx.holds.patients.get(f.patientId);
    return { reason: 'suspended', detail: until ? `pet hold, until ${until}` : 'pet hold' };
  }
  if (f.reminderSuspended) return { reason: 'suspended', detail: 'this reminder' };
  if (f.satisfiedOn) return { reason: 'satisfied', detail: `done ${f.satisfiedOn}` };
  const a = coveringAppointment(ctx.upcoming.get(f.patientId), f.category, f.due, ctx.coverDays);
  if (a) return { reason: 'appointment-booked', detail: `${a.reason ?? 'appointment'} on ${a.date}` };
  return null;
}

export type PlanChannelName = 'sms' | 'email' | 'postcard';

/** Where a channel reaches this client, or why it does not. */
export function addressFor(ch: PlanChannelName, reach: Reach | undefined, client: ClientFacts | undefined): { to: string } | { blocked: string } {
  if (ch === 'postcard') return client?.address ? { to: client.address } : { blocked: 'no-postal-address' };
  if (ch === 'sms') return reach?.sms ? { to: reach.sms } : { blocked: reach?.smsBlocked ?? 'no-sms-number' };
  return reach?.email ? { to: reach.email } : { blocked: reach?.emailBlocked ?? 'no-email' };
}

export const isOptOut = (blocked: string) => /opted-out/.test(blocked);
