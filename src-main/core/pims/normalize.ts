/** Turning a layout's cleaned values into stored ones: contact points, regions, flags. */
import { nanpKey, parseEmail, parsePhone, phoneTypeOf } from './values';
import type { ClientRec, ContactPointRec, PhoneIn } from './model';

export interface PhoneResult {
  e164: string | null;
  extension: string | null;
  valid: boolean;
}

/*
 * Most numbers in an export are plain 10-digit North American ones in a handful of formats.
 * parsePhone accepts every such number whose area code and exchange start with 2-9 (outside
 * N11 codes) as +1 and the number's digits, whatever libphonenumber's metadata says, so for
 * them the result can be written down directly; libphonenumber costs ~40 µs a number, which
 * is most of an import's budget. Anything else (international, odd punctuation) goes through
 * parsePhone. tests/unit/pims/importer-normalize.test.ts checks the two agree.
 */
const PLAIN_NANP = /^\s*(?:\+?1[\s.-]?)?(?:\(\s*([2-9]\d\d)\s*\)|([2-9]\d\d))[\s.-]?([2-9]\d\d)[\s.-]?(\d{4})(?:[\s,;]*(?:extension|extn|ext|x|#)\.?\s*:?\s*(\d{1,7}))?\s*$/i;

export function parsePhoneFast(raw: string): PhoneResult | null {
  const m = PLAIN_NANP.exec(raw);
  if (m) {
    const npa = m[1] ?? m[2];
    if (!(npa[1] === '1' && npa[2] === '1')) return { e164: `+1${npa}${m[3]}${m[4]}`, extension: m[5] ?? null, valid: true };
  }
  const p = parsePhone(raw);
  if (!p) return null;
  return { e164: p.valid ? p.e164 : null, extension: p.extension ?? null, valid: p.valid };
}

const CONTROLS = /[\x00-\x1f\x7f]+/g;

/**
 * A client's phones and emails as stored contact points. Positions count from 1 per kind in the
 * order the PIMS lists them. The same number listed twice (OpenVPMS repeats the main number as the
 * SMS number) is stored once, as a cell if either entry says so. A number is SMS-capable only when
 * it is valid, typed cell/mobile, and carries no extension.
 */
export function contactPoints(rec: Pick<ClientRec, 'phones' | 'emails'>): ContactPointRec[] {
  const out: ContactPointRec[] = [];
  const byValue = new Map<string, ContactPointRec>();
  let pos = 0;
  for (const ph of rec.phones) {
    const raw = ph.raw.replace(CONTROLS, ' ').trim();
    if (raw === '') continue;
    const p = parsePhoneFast(raw);
    if (!p) continue; // no digits: a placeholder such as 'none'
    const type = phoneTypeOf(ph.type);
    const sms = p.valid && type === 'cell' && !p.extension;
    const dupKey = p.e164 ? `${p.e164}x${p.extension ?? ''}` : null;
    const prev = dupKey ? byValue.get(dupKey) : undefined;
    if (prev) {
      if (type === 'cell' && prev.phoneType !== 'cell') {
        prev.phoneType = 'cell';
        prev.smsCapable = sms;
      }
      continue;
    }
    const cp: ContactPointRec = {
      kind: 'phone',
      position: ++pos,
      raw,
      value: p.e164,
      extension: p.extension,
      phoneType: type,
      valid: p.valid,
      smsCapable: sms,
      nanpKey: nanpKey(raw),
    };
    if (dupKey) byValue.set(dupKey, cp);
    out.push(cp);
  }
  let epos = 0;
  const seenEmail = new Set<string>();
  for (const e of rec.emails) {
    const parsed = parseEmail(e.replace(CONTROLS, ' '));
    if (!parsed) continue;
    const key = parsed.address.toLowerCase();
    if (seenEmail.has(key)) continue;
    seenEmail.add(key);
    out.push({
      kind: 'email',
      position: ++epos,
      raw: parsed.address,
      value: parsed.valid ? parsed.address : null,
      extension: null,
      phoneType: null,
      valid: parsed.valid,
      smsCapable: false,
      nanpKey: null,
    });
  }
  return out;
}

export function phonesFrom(...pairs: [string | null | undefined, string | null][]): PhoneIn[] {
  const out: PhoneIn[] = [];
  for (const [raw, type] of pairs) if (raw != null && raw.trim() !== '') out.push({ raw, type });
  return out;
}

const CA_NAMES: Record<string, string> = {
  'british columbia': 'BC', alberta: 'AB', saskatchewan: 'SK', manitoba: 'MB', ontario: 'ON', quebec: 'QC', québec: 'QC',
  'new brunswick': 'NB', 'nova scotia': 'NS', 'prince edward island': 'PE', 'newfoundland and labrador': 'NL',
  newfoundland: 'NL', yukon: 'YT', 'northwest territories': 'NT', nunavut: 'NU',
};
const US_NAMES: Record<string, string> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
  delaware: 'DE', 'district of columbia': 'DC', florida: 'FL', georgia: 'GA', hawaii: 'HI', idaho: 'ID', illinois: 'IL',
  indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD',
  massachusetts: 'MA', michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO', montana: 'MT',
  nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY',
  'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA',
  'rhode island': 'RI', 'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT',
  vermont: 'VT', virginia: 'VA', washington: 'WA', 'west virginia': 'WV', wisconsin: 'WI', wyoming: 'WY',
  'puerto rico': 'PR', guam: 'GU',
};
// Maps, not the objects above: a cell reading "constructor" or "__proto__" must not find Object's own members.
const CA_REGIONS = new Map(Object.entries(CA_NAMES));
const US_REGIONS = new Map(Object.entries(US_NAMES));
const CA_CODES = new Set(CA_REGIONS.values());
const US_CODES = new Set(US_REGIONS.values());

/** A state or province as its postal code ('Washington' -> 'WA'), with the country it implies. */
export function normalizeRegion(raw: string | null): { region: string | null; country: 'US' | 'CA' | null } {
  if (!raw) return { region: null, country: null };
  const t = raw.trim();
  const up = t.toUpperCase();
  if (CA_CODES.has(up)) return { region: up, country: 'CA' };
  if (US_CODES.has(up)) return { region: up, country: 'US' };
  const low = t.toLowerCase();
  const ca = CA_REGIONS.get(low);
  if (ca) return { region: ca, country: 'CA' };
  const us = US_REGIONS.get(low);
  if (us) return { region: us, country: 'US' };
  return { region: t, country: null };
}

/** Postal codes are kept as written (a truncated ZIP stays visible); the country is guessed from the shape. */
export function countryOfPostal(postal: string | null): 'US' | 'CA' | null {
  if (!postal) return null;
  if (/^[A-Za-z]\d[A-Za-z]\s?\d[A-Za-z]\d$/.test(postal.trim())) return 'CA';
  if (/^\d{5}(-\d{4})?$/.test(postal.trim())) return 'US';
  return null;
}

/** Language codes as the desk uses them ('en', 'fr', 'es'); anything unknown stays as written, lower-cased. */
export function normalizeLanguage(raw: string | null): string | null {
  if (!raw) return null;
  const t = raw.trim().toLowerCase();
  if (t === '') return null;
  if (/^(en|eng|english)\b/.test(t)) return 'en';
  if (/^(fr|fre|fra|french|français|francais)\b/.test(t)) return 'fr';
  if (/^(es|spa|spanish|español|espanol)\b/.test(t)) return 'es';
  return t.slice(0, 12);
}
