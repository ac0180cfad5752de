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

/** A household's contact points as the PIMS lists them: [value, packed flags], emails first, each kind in order. */
export type ContactPoints = [value: string | null, bits: number][];

/**
 * The contact points of households still in the PIMS (all of them, or those listed), by client.
 * PIMS data only: the planner keeps these between runs while the PIMS tables do not change.
 */
export function loadContactPoints(db: Db, clientIds?: number[]): Map<number, ContactPoints> {
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
  const out = new Map<number, ContactPoints>();
  let list: ContactPoints | undefined;
  let current = -1;
  for (const [id, value, bits] of rows) {
    if (id !== current || !list) {
      current = id;
      list = [];
      out.set(id, list);
    }
    list.push([value, bits]);
  }
  return out;
}

/** What sending taught us about addresses (invalid, landline, bounced), and who opted out: read once per run. */
export interface ReachContext {
  flags: Map<string, Set<string>>;
  smsOut: ReadonlySet<string>;
  emailOut: ReadonlySet<string>;
}

export function reachContext(db: Db, ledger: ConsentLedger): ReachContext {
  const flags = new Map<string, Set<string>>();
  for (const f of db.prepare<[], { address: string; flag: string }>('SELECT address, flag FROM address_flags').all()) {
    const s = flags.get(f.address) ?? new Set();
    s.add(f.flag);
    flags.set(f.address, s);
  }
  return { flags, smsOut: ledger.optedOut('sms'), emailOut: ledger.optedOut('email') };
}

/**
 * Which address one household can be reached on right now, per channel: the PIMS's do-not
 * flags, the consent ledger, and what sending has taught us.
 */
export function reachOf(points: ContactPoints, x: ReachContext): Reach {
  const r: Reach = { sms: null, email: null, smsBlocked: 'no-sms-number', emailBlocked: 'no-email' };
  for (const [value, bits] of points) {
    if (!(bits & EMAIL)) {
      // The first number that may be texted wins; an opt-out on an earlier one stays the reason if none may.
      if (r.sms || !(bits & SMS_CAPABLE) || !value) continue;
      const f = x.flags.get(value);
      if (bits & PIMS_NO_SMS || x.smsOut.has(value)) r.smsBlocked = 'sms-opted-out';
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
      if (bits & PIMS_NO_EMAIL || x.emailOut.has(value)) r.emailBlocked = 'email-opted-out';
      else if (x.flags.get(value)?.has('bounced')) r.emailBlocked = 'email-bounced';
      else {
        r.email = value;
        delete r.emailBlocked;
      }
    }
  }
  return r;
}

/**
 * Why a queued message's address no longer reaches its household, or null when it still does:
 * the client opted out (ledger or the PIMS's do-not flag), sending taught us the address is bad,
 * or the number or email is no longer one of the client's.
 */
export function addressProblem(points: ContactPoints | undefined, channel: string, to: string, x: ReachContext): 'opted-out' | 'address-changed' | null {
  if (channel === 'sms' ? x.smsOut.has(to) : x.emailOut.has(to)) return 'opted-out';
  let listed = false;
  for (const [value, bits] of points ?? []) {
    if (channel === 'sms' ? bits & PIMS_NO_SMS : bits & PIMS_NO_EMAIL) return 'opted-out';
    if (value === to && bits & VALID && (channel === 'email' ? bits & EMAIL : !(bits & EMAIL) && bits & SMS_CAPABLE)) listed = true;
  }
  const f = x.flags.get(to);
  if (!listed || f?.has('invalid') || f?.has('not-mobile') || f?.has('bounced')) return 'address-changed';
  return null;
}

/**
 * Which address each client can be reached on right now, per channel (see reachOf). A household
 * with no contact point at all has no entry (callers read that as unreachable).
 */
export function loadReachability(db: Db, ledger: ConsentLedger, clientIds?: number[]): Map<number, Reach> {
  const x = reachContext(db, ledger);
  const out = new Map<number, Reach>();
  for (const [id, points] of loadContactPoints(db, clientIds)) out.set(id, reachOf(points, x));
  return out;
}
