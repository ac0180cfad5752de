/** Settings DTOs. Secrets never travel to the UI in clear text: views carry `{ set: boolean }`. */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** 'HH:MM' 24-hour clinic-local time. */
export type LocalTime = string;

export interface OpeningHours {
  open: LocalTime;
  close: LocalTime;
}

/** A typical small-animal clinic week; the starting point of every new clinic profile. */
export const DEFAULT_OPENING_HOURS: Record<Weekday, OpeningHours | null> = {
  mon: { open: '08:00', close: '18:00' },
  tue: { open: '08:00', close: '18:00' },
  wed: { open: '08:00', close: '18:00' },
  thu: { open: '08:00', close: '18:00' },
  fri: { open: '08:00', close: '18:00' },
  sat: { open: '09:00', close: '13:00' },
  sun: null,
};

/** DESIGN.md's default sending window, clinic-local. */
export const DEFAULT_QUIET_HOURS = { start: '09:00', end: '20:00' };

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  region: string;
  postalCode: string;
  country: 'US' | 'CA';
}

export interface ClinicProfile {
  name: string;
  address: PostalAddress;
  /** Booking phone as typed; shown in messages. */
  phone: string;
  email: string;
  website?: string;
  /** IANA zone, e.g. 'America/Los_Angeles'. */
  timeZone: string;
  /** null = closed that day. */
  openingHours: Record<Weekday, OpeningHours | null>;
  /** Sending window; always clamped inside 08:00–21:00 (TCPA). */
  quietHours: { start: LocalTime; end: LocalTime };
  /** Reply to HELP/INFO; defaults from name and phone when empty. */
  helpText?: string;
}

export type SenderType = 'long-code' | '10dlc-low' | '10dlc-standard' | 'toll-free' | 'short-code' | 'custom';

export interface TwilioSettingsView {
  accountSid: string;
  authMode: 'token' | 'apiKey';
  authToken: { set: boolean };
  apiKeySid: string;
  apiKeySecret: { set: boolean };
  fromNumber: string;
  messagingServiceSid: string;
  senderType: SenderType;
  /** Segments per second when senderType = 'custom'. */
  customRate: number;
  /** USD per SMS segment, used for cost estimates. */
  pricePerSegment: number;
  /** Empty = https://api.twilio.com. Points the real client at a compatible API (simulator, proxy). */
  baseUrl: string;
}

/** What the form sends. A secret left undefined keeps the stored one; '' clears it. */
export interface TwilioSettingsInput extends Omit<TwilioSettingsView, 'authToken' | 'apiKeySecret'> {
  authToken?: string;
  apiKeySecret?: string;
}

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export interface SmtpSettingsView {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  password: { set: boolean };
  fromName: string;
  fromAddress: string;
  replyTo: string;
}

export interface SmtpSettingsInput extends Omit<SmtpSettingsView, 'password'> {
  password?: string;
}

export interface SettingsView {
  clinic: ClinicProfile | null;
  twilio: TwilioSettingsView | null;
  smtp: SmtpSettingsView | null;
  /** Folder the PIMS writes its exports to; watched when set. */
  exportFolder: string | null;
  /** Clinic-local time the daily plan runs at. */
  planTime: LocalTime;
  setupComplete: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** Human sentence: what worked, or what is wrong and what to do. */
  message: string;
  /** e.g. 'auth', 'host-not-found', 'tls', 'timeout'. */
  problem?: string;
  detail?: string;
}

export interface SettingsApi {
  'settings.get': (arg: void) => SettingsView;
  'settings.saveClinic': (arg: ClinicProfile) => SettingsView;
  'settings.saveTwilio': (arg: TwilioSettingsInput) => SettingsView;
  'settings.saveSmtp': (arg: SmtpSettingsInput) => SettingsView;
  'settings.saveGeneral': (arg: { exportFolder?: string | null; planTime?: LocalTime; setupComplete?: boolean }) => SettingsView;
  /** Tests the given (unsaved) values, falling back to stored secrets. */
  'settings.testTwilio': (arg: TwilioSettingsInput) => ConnectionTestResult;
  'settings.testSmtp': (arg: SmtpSettingsInput) => ConnectionTestResult;
}

export interface SettingsEvents {
  'settings.changed': SettingsView;
}
