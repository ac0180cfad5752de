import type { Db } from '../db/open';
import type { ConsentLedger } from './ledger';

export type Unreachable = 'no-sms-number' | 'sms-opted-out' | 'sms-number-bad' | 'no-email' | 'email-opted-out' | 'email-bounced' | 'email-invalid';

export interface Reach {
  /** E.164 of the first cell number that may be texted, or null. */
  sms: string | null;
  email: string | null;
  /** Why each channel is closed, for the plan's suppression list. */
  smsBlocked?: Unreachable;
  emailBlocked?: Unreachable;
}

// One row per contact point, in the order the household listed them, with the flags packed
// into one integer: turning rows into JS values is what costs at 15k households, per value.
const EMAIL = 1;
const VALID = 2;
const SMS_CAPABLE = 4;
const PIMS_NO_SMS = 8;
const PIMS_NO_EMAIL = 16;

type PointRow = [clientId: number, value: string | null, bits: number];

/**
 * Which address each client can be reached on right now, per channel: the PIMS's do-not
 * flags, the consent ledger, and what sending has taught us (invalid, landline, bounced).
 * One pass over the tables, so planning 30k households stays cheap.
 */
export function loadReachability(db: Db, ledger: ConsentLedger, clientIds?: number[]): Map<number, Reach> {
  const filter = clientIds ? `AND c.id IN (SELECT value FROM json_each(?))` : '';
  const rows = db
    .prepare<unknown[], PointRow>(`
      SELECT cp.client_id, cp.value,
        (cp.kind = 'email') * ${EMAIL} + (cp.valid = 1) * ${VALID} + (cp.sms_capable = 1) * ${SMS_CAPABLE}
          + (c.pims_no_sms = 1) * ${PIMS_NO_SMS} + (c.pims_no_email = 1) * ${PIMS_NO_EMAIL}
      FROM contact_points cp JOIN clients c ON c.id = cp.client_id
      WHERE c.gone = 0 ${filter}
      ORDER BY cp.client_id, cp.kind, cp.position`)
    .raw()
    .all(...(clientIds ? [JSON.stringify(clientIds)] : []));
  const flags = new Map<string, Set<string>>();
  for (const f of db.prepare<[], { address: string; flag: string }>('SELECT address, flag FROM address_flags').all()) {
    const s = flags.get(f.address) ?? new Set();
    s.add(f.flag);
    flags.set(f.address, s);
  }
  const smsOut = ledger.optedOut('sms');
  const emailOut = ledger.optedOut('email');
  const out = new Map<number, Reach>();
  let r: Reach | undefined;
  let current = -1;
  for (const [id, value, bits] of rows) {
    if (id !== current || !r) {
      current = id;
      r = { sms: null, email: null, smsBlocked: 'no-sms-number', emailBlocked: 'no-email' };
      out.set(id, r);
    }
    if (!(bits & EMAIL)) {
      // The first number that may be texted wins; an opt-out on an earlier one stays the reason if none may.
      if (r.sms || !(bits & SMS_CAPABLE) || !value) continue;
      const f = flags.get(value);
      if (bits & PIMS_NO_SMS || smsOut.has(value)) r.smsBlocked = 'sms-opted-out';
      else if (f?.has('invalid') || f?.has('not-mobile')) r.smsBlocked = r.smsBlocked === 'sms-opted-out' ? r.smsBlocked : 'sms-number-bad';
      else {
        r.sms = value;
        delete r.smsBlocked;
      }
    } else {
      if (r.email || !value) continue;
      if (!(bits & VALID)) {
        if (r.emailBlocked === 'no-email') r.emailBlocked = 'email-invalid';
        continue;
      }
      if (bits & PIMS_NO_EMAIL || emailOut.has(value)) r.emailBlocked = 'email-opted-out';
      else if (flags.get(value)?.has('bounced')) r.emailBlocked = 'email-bounced';
      else {
        r.email = value;
        delete r.emailBlocked;
      }
    }
  }
  return out;
}
