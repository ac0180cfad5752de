/**
 * The keys `pawline settings set` understands, each mapped to a section of the settings and a
 * path inside the shape the UI saves, so the CLI validates through the very same schemas.
 */
import { WEEKDAYS } from '../../contract';

export type Section = 'clinic' | 'twilio' | 'smtp' | 'general';

export type KeyKind = 'text' | 'number' | 'boolean' | 'hours' | 'secret' | 'folder' | 'optional-text';

export interface KeyDef {
  key: string;
  section: Section;
  /** Path inside the section's document ('address.city', 'openingHours.mon'). */
  path: string;
  kind: KeyKind;
  hint: string;
}

const k = (key: string, kind: KeyKind, hint: string): KeyDef => {
  const [section, ...rest] = key.split('.');
  return { key, section: section as Section, path: rest.join('.'), kind, hint };
};

export const SETTING_KEYS: readonly KeyDef[] = [
  k('clinic.name', 'text', 'Clinic name as owners know it'),
  k('clinic.timeZone', 'text', 'IANA time zone, e.g. America/Los_Angeles'),
  k('clinic.phone', 'text', 'Booking phone, e.g. "(206) 555-0100"'),
  k('clinic.email', 'text', 'Clinic email'),
  k('clinic.website', 'optional-text', 'Website (optional)'),
  k('clinic.helpText', 'optional-text', 'Reply to HELP (optional)'),
  k('clinic.address.line1', 'text', 'Street address'),
  k('clinic.address.line2', 'optional-text', 'Suite / unit (optional)'),
  k('clinic.address.city', 'text', 'City'),
  k('clinic.address.region', 'text', 'State or province, e.g. WA'),
  k('clinic.address.postalCode', 'text', 'ZIP or postal code'),
  k('clinic.address.country', 'text', 'US or CA'),
  k('clinic.quietHours.start', 'text', 'Send window start, HH:MM (not before 08:00)'),
  k('clinic.quietHours.end', 'text', 'Send window end, HH:MM (not after 21:00)'),
  ...WEEKDAYS.map((d) => k(`clinic.openingHours.${d}`, 'hours', "'08:00-18:00' or 'closed'")),
  k('twilio.accountSid', 'text', 'Account SID, AC + 32 hex digits'),
  k('twilio.authMode', 'text', "'token' (auth token) or 'apiKey' (API key SID + secret)"),
  k('twilio.authToken', 'secret', 'Auth token (secret: --stdin or --from-env VAR)'),
  k('twilio.apiKeySid', 'text', 'API key SID, SK + 32 hex digits'),
  k('twilio.apiKeySecret', 'secret', 'API key secret (secret: --stdin or --from-env VAR)'),
  k('twilio.fromNumber', 'text', 'Clinic texting number in E.164, e.g. +12065550100'),
  k('twilio.messagingServiceSid', 'text', 'Messaging Service SID (MG...), instead of a number'),
  k('twilio.senderType', 'text', 'long-code | 10dlc-low | 10dlc-standard | toll-free | short-code | custom'),
  k('twilio.customRate', 'number', 'Segments per second when senderType is custom'),
  k('twilio.pricePerSegment', 'number', 'USD per segment, for cost estimates'),
  k('twilio.baseUrl', 'text', "API base URL; '' = https://api.twilio.com"),
  k('smtp.host', 'text', 'Mail server host name'),
  k('smtp.port', 'number', 'Port, e.g. 587 (STARTTLS) or 465 (TLS)'),
  k('smtp.security', 'text', 'starttls | tls | none'),
  k('smtp.user', 'text', 'User name'),
  k('smtp.password', 'secret', 'Password (secret: --stdin or --from-env VAR)'),
  k('smtp.fromName', 'text', 'Name owners see'),
  k('smtp.fromAddress', 'text', 'Address mail is sent from'),
  k('smtp.replyTo', 'text', "Reply-to address ('' = none)"),
  k('general.exportFolder', 'folder', "Folder the PIMS exports to ('' or none = not watched)"),
  k('general.planTime', 'text', 'Clinic-local time the daily plan runs, HH:MM'),
  k('general.setupComplete', 'boolean', 'true when the first-run setup is done'),
];

export function findKey(key: string): KeyDef | undefined {
  return SETTING_KEYS.find((d) => d.key === key);
}

/** Secret name in the secrets table for a secret key. */
export function secretName(def: KeyDef): string {
  return `${def.section}.${def.path}`;
}

/**
 * Turns the typed text into the value the schema expects. Shape problems the schema cannot
 * see (a number that is not one, malformed hours) are reported here with the same wording style.
 */
export function parseValue(def: KeyDef, text: string): { value: unknown } | { error: string } {
  switch (def.kind) {
    case 'number': {
      const n = Number(text.trim());
      return text.trim() === '' || !Number.isFinite(n) ? { error: 'Enter a number' } : { value: n };
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(t)) return { value: true };
      if (['false', 'no', '0', 'off'].includes(t)) return { value: false };
      return { error: 'Enter true or false' };
    }
    case 'hours': {
      const t = text.trim().toLowerCase();
      if (t === 'closed' || t === '') return { value: null };
      const m = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(t);
      if (!m) return { error: "Write opening hours like 08:00-18:00, or 'closed'" };
      const pad = (s: string) => s.padStart(5, '0');
      return { value: { open: pad(m[1]!), close: pad(m[2]!) } };
    }
    case 'folder': {
      const t = text.trim();
      return { value: t === '' || t.toLowerCase() === 'none' ? null : t };
    }
    default:
      return { value: text };
  }
}

/** Deep-sets a dotted path on a plain object, copying along the way. */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const o = (obj && typeof obj === 'object' ? obj : {}) as Record<string, unknown>;
  return { ...o, [head!]: rest.length ? setPath(o[head!], rest.join('.'), value) : value } as T;
}

export function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o == null || typeof o !== 'object' ? undefined : (o as Record<string, unknown>)[key]), obj);
}
