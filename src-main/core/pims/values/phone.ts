import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneType = 'cell' | 'home' | 'work' | 'other';

export interface ParsedPhone {
  /** The value as it came in, untouched, for the import record and problem reports. */
  raw: string;
  /** '+12065550113'; null when the number could not be understood. */
  e164: string | null;
  /** '(206) 555-0113'; null when invalid. */
  national: string | null;
  /** Digits after 'x', 'ext', 'ext.', '#'. A number with an extension is never texted. */
  extension?: string;
  valid: boolean;
  /** ISO 3166 country: 'US', 'CA', ... (null when unknown). */
  country: string | null;
  /** Calling code without '+': '1' for the whole NANP, US and Canada alike. */
  countryCode: string | null;
  /** Which rule accepted the number (see parsePhone). */
  source: 'libphonenumber' | 'nanp' | 'invalid';
}

export interface ParsePhoneOptions {
  defaultCountry?: CountryCode;
}

// 'x12', 'ext 12', 'ext. 12', 'extension 12', '#12', with or without a separating space or comma.
const EXTENSION = /^(.*?)[\s,;]*(?:extension|extn|ext|x|#)\.?\s*:?\s*(\d{1,7})\s*$/i;

/**
 * Canadian area codes, used only when libphonenumber does not know an area code (its metadata
 * lags new overlays) so the country is still right for the fallback below.
 */
const CANADIAN_NPAS = new Set(
  (
    '204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 450 468 474 ' +
    '506 514 519 548 579 581 584 587 600 604 613 622 633 639 644 647 655 672 677 683 688 705 709 742 753 778 ' +
    '780 782 807 819 825 867 873 879 902 905 942'
  ).split(' '),
);

const NANP_TEN = /^([2-9]\d\d)([2-9]\d\d)(\d{4})$/;

function splitExtension(text: string): { main: string; extension?: string } {
  const m = EXTENSION.exec(text);
  if (!m) return { main: text };
  return { main: m[1], extension: m[2] };
}

function nanpDigits(digits: string): string | null {
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return digits.length === 10 ? digits : null;
}

/**
 * Understands a phone number typed any which way into a PIMS.
 *
 * Two rules accept a number:
 * 1. libphonenumber-js says it is valid (any country; its country decides US vs CA, etc.);
 * 2. otherwise, any 10-digit NANP number (optionally with a leading 1) whose area code and exchange
 *    start with 2-9 and whose area code is not an N11 service code becomes +1XXXXXXXXXX.
 * Rule 2 exists because libphonenumber's metadata lags the real numbering plan: new overlay area
 * codes (679, 624, 436 appear in real exports) are called invalid though carriers route them, and
 * test/fictional 555-01XX numbers must survive too. Refusing them would silently drop a client's
 * only cell number; a truly dead number fails at send time with Twilio 21211 and is marked then.
 *
 * Returns null only when there is nothing phone-like (empty, placeholder text without digits).
 */
export function parsePhone(raw: string | null | undefined, opts: ParsePhoneOptions = {}): ParsedPhone | null {
  if (raw == null) return null;
  const text = raw.normalize('NFKC').trim();
  if (!/\d/.test(text)) return null;
  const defaultCountry = opts.defaultCountry ?? 'US';
  const { main, extension } = splitExtension(text);
  const base = { raw, ...(extension ? { extension } : {}) };
  const digits = main.replace(/\D/g, '');
  if (digits.length === 0) {
    return { ...base, e164: null, national: null, valid: false, country: null, countryCode: null, source: 'invalid' };
  }

  const parsed = safeParse(main, defaultCountry);
  if (parsed?.isValid()) {
    return {
      ...base,
      e164: parsed.number,
      national: parsed.formatNational(),
      valid: true,
      country: parsed.country ?? null,
      countryCode: parsed.countryCallingCode,
      source: 'libphonenumber',
    };
  }

  const international = main.trimStart().startsWith('+');
  const nanpContext = international ? digits.startsWith('1') : defaultCallsAsNanp(defaultCountry);
  const ten = nanpContext ? nanpDigits(digits) : null;
  const m = ten ? NANP_TEN.exec(ten) : null;
  if (ten && m && !/^[2-9]11$/.test(m[1])) {
    return {
      ...base,
      e164: `+1${ten}`,
      national: `(${m[1]}) ${m[2]}-${m[3]}`,
      valid: true,
      country: CANADIAN_NPAS.has(m[1]) ? 'CA' : (parsed?.country ?? 'US'),
      countryCode: '1',
      source: 'nanp',
    };
  }
  return { ...base, e164: null, national: null, valid: false, country: null, countryCode: null, source: 'invalid' };
}

function safeParse(text: string, country: CountryCode) {
  try {
    return parsePhoneNumberFromString(text, country);
  } catch {
    return undefined;
  }
}

function defaultCallsAsNanp(country: CountryCode): boolean {
  return country === 'US' || country === 'CA';
}

/**
 * EXPECTED.json's cell_number_identity: 10 NANP digits, leading country code 1 dropped, extension
 * ignored. This is the key for "several households share this number"; null when it is not 10 digits.
 */
export function nanpKey(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const { main } = splitExtension(raw.normalize('NFKC').trim());
  return nanpDigits(main.replace(/\D/g, ''));
}

/** A 5- or 6-digit number such as a pharmacy or carrier short code: never a household's phone. */
export function isShortCode(raw: string | null | undefined): boolean {
  if (raw == null) return false;
  return /^\d{5,6}$/.test(raw.normalize('NFKC').replace(/[\s-]/g, ''));
}

const TYPE_WORDS: Record<string, PhoneType> = {
  cell: 'cell',
  cellular: 'cell',
  'cell phone': 'cell',
  mobile: 'cell',
  'mobile phone': 'cell',
  c: 'cell',
  m: 'cell',
  home: 'home',
  'home phone': 'home',
  h: 'home',
  residence: 'home',
  work: 'work',
  'work phone': 'work',
  w: 'work',
  business: 'work',
  b: 'work',
  office: 'work',
};

/** Maps a PIMS phone-type label to ours; anything unknown is 'other' and is not texted. */
export function phoneTypeOf(raw: string | null | undefined): PhoneType {
  if (raw == null) return 'other';
  const key = raw.trim().toLowerCase().replace(/[._:]+/g, ' ').replace(/\s+/g, ' ').trim();
  // Own keys only: a type cell reading "constructor" is not a phone type.
  return Object.hasOwn(TYPE_WORDS, key) ? TYPE_WORDS[key] : 'other';
}
