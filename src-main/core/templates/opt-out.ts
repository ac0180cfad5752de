import type { Db } from '../db/open';
import { hasOptOutInstruction } from './render';

/**
 * Decides which texts carry "Reply STOP to opt out": the first a number receives, and again when
 * it has not seen the sentence for `everyDays`. Loaded once per batch (planner run, campaign),
 * then updated in memory as the batch adds texts, so two texts to one number in a batch do not
 * both carry it.
 */
export interface OptOutNotices {
  needs(address: string): boolean;
  /** Records that a text to this address now carries the sentence. */
  mark(address: string): void;
}

// Only texts that have gone out count: a queued one (a day-of reminder held until tomorrow morning)
// has not told the owner anything yet, and the text being written now may reach them first.
const LIVE = "('sending','sent','delivered')";

export function loadOptOutNotices(db: Db, now: Date, everyDays: number): OptOutNotices {
  const since = new Date(now.getTime() - everyDays * 86_400_000).toISOString();
  // LIKE narrows the rows; only a real instruction (not "STOP by for a nail trim") counts.
  const recent = new Set<string>();
  const rows = db
    .prepare<[string], [string, string]>(`SELECT to_address, body FROM messages WHERE channel = 'sms' AND status IN ${LIVE} AND created_at >= ? AND body LIKE '%STOP%'`)
    .raw()
    .all(since);
  for (const [to, body] of rows) if (!recent.has(to) && hasOptOutInstruction(body)) recent.add(to);
  return {
    needs: (a) => !recent.has(a),
    mark: (a) => {
      recent.add(a);
    },
  };
}
