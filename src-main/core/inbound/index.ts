import type { CoreContext } from '..';
import type { Conversations } from '../inbox/conversations';
import type { SearchIndex } from '../inbox/search-index';
import type { TwilioChannel, TwilioChannelOptions } from '../messaging/channels/twilio-channel';
import { createIngest, type IngestResult } from './ingest';
import { createMediaFetcher } from './media-fetcher';
import { createInboundPoller } from './poller';
import { createInboundLink } from './twilio-link';

export type { InboundText, IngestResult } from './ingest';

export interface InboundOptions {
  pollMs?: number;
  retryMs?: number;
  /** Tests pass a channel factory (e.g. one with a tiny timeout). */
  twilioFactory?: (o: TwilioChannelOptions) => TwilioChannel;
}

/**
 * The inbound side: Twilio poller, exactly-once storage with keyword/confirmation handling, and MMS
 * media downloads. Tells the desk about each new text ('inbox.message') and every change
 * ('inbox.changed', 'schedule.changed').
 */
export function createInbound(ctx: CoreContext, deps: { conversations: Conversations; search: SearchIndex }, o: InboundOptions = {}) {
  const link = createInboundLink(ctx.settings, o.twilioFactory);
  const clinic = () => {
    const c = ctx.settings.clinic();
    return c ? { name: c.name, phone: c.phone, timeZone: c.timeZone, helpText: c.helpText } : null;
  };
  const { ingest } = createIngest({ db: ctx.db, clock: ctx.clock, outbox: ctx.outbox, consent: ctx.consent, ...deps, clinic });
  const convOf = ctx.db.prepare<[number], { conversation_id: number }>('SELECT conversation_id FROM inbound_messages WHERE id = ?');
  const media = createMediaFetcher({
    db: ctx.db,
    clock: ctx.clock,
    dataDir: ctx.dataDir,
    log: ctx.log,
    source: () => link.media(),
    onChange: (id) => {
      const c = convOf.get(id);
      if (c) ctx.events.emit('inbox.changed', { conversationIds: [c.conversation_id] });
    },
  });
  const announce = (r: IngestResult) => {
    if (r.event) ctx.events.emit('inbox.message', r.event);
    ctx.events.emit('inbox.changed', { conversationIds: [r.conversationId] });
    if (r.appointmentIds.length) ctx.events.emit('schedule.changed', { appointmentIds: r.appointmentIds });
  };
  let ticks = 0;
  const poller = createInboundPoller({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log,
    link: () => link.poll(),
    ingest,
    media,
    onIngested: announce,
    intervalMs: o.pollMs,
    retryMs: o.retryMs,
    onTick: async () => {
      await media.processDue(5);
      // Names and pets change with imports; refresh the search documents now and then.
      if (ticks++ % 12 === 0) deps.search.refreshStale(500);
    },
  });

  return {
    /** Stores (once) and handles one text; for the poller, tests and a future webhook. */
    ingest(m: Parameters<typeof ingest>[0]): IngestResult {
      const r = ingest(m);
      if (r.inserted) announce(r);
      return r;
    },
    pollOnce: poller.pollOnce,
    media,
    service: {
      start: () => poller.start(),
      stop: async () => {
        await poller.stop();
        link.close();
      },
    },
  };
}

export type Inbound = ReturnType<typeof createInbound>;
