/**
 * The demo clinic's profile and credentials. Everything points at local stand-ins: the Twilio
 * simulator and the SMTP test server started beside the web host.
 */
import { DateTime, IANAZone } from 'luxon';
import type { ClinicProfile, SmtpSettingsInput, TwilioSettingsInput } from '../../contract';

/** The clinic's texting number in the simulator (fictional 555-01XX). */
export const DEMO_CLINIC_NUMBER = '+12065550100';

export function demoClinic(timeZone: string): ClinicProfile {
  const weekday = { open: '08:00', close: '18:00' };
  return {
    name: 'Larkspur Hollow Veterinary Clinic',
    address: { line1: '1200 Larkspur Way', city: 'Seattle', region: 'WA', postalCode: '98103', country: 'US' },
    phone: '(206) 555-0100',
    email: 'frontdesk@larkspur.example.com',
    website: 'https://larkspur.example.com',
    timeZone,
    // Open every day so the demo's appointments "today" fall on an open day whatever the weekday.
    openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: { open: '09:00', close: '17:00' }, sun: { open: '10:00', close: '16:00' } },
    quietHours: { start: '08:00', end: '21:00' },
  };
}

export function demoTwilio(sim: { url: string; accountSid: string; authToken: string }): TwilioSettingsInput {
  return {
    accountSid: sim.accountSid,
    authMode: 'token',
    authToken: sim.authToken,
    apiKeySid: '',
    fromNumber: DEMO_CLINIC_NUMBER,
    messagingServiceSid: '',
    // A custom rate lets the small demo batch drain in seconds rather than a minute.
    senderType: 'custom',
    customRate: 5,
    pricePerSegment: 0.0079,
    baseUrl: sim.url,
  };
}

export function demoSmtp(server: { host: string; port: number; user: string; pass: string }): SmtpSettingsInput {
  return {
    host: server.host,
    port: server.port,
    security: 'none',
    user: server.user,
    password: server.pass,
    fromName: 'Larkspur Hollow Veterinary Clinic',
    fromAddress: 'frontdesk@larkspur.example.com',
    replyTo: 'frontdesk@larkspur.example.com',
  };
}

/**
 * North American zones first (the demo clinic is in Seattle), then others around the globe.
 * The demo picks one where it is daytime now, so messages go out inside the send window at
 * whatever hour an evaluator starts it.
 */
const ZONES = [
  'America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York', 'America/Halifax', 'America/Anchorage', 'Pacific/Honolulu',
  'Atlantic/Azores', 'Europe/London', 'Europe/Berlin', 'Europe/Moscow', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Bangkok', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland',
];

/** A zone where local time is between 10:00 and 18:00 at `now`; the preferred one when it already is. */
export function daytimeZone(now: Date, preferred?: string): string {
  const ok = (z: string) => {
    if (!IANAZone.isValidZone(z)) return false;
    const h = DateTime.fromJSDate(now, { zone: z }).hour;
    return h >= 10 && h < 18;
  };
  if (preferred && ok(preferred)) return preferred;
  return ZONES.find(ok) ?? 'America/Los_Angeles';
}

/** The calendar day in a zone, 'YYYY-MM-DD'. */
export function localDay(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}
