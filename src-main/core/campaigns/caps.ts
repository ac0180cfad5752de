import type { Db } from '../db/open';

/** Marketing at most this many times per client in any rolling month, unless the clinic sets otherwise. */
export const DEFAULT_MARKETING_CAP = 2;
export const CAP_WINDOW_DAYS = 30;

/**
 * How many marketing sends each client, and each number and mailbox, received (or has waiting) in
 * the last 30 days, counted per campaign: an SMS and an email of one campaign are one contact.
 * Per address too, so that two households sharing a number do not make a third text to it once the
 * first household is capped. Messages that never reached the owner (cancelled, withdrawn, expired,
 * failed) do not count. A rolling window rather than the calendar month, so two campaigns on the
 * 30th and two on the 1st cannot make four in a week.
 */
export function marketingContacts(db: Db, now: Date, excludeCampaignId: number | null): { byClient: Map<number, number>; byAddress: Map<string, number> } {
  const since = new Date(now.getTime() - CAP_WINDOW_DAYS * 86_400_000).toISOString();
  const count = <K>(column: 'client_id' | 'to_address') =>
    new Map(
      db
        .prepare<[string, number], [K, number]>(`
          SELECT ${column}, COUNT(DISTINCT coalesce('c' || campaign_id, 'm' || id)) FROM messages
          WHERE kind = 'marketing' AND created_at >= ? AND ${column} IS NOT NULL
            AND status NOT IN ('cancelled','withdrawn','expired','failed','undelivered')
            AND (campaign_id IS NULL OR campaign_id <> ?)
          GROUP BY ${column}`)
        .raw()
        .all(since, excludeCampaignId ?? -1),
    );
  return { byClient: count<number>('client_id'), byAddress: count<string>('to_address') };
}
