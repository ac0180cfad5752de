import type { TwilioChannel, TwilioMessage } from './channels/twilio-channel';
import type { MessageRow } from './types';

export interface ReconcileOptions {
  /**
   * How far before the claim a Twilio date_created may lie and still be ours: covers the desk's clock
   * running ahead of Twilio's and Twilio's whole-second dates.
   */
  skewMs: number;
  /** Twilio sids already recorded on some message: never adopted twice. */
  isKnownSid(sid: string): boolean;
}

export type ReconcileVerdict = { id: number; found: TwilioMessage } | { id: number; found: null };

const nfc = (s: string) => s.normalize('NFC').replace(/\r\n/g, '\n');

/** Does this Twilio message look like the one the row tried to send? */
export function sameSend(row: Pick<MessageRow, 'to_address' | 'body' | 'sent_from'>, m: TwilioMessage): boolean {
  if (!m.direction.startsWith('outbound')) return false;
  if (m.to !== row.to_address) return false;
  // A Messaging Service fills From only once the message leaves Twilio's queue.
  if (row.sent_from && m.from && row.sent_from.startsWith('+') && m.from !== row.sent_from) return false;
  return m.body === row.body || nfc(m.body) === nfc(row.body);
}

/**
 * Looks up sends whose outcome is unknown (a crash or a lost answer after the claim) in Twilio's
 * Messages list, filtered by To and walked newest first until before the earliest claim. Each row gets
 * at most one message, the earliest matching one created after its claim, so two identical texts to the
 * same number in flight together are told apart by order. Rows are expected in claim order.
 */
export async function reconcileAddress(channel: TwilioChannel, rows: MessageRow[], o: ReconcileOptions): Promise<ReconcileVerdict[]> {
  if (!rows.length) return [];
  const to = rows[0]!.to_address;
  const earliest = Math.min(...rows.map((r) => Date.parse(r.claimed_at ?? r.updated_at))) - o.skewMs;
  const candidates: TwilioMessage[] = [];
  for await (const m of channel.list({ to, direction: 'outbound', pageSize: 100 })) {
    const created = m.dateCreated?.getTime() ?? Infinity;
    if (created < earliest) break;
    if (!o.isKnownSid(m.sid)) candidates.push(m);
  }
  candidates.sort((a, b) => (a.dateCreated?.getTime() ?? 0) - (b.dateCreated?.getTime() ?? 0));
  const taken = new Set<string>();
  return rows.map((row) => {
    const from = Date.parse(row.claimed_at ?? row.updated_at) - o.skewMs;
    const hit = candidates.find((m) => !taken.has(m.sid) && (m.dateCreated?.getTime() ?? Infinity) >= from && sameSend(row, m));
    if (hit) taken.add(hit.sid);
    return { id: row.id, found: hit ?? null };
  });
}
