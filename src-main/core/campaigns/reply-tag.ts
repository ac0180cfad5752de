import type { Db } from '../db/open';

export interface CampaignTag {
  id: number;
  name: string;
}

/**
 * Which campaign a reply answers: the campaign of the last text the clinic sent to that number
 * before the reply arrived (the same rule the inbox uses to put the reply in a thread), or null
 * when that text was not a campaign's. For the inbox to tag a thread; campaigns count replies
 * with the same rule (progress.ts).
 */
export function campaignTagReader(db: Db): (address: string, receivedAt: string) => CampaignTag | null {
  const stmt = db.prepare<[string, string], CampaignTag>(`
    SELECT c.id, c.name FROM campaigns c
    WHERE c.id = (SELECT m.campaign_id FROM messages m
                  WHERE m.to_address = ? AND m.channel = 'sms' AND m.sent_at IS NOT NULL AND m.sent_at <= ?
                  ORDER BY m.sent_at DESC, m.id DESC LIMIT 1)`);
  return (address, receivedAt) => stmt.get(address, receivedAt) ?? null;
}
