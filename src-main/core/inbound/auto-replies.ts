import type { ClinicProfile } from '../../contract';
import { formatLocal } from '../schedule/send-window';

/**
 * Texts the desk sends by itself in answer to a keyword or a confirmation. Each names the clinic
 * (carriers expect the sender to be identified) and stays in GSM-7 so it costs one or two segments.
 */
export type ClinicInfo = Pick<ClinicProfile, 'name' | 'phone' | 'timeZone'> & { helpText?: string };

export function clinicLabel(c: ClinicInfo | null): string {
  return c?.name?.trim() || 'Your veterinary clinic';
}

/**
 * HELP/INFO: who we are, how to reach a person, how to stop, and the rates notice (CTIA).
 * A clinic's own help text is used as written, with whatever of those it leaves out appended.
 */
export function helpReply(c: ClinicInfo | null): string {
  const name = clinicLabel(c);
  const custom = c?.helpText?.trim();
  if (custom) {
    let text = custom;
    if (!text.toLowerCase().includes(name.toLowerCase())) text = `${name}: ${text}`;
    if (c?.phone && !text.replace(/\D/g, '').includes(c.phone.replace(/\D/g, ''))) text += ` Call ${c.phone}.`;
    if (!/\bstop\b/i.test(text)) text += ' Reply STOP to opt out.';
    if (!/rates may apply/i.test(text)) text += ' Msg & data rates may apply.';
    return text;
  }
  const call = c?.phone ? ` For help call us at ${c.phone}.` : '';
  return `${name}: appointment and health reminders for your pets.${call} Reply STOP to opt out. Msg & data rates may apply.`;
}

export interface AppointmentRef {
  petName: string | null;
  startUtc: string;
}

function what(a: AppointmentRef): string {
  return a.petName ? `${a.petName}'s appointment` : 'your appointment';
}

function when(a: AppointmentRef, tz: string): string {
  return formatLocal(a.startUtc, tz);
}

export function confirmReply(c: ClinicInfo | null, tz: string, a: AppointmentRef, othersPending: number): string {
  const more = othersPending > 0 ? ` You have ${othersPending} more appointment${othersPending === 1 ? '' : 's'} to confirm; reply C again for the next one.` : '';
  return `${clinicLabel(c)}: Thank you! ${capital(what(a))} on ${when(a, tz)} is confirmed.${more}`;
}

export function rescheduleReply(c: ClinicInfo | null, tz: string, a: AppointmentRef): string {
  const call = c?.phone ? ` or call us at ${c.phone}` : '';
  return `${clinicLabel(c)}: Thanks for letting us know. We will contact you to find a new time for ${what(a)} on ${when(a, tz)}${call}.`;
}

export function arrivedReply(c: ClinicInfo | null): string {
  return `${clinicLabel(c)}: Thanks, we know you are here. Please stay in your car; we will text you when it is time to come in.`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
