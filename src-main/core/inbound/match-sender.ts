import type { Db } from '../db/open';
import { isShortCode } from '../pims/values/phone';

export type SenderMatch =
  | { kind: 'client'; clientId: number; via: 'only' | 'last-messaged' }
  | { kind: 'ambiguous'; candidates: number[] }
  | { kind: 'unknown' }
  | { kind: 'short-code' };

/** How long "the household last messaged from this number" counts for a shared number. */
export const SHARED_NUMBER_DAYS = 30;

const E164 = /^\+[1-9]\d{7,14}$/;

/** A sender we can text back: E.164 and not a short code or alphanumeric sender id. */
export function isPhoneAddress(address: string): boolean {
  return E164.test(address) && !isShortCode(address);
}

export interface SenderMatcher {
  match(from: string, now: Date): SenderMatch;
  /** Every household that has this number (PIMS contact points and numbers staff linked). */
  households(from: string): number[];
}

/**
 * Matches a sender's number to households by E.164. One number may belong to several households
 * (a couple split into two client records, a parent and a grown child): the reply belongs to the
 * household the clinic last texted on it within 30 days, or to a staff member's choice.
 */
export function createSenderMatcher(db: Db): SenderMatcher {
  const byNumber = db.prepare<[string, string], { client_id: number }>(`
    SELECT DISTINCT cp.client_id FROM contact_points cp JOIN clients c ON c.id = cp.client_id
    WHERE cp.kind = 'phone' AND cp.value = ? AND c.gone = 0
    UNION
    SELECT nl.client_id FROM number_links nl JOIN clients c ON c.id = nl.client_id WHERE nl.address = ? AND c.gone = 0`);
  // The last text that actually left for each candidate household on this number, or a staff link.
  const lastTouch = db.prepare<[string, string, string, string, string], { client_id: number; at: string }>(`
    SELECT client_id, MAX(at) at FROM (
      SELECT m.client_id, COALESCE(m.sent_at, m.created_at) at FROM messages m
      WHERE m.to_address = ? AND m.channel = 'sms' AND m.client_id IN (SELECT value FROM json_each(?))
        AND m.status IN ('sending','sent','delivered','undelivered') AND COALESCE(m.sent_at, m.created_at) >= ?
      UNION ALL
      SELECT nl.client_id, nl.at FROM number_links nl WHERE nl.address = ? AND nl.at >= ?
    ) GROUP BY client_id ORDER BY at DESC LIMIT 1`);

  const households = (from: string) => byNumber.all(from, from).map((r) => r.client_id);
  return {
    households,
    match(from, now) {
      if (!isPhoneAddress(from)) return { kind: 'short-code' };
      const ids = households(from);
      if (ids.length === 0) return { kind: 'unknown' };
      if (ids.length === 1) return { kind: 'client', clientId: ids[0]!, via: 'only' };
      const since = new Date(now.getTime() - SHARED_NUMBER_DAYS * 86_400_000).toISOString();
      const last = lastTouch.get(from, JSON.stringify(ids), since, from, since);
      if (last) return { kind: 'client', clientId: last.client_id, via: 'last-messaged' };
      return { kind: 'ambiguous', candidates: ids.sort((a, b) => a - b) };
    },
  };
}
