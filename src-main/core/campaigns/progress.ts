import type { CampaignProgress, CampaignStatus, CampaignChannelFigures } from '../../contract';
import type { Db } from '../db/open';
import { HOLD_REASON } from './hold';

const emptyFigures = (): CampaignChannelFigures => ({ total: 0, queued: 0, held: 0, sending: 0, sent: 0, delivered: 0, failed: 0, stopped: 0 });

export interface ReplyRow {
  conversation_id: number | null;
  from_address: string;
  received_at: string;
}

/**
 * A campaign's figures straight from the outbox (one grouped read on the campaign index), and its
 * replies: inbound texts whose sender's last text from the clinic before the reply was this
 * campaign's, which is the same rule the inbox uses to put a reply in a thread.
 */
export function createProgressReader(db: Db) {
  const counts = db.prepare<[string, number], { channel: 'sms' | 'email'; status: string; held: number; n: number; cost: number | null }>(`
    SELECT channel, status, (status = 'waiting' AND wait_reason IS ?) held, COUNT(*) n, SUM(est_cost) cost
    FROM messages WHERE campaign_id = ? GROUP BY channel, status, held`);
  const repliesStmt = db.prepare<{ id: number }, ReplyRow>(`
    SELECT i.conversation_id, i.from_address, i.received_at FROM inbound_messages i
    WHERE i.from_address IN (SELECT to_address FROM messages WHERE campaign_id = @id AND channel = 'sms' AND sent_at IS NOT NULL)
      AND (SELECT m.campaign_id FROM messages m
           WHERE m.to_address = i.from_address AND m.channel = 'sms' AND m.sent_at IS NOT NULL AND m.sent_at <= i.received_at
           ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) = @id
    ORDER BY i.received_at DESC`);

  const replies = (id: number): ReplyRow[] => repliesStmt.all({ id });

  const STOPPED = new Set(['cancelled', 'withdrawn', 'expired']);
  const read = (id: number, status: CampaignStatus, enqueueing: boolean): CampaignProgress => {
    const byChannel = { sms: emptyFigures(), email: emptyFigures() };
    let estCost = 0;
    for (const r of counts.all(HOLD_REASON, id)) {
      const f = byChannel[r.channel];
      if (!f) continue;
      f.total += r.n;
      // What was withdrawn, cancelled or expired never cost anything.
      if (!STOPPED.has(r.status)) estCost += r.cost ?? 0;
      switch (r.status) {
        case 'queued':
        case 'waiting':
          if (r.held) f.held += r.n;
          else f.queued += r.n;
          break;
        case 'sending':
          f.sending += r.n;
          break;
        case 'sent':
          f.sent += r.n;
          break;
        case 'delivered':
          f.delivered += r.n;
          break;
        case 'failed':
        case 'undelivered':
          f.failed += r.n;
          break;
        default:
          f.stopped += r.n;
      }
    }
    const sum = (k: keyof CampaignChannelFigures) => byChannel.sms[k] + byChannel.email[k];
    const total = sum('total');
    const done = sum('sent') + sum('delivered') + sum('failed') + sum('stopped');
    const replyCount = byChannel.sms.sent + byChannel.sms.delivered + byChannel.sms.failed > 0 ? replies(id).length : 0;
    return {
      campaignId: id,
      status,
      enqueueing,
      total,
      queued: sum('queued'),
      held: sum('held'),
      sending: sum('sending'),
      sent: sum('sent'),
      delivered: sum('delivered'),
      failed: sum('failed'),
      stopped: sum('stopped'),
      replies: replyCount,
      done,
      percent: total ? Math.floor((done / total) * 1000) / 10 : status === 'finished' ? 100 : 0,
      byChannel,
      estCost: Math.round(estCost * 10000) / 10000,
    };
  };

  return { read, replies };
}

export type ProgressReader = ReturnType<typeof createProgressReader>;
