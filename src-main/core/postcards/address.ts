import type { PostcardProblemReason } from '../../contract';

export interface ClientAddress {
  client_id: number | null;
  first_name: string | null;
  last_name: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  gone: number | null;
}

export type AddressCheck =
  | { ok: true; name: string; lines: string[]; sortKey: string }
  | { ok: false; reason: PostcardProblemReason; detail: string };

const clean = (s: string | null | undefined) => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

const CA_POSTAL = /^([A-Z]\d[A-Z]) ?(\d[A-Z]\d)$/;
const US_ZIP = /^(\d{5})(?:-?(\d{4}))?$/;

/**
 * Whether a client row can be mailed, and the label if so. Street, city and postal code are
 * required; a US ZIP must have 5 digits (a 4-digit one lost its leading zero in a spreadsheet,
 * and guessing it would misroute the card), a Canadian code must read A1A 1A1.
 */
export function checkAddress(c: ClientAddress, home: 'US' | 'CA' = 'US'): AddressCheck {
  if (c.client_id === null) return { ok: false, reason: 'no-client', detail: 'This postcard is not linked to a client, so there is no address to print.' };
  if (c.gone) return { ok: false, reason: 'client-gone', detail: 'The client is no longer in the practice software export. Cancel the postcard or restore the client.' };
  const street = clean(c.address1);
  const line2 = clean(c.address2);
  const city = clean(c.city);
  const region = clean(c.region).toUpperCase();
  let postal = clean(c.postal_code).toUpperCase();
  const country = countryCode(c.country, home, postal);
  const missing: string[] = [];
  if (!street) missing.push('street');
  if (!city) missing.push('city');
  if (!postal) missing.push('postal code');
  const fix = 'Correct it in the practice software; the next import and postcard batch pick it up.';
  if (missing.length) {
    const what = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} or ${missing[missing.length - 1]}` : missing[0];
    return { ok: false, reason: 'no-address', detail: `The postal address has no ${what}. ${fix}` };
  }
  if (country === 'US' || country === 'CA') {
    const ca = country === 'CA' ? CA_POSTAL.exec(postal) : null;
    const us = country === 'US' ? US_ZIP.exec(postal) : null;
    if (ca) postal = `${ca[1]} ${ca[2]}`;
    else if (us) postal = us[2] ? `${us[1]}-${us[2]}` : us[1];
    else {
      const hint = country === 'US' && /^\d{3,4}$/.test(postal) ? ' (a leading zero may have been lost in a spreadsheet)' : '';
      return { ok: false, reason: 'no-address', detail: `The postal code “${postal}” is incomplete${hint}. ${fix}` };
    }
  }
  const name = [clean(c.first_name), clean(c.last_name)].filter(Boolean).join(' ') || 'Pet owner';
  const lines = [name, street, ...(line2 ? [line2] : []), `${city}${region ? `, ${region}` : ''}  ${postal}`];
  // Mail across the border names the country on the last line.
  if (country !== home) lines.push(COUNTRY_NAMES[country] ?? country);
  // Mailing in postal-code order lets the post office sort less (and some presort rates need it).
  return { ok: true, name, lines, sortKey: `${postal}|${clean(c.last_name).toLowerCase()}` };
}

const COUNTRY_NAMES: Record<string, string> = { US: 'UNITED STATES', CA: 'CANADA' };

/** The PIMS's country field in two letters; when empty, the postal code's shape, else the clinic's own country. */
function countryCode(raw: string | null, home: 'US' | 'CA', postal: string): string {
  const c = clean(raw).toUpperCase().replace(/\./g, '');
  if (!c) return CA_POSTAL.test(postal) ? 'CA' : US_ZIP.test(postal) ? 'US' : home;
  // A defaulted country field loses to a postal code that can only be the other country's.
  if (c === 'US' || c === 'USA' || c === 'UNITED STATES' || c === 'UNITED STATES OF AMERICA') return CA_POSTAL.test(postal) ? 'CA' : 'US';
  if (c === 'CA' || c === 'CAN' || c === 'CANADA') return US_ZIP.test(postal) ? 'US' : 'CA';
  return c;
}
