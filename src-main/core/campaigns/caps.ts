import type { Db } from '../db/open';

/** Marketing at most this many times per client in any rolling month, unless the clinic sets otherwise. */
export const DEFAULT_MARKETING_CAP = 2;
export const CAP_WINDOW_DAYS = 30;

/**
 * How many marketing sends each client received (or has waiting) in the last 30 days, counted
 * per campaign: an SMS and an email of one campaign are one contact. Messages that never reached
 * the owner (cancelled, withdrawn, expired, failed) do not count. A rolling window rather than the
 * calendar month, so two campaigns on the 30th and two on the 1st cannot make four in a week.
 */
export function marketingContacts(db: Db, now: Date, excludeCampaignId: number | null): Map<number, number> {
  const since = new Date(now.getTime() - CAP_WINDOW_DAYS * 86_400_000).toISOString();
  const rows = db
    .prepare<[string, number], { client_id: number; n: number }>(`
      SELECT client_id, COUNT(DISTINCT coalesce('c' || campaign_id, 'm' || id)) n FROM messages
      WHERE kind = 'marketing' AND created_at >= ? AND client_id IS NOT NULL
        AND status NOT IN ('cancelled','withdrawn','expired','failed','undelivered')
        AND (campaign_id IS NULL OR campaign_id <> ?)
      GROUP BY client_id`)
    .all(since, excludeCampaignId ?? -1);
  return new Map(rows.map((r) => [r.client_id, r.n]));
}

/**
 * The same count per phone number and mailbox: two households sharing a number must not make a
 * third marketing text to it once the first household is capped (the other one would get it).
 */
export function marketingContactsByAddress(db: Db, now: Date, excludeCampaignId: number | null): Map<string, number> {
  const since = new Date(now.getTime() - CAP_WINDOW_DAYS * 86_400_000).toISOString();
  const rows = db
    .prepare<[string, number], { to_address: string; n: number }>(`
      SELECT to_address, COUNT(DISTINCT coalesce('c' || campaign_id, 'm' || id)) n FROM messages
      WHERE kind = 'marketing' AND created_at >= ?
        AND status NOT IN ('cancelled','withdrawn','expired','failed','undelivered')
        AND (campaign_id IS NULL OR campaign_id <> ?)
      GROUP BY to_address`)
    .all(since, excludeCampaignId ?? -1);
  return new Map(rows.map((r) => [r.to_address, r.n]));
}
