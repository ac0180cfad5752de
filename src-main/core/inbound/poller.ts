import type { Db } from '../db/open';
import { isChannelError } from '../messaging/channels/errors';
import type { TwilioListQuery, TwilioMessage } from '../messaging/channels/twilio-channel';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/log';
import type { IngestResult, InboundText } from './ingest';
import type { MediaFetcher } from './media-fetcher';

/** What the poller needs from the Twilio channel. */
export interface PollLink {
  accountSid: string;
  /** The clinic number to filter on (To=), or null for every number of the account (Messaging Service). */
  number: string | null;
  list(query: TwilioListQuery): AsyncIterable<TwilioMessage>;
}

export interface PollResult {
  fetched: number;
  stored: number;
  /** Set when Twilio could not be reached or refused. */
  error?: { kind: string; message: string };
}

export interface InboundPollerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  link: () => PollLink | null;
  ingest: (m: InboundText) => IngestResult;
  media: MediaFetcher;
  onIngested?: (r: IngestResult) => void;
  /** Between polls while Twilio answers. */
  intervalMs?: number;
  /** Between polls while offline or refused. */
  retryMs?: number;
  /** How far back the very first poll looks. */
  firstLookbackMs?: number;
  /** Re-read this much before the high-water mark: late-listed texts are caught, duplicates are ignored by SID. */
  overlapMs?: number;
  /** Extra work each tick (media retries, index refresh). */
  onTick?: () => Promise<void> | void;
}

interface Cursor {
  high_water: string;
}

/**
 * Inbound texts without a public URL: lists the account's messages sent after a stored high-water
 * mark (Twilio's DateSent> filter, paged), keeps the inbound ones, and stores each once. The mark
 * only moves on Twilio's own timestamps, so a desk clock that is off never skips a text; after an
 * outage or a night with the PC off the next poll simply covers the gap.
 */
export function createInboundPoller(o: InboundPollerOptions) {
  const intervalMs = o.intervalMs ?? 5_000;
  const retryMs = o.retryMs ?? 30_000;
  const firstLookbackMs = o.firstLookbackMs ?? 2 * 86_400_000;
  const overlapMs = o.overlapMs ?? 5 * 60_000;
  const getCursor = o.db.prepare<[string, string], Cursor>('SELECT high_water FROM inbound_cursors WHERE account_sid = ? AND number = ?');
  const saveCursor = o.db.prepare(`
    INSERT INTO inbound_cursors (account_sid, number, high_water, last_ok_at, last_error) VALUES (@a, @n, @hw, @ok, NULL)
    ON CONFLICT(account_sid, number) DO UPDATE SET high_water = max(high_water, excluded.high_water), last_ok_at = excluded.last_ok_at, last_error = NULL`);
  const saveError = o.db.prepare(`
    INSERT INTO inbound_cursors (account_sid, number, high_water, last_error) VALUES (@a, @n, @hw, @err)
    ON CONFLICT(account_sid, number) DO UPDATE SET last_error = excluded.last_error`);

  let running: Promise<PollResult> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;

  async function poll(): Promise<PollResult> {
    const link = o.link();
    if (!link) return { fetched: 0, stored: 0, error: { kind: 'not-configured', message: 'Twilio is not set up.' } };
    const key = { a: link.accountSid, n: link.number ?? '*' };
    // An empty mark means only errors were recorded so far: the first successful poll looks back.
    const mark = getCursor.get(key.a, key.n)?.high_water || null;
    const after = mark ? new Date(Date.parse(mark) - overlapMs) : new Date(o.clock.now().getTime() - firstLookbackMs);
    let fetched = 0;
    let stored = 0;
    let highWater = mark ?? '';
    let withMedia = false;
    const batch: TwilioMessage[] = [];
    try {
      for await (const m of link.list({ ...(link.number ? { to: link.number } : {}), dateSentAfter: after, pageSize: 200 })) {
        const t = (m.dateSent ?? m.dateCreated)?.toISOString();
        if (t && t > highWater) highWater = t;
        if (m.direction !== 'inbound' || !m.from) continue;
        batch.push(m);
      }
    } catch (e) {
      const kind = isChannelError(e) ? e.kind : 'unknown';
      const message = e instanceof Error ? e.message : String(e);
      saveError.run({ ...key, hw: mark ?? '', err: `${kind}: ${message}` });
      o.log.warn('inbound poll failed', { kind, error: message });
      return { fetched: 0, stored: 0, error: { kind, message } };
    }
    // Oldest first, so a conversation's preview ends on its newest text. Twilio lists newest first
    // and dates to the second: reversing first keeps same-second texts in their real order.
    batch.reverse();
    batch.sort((a, b) => (a.dateSent?.getTime() ?? 0) - (b.dateSent?.getTime() ?? 0));
    for (const m of batch) {
      fetched++;
      const r = o.ingest({
        sid: m.sid,
        from: m.from!,
        to: m.to,
        body: m.body ?? '',
        numMedia: m.numMedia,
        receivedAt: m.dateSent ?? m.dateCreated ?? o.clock.now(),
      });
      if (!r.inserted) continue;
      stored++;
      if (m.numMedia > 0) withMedia = true;
      o.onIngested?.(r);
    }
    if (highWater) saveCursor.run({ ...key, hw: highWater, ok: o.clock.now().toISOString() });
    // Pictures after the texts: a slow download never holds a text back from the inbox.
    if (withMedia) await o.media.processDue(50);
    return { fetched, stored };
  }

  const pollOnce = (): Promise<PollResult> => {
    // Overlapping calls (timer + "check now") share one poll.
    running ??= poll().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref?.();
  };

  async function tick() {
    timer = null;
    let wait = intervalMs;
    try {
      const r = await pollOnce();
      if (r.error) wait = r.error.kind === 'not-configured' ? Math.max(intervalMs, 15_000) : retryMs;
      await o.onTick?.();
    } catch (e) {
      o.log.error('inbound poll crashed', { error: e instanceof Error ? e.message : String(e) });
      wait = retryMs;
    }
    schedule(wait);
  }

  return {
    pollOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
