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

interface PointRow {
  client_id: number;
  kind: 'phone' | 'email';
  value: string | null;
  valid: number;
  sms_capable: number;
  pims_no_sms: number;
  pims_no_email: number;
}

/**
 * Which address each client can be reached on right now, per channel: the PIMS's do-not
 * flags, the consent ledger, and what sending has taught us (invalid, landline, bounced).
 * One pass over the tables, so planning 30k households stays cheap.
 */
export function loadReachability(db: Db, ledger: ConsentLedger, clientIds?: number[]): Map<number, Reach> {
  const filter = clientIds ? `AND c.id IN (SELECT value FROM json_each(?))` : '';
  const rows = db
    .prepare<unknown[], PointRow>(`
      SELECT cp.client_id, cp.kind, cp.value, cp.valid, cp.sms_capable, c.pims_no_sms, c.pims_no_email
      FROM contact_points cp JOIN clients c ON c.id = cp.client_id
      WHERE c.gone = 0 ${filter}
      ORDER BY cp.client_id, cp.kind, cp.position`)
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
  const get = (id: number) => {
    let r = out.get(id);
    if (!r) {
      r = { sms: null, email: null, smsBlocked: 'no-sms-number', emailBlocked: 'no-email' };
      out.set(id, r);
    }
    return r;
  };
  for (const p of rows) {
    const r = get(p.client_id);
    if (p.kind === 'phone') {
      if (r.sms || !p.sms_capable || !p.value) continue;
      const f = flags.get(p.value);
      if (p.pims_no_sms || smsOut.has(p.value)) r.smsBlocked = 'sms-opted-out';
      else if (f?.has('invalid') || f?.has('not-mobile')) r.smsBlocked = r.smsBlocked === 'sms-opted-out' ? r.smsBlocked : 'sms-number-bad';
      else {
        r.sms = p.value;
        delete r.smsBlocked;
      }
    } else {
      if (r.email || !p.value) continue;
      if (!p.valid) {
        if (r.emailBlocked === 'no-email') r.emailBlocked = 'email-invalid';
        continue;
      }
      if (p.pims_no_email || emailOut.has(p.value)) r.emailBlocked = 'email-opted-out';
      else if (flags.get(p.value)?.has('bounced')) r.emailBlocked = 'email-bounced';
      else {
        r.email = p.value;
        delete r.emailBlocked;
      }
    }
  }
  return out;
}
