import type { Service } from '../index';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/log';
import type { ChannelHub } from './channel-hub';
import type { ChannelStates } from './channel-state';
import { classifyTwilioError } from './channels/errors';
import type { TwilioMessage } from './channels/twilio-channel';
import type { QueueStore } from './queue-store';
import type { RetryPolicy } from './retry-policy';
import type { MessageRow } from './types';

/** How long after sending a text is still polled for its final status. */
export const POLL_WINDOW_MS = 3 * 24 * 3600_000;
/** Twilio's date_sent comes from Twilio's clock; ours may differ. */
const CLOCK_MARGIN_MS = 10 * 60_000;

const DELIVERY_TEXT: Record<number, string> = {
  30003: 'The phone was unreachable (switched off or out of coverage) (30003)',
  30005: 'The number is unknown to the carrier or no longer in service (30005)',
  30006: 'The number is a landline or its carrier cannot take texts (30006)',
  30007: 'The carrier filtered the message (30007)',
  30008: 'The carrier could not deliver the message (30008)',
};

export function deliveryText(code: number | null, status: string): string {
  if (code !== null && DELIVERY_TEXT[code]) return DELIVERY_TEXT[code]!;
  return code !== null ? `Not delivered (${code})` : `Not delivered (${status})`;
}

export type StatusUpdate = { row: MessageRow; twilio: Pick<TwilioMessage, 'sid' | 'status' | 'errorCode'> };

/**
 * Applies statuses read from Twilio. Only a row still 'sent' moves, so a final status never goes back.
 * 30003 (phone unreachable) is re-sent once later instead of being final; 30005 and 30006 mark the number.
 */
export function applyStatusUpdates(store: QueueStore, updates: StatusUpdate[], now: Date, retry: RetryPolicy): number[] {
  const at = now.toISOString();
  const changed: number[] = [];
  store.tx(() => {
    for (const { row, twilio } of updates) {
      if (row.provider_id !== twilio.sid) continue;
      const s = twilio.status;
      if (s === 'delivered' || s === 'read') {
        if (store.finalStatus(row.id, at, 'delivered', null, null)) {
          changed.push(row.id);
          store.setFlag(row.to_address, 'sms-ok', null, at);
        }
        continue;
      }
      if (s !== 'undelivered' && s !== 'failed') continue;
      const code = twilio.errorCode;
      const text = deliveryText(code, s);
      if (code === 30003 && row.delivery_retries < retry.config.maxDeliveryRetries) {
        const nextAt = new Date(now.getTime() + retry.config.deliveryRetryDelayMs).toISOString();
        if (store.deliveryRetry(row.id, at, nextAt, '30003', text, `${s} (30003): sending once more later; was ${twilio.sid}`)) changed.push(row.id);
        continue;
      }
      if (store.finalStatus(row.id, at, s, code === null ? null : String(code), text)) {
        changed.push(row.id);
        if (code === 30006) store.setFlag(row.to_address, 'not-mobile', '30006', at);
        if (code === 30005) store.setFlag(row.to_address, 'invalid', '30005', at);
      }
    }
  });
  return changed;
}

export interface StatusPollerDeps {
  clock: Clock;
  log: Logger;
  hub: ChannelHub;
  states: ChannelStates;
  store: QueueStore;
  retry: RetryPolicy;
  onChanged(ids: number[]): void;
  intervalMs: number;
  /** Messages per page of Twilio's list (Twilio allows up to 1000). */
  pageSize?: number;
}

export interface StatusPoller extends Service {
  /** One poll now; resolves with how many messages changed. */
  pollNow(): Promise<number>;
}

/**
 * Polls Twilio's Messages list (DateSent> the oldest text still awaiting its final status, paged) and
 * records delivered / undelivered / failed. No public URL is needed for status callbacks, and a desk
 * that was off catches up in one pass.
 */
export function createStatusPoller(d: StatusPollerDeps): StatusPoller {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  const pollOnce = async (): Promise<number> => {
    const link = d.hub.sms();
    if (!link.ok || d.states.paused('sms') || d.states.offline('sms')) return 0;
    const now = d.clock.now();
    const pending = d.store.toPoll(new Date(now.getTime() - POLL_WINDOW_MS).toISOString());
    if (!pending.length) return 0;
    const bySid = new Map(pending.map((r) => [r.provider_id!, r]));
    const since = new Date(Date.parse(pending[0]!.sent_at ?? now.toISOString()) - CLOCK_MARGIN_MS);
    const updates: StatusUpdate[] = [];
    try {
      for await (const m of link.link.channel.list({ dateSentAfter: since, direction: 'outbound', pageSize: d.pageSize ?? 1000 })) {
        const row = bySid.get(m.sid);
        if (row) updates.push({ row, twilio: m });
      }
    } catch (e) {
      const err = classifyTwilioError(e);
      d.log.warn('status poll failed', { kind: err.kind, code: err.code });
      // Whatever was read before the failure is still good.
    }
    const changed = applyStatusUpdates(d.store, updates, d.clock.now(), d.retry);
    if (changed.length) d.onChanged(changed);
    return changed.length;
  };

  const pollNow = () => {
    running ??= pollOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void pollNow()
        .catch((e) => d.log.error('status poll crashed', { error: e instanceof Error ? e.name : 'unknown' }))
        .finally(loop);
    }, d.intervalMs);
    timer.unref?.();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    pollNow,
  };
}
