import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';
import { createInboundPoller, type PollLink } from '../../../src-main/core/inbound/poller';
import type { InboundText, IngestResult } from '../../../src-main/core/inbound/ingest';
import type { MediaFetcher } from '../../../src-main/core/inbound/media-fetcher';
import type { TwilioListQuery, TwilioMessage } from '../../../src-main/core/messaging/channels/twilio-channel';
import { ChannelError } from '../../../src-main/core/messaging/channels/errors';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { silentLogger } from '../../../src-main/core/shared/log';

function msg(sid: string, at: string, direction = 'inbound', numMedia = 0): TwilioMessage {
  return {
    sid, accountSid: 'AC1', direction, from: '+12065550123', to: '+12065550100', body: sid, status: 'received', errorCode: null, errorMessage: null,
    numSegments: 1, numMedia, price: null, priceUnit: null, messagingServiceSid: null, dateCreated: new Date(at), dateSent: new Date(at), dateUpdated: new Date(at),
  };
}

function rig(pages: TwilioMessage[][], clockAt = '2026-12-08T18:00:00Z') {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  const clock = fixedClock(clockAt);
  const queries: TwilioListQuery[] = [];
  const stored: InboundText[] = [];
  let call = 0;
  const link: PollLink = {
    accountSid: 'AC1',
    number: '+12065550100',
    list(q) {
      queries.push(q);
      const page = pages[Math.min(call++, pages.length - 1)]!;
      return {
        async *[Symbol.asyncIterator]() {
          for (const m of page) {
            if (m.sid === 'FAIL') throw new ChannelError('offline', 'Twilio cannot be reached (ECONNREFUSED)');
            yield m;
          }
        },
      };
    },
  };
  const seen = new Set<string>();
  const ingest = (m: InboundText): IngestResult => {
    const inserted = !seen.has(m.sid);
    seen.add(m.sid);
    if (inserted) stored.push(m);
    return { inserted, messageId: stored.length, conversationId: 1, intent: 'none', appointmentIds: [], event: null };
  };
  let mediaRuns = 0;
  const media = { processDue: async () => (mediaRuns++, 0), fetch: async () => 'stored', retry: () => true } as unknown as MediaFetcher;
  const poller = createInboundPoller({ db, clock, log: silentLogger, link: () => link, ingest, media, overlapMs: 5 * 60_000, firstLookbackMs: 2 * 86_400_000 });
  return { db, clock, poller, queries, stored, mediaRuns: () => mediaRuns };
}

describe('inbound poller', () => {
  it('looks back two days on the first poll, then resumes from the newest Twilio time minus the overlap', async () => {
    const r = rig([[msg('SM2', '2026-12-08T17:59:00Z'), msg('SM1', '2026-12-08T17:00:00Z')], [msg('SM3', '2026-12-08T18:01:00Z'), msg('SM2', '2026-12-08T17:59:00Z')]]);
    expect(await r.poller.pollOnce()).toEqual({ fetched: 2, stored: 2 });
    expect(r.queries[0]).toMatchObject({ to: '+12065550100', dateSentAfter: new Date('2026-12-06T18:00:00Z') });
    // Stored oldest first, so the conversation ends on the newest text.
    expect(r.stored.map((m) => m.sid)).toEqual(['SM1', 'SM2']);
    expect(await r.poller.pollOnce()).toEqual({ fetched: 2, stored: 1 });
    expect(r.queries[1]!.dateSentAfter).toEqual(new Date('2026-12-08T17:54:00Z'));
  });

  it('moves the mark on Twilio timestamps only, so a desk clock hours ahead skips nothing', async () => {
    const r = rig([[msg('SM1', '2026-12-08T17:00:00Z')], []], '2026-12-08T23:00:00Z');
    await r.poller.pollOnce();
    r.clock.advance(3600_000);
    await r.poller.pollOnce();
    expect(r.queries[1]!.dateSentAfter).toEqual(new Date('2026-12-08T16:55:00Z'));
  });

  it('counts outbound rows toward the mark but stores only inbound texts', async () => {
    const r = rig([[msg('SM9', '2026-12-08T17:58:00Z', 'outbound-api'), msg('SM1', '2026-12-08T17:00:00Z')], []]);
    expect(await r.poller.pollOnce()).toEqual({ fetched: 1, stored: 1 });
    await r.poller.pollOnce();
    expect(r.queries[1]!.dateSentAfter).toEqual(new Date('2026-12-08T17:53:00Z'));
  });

  it('keeps the mark when a page fails half way, and says why', async () => {
    const r = rig([[msg('SM2', '2026-12-08T17:59:00Z'), msg('FAIL', '2026-12-08T17:00:00Z')], [msg('SM2', '2026-12-08T17:59:00Z')]]);
    const failed = await r.poller.pollOnce();
    expect(failed.error).toMatchObject({ kind: 'offline' });
    expect(r.stored).toEqual([]);
    expect(r.db.prepare('SELECT last_error FROM inbound_cursors').get()).toEqual({ last_error: 'offline: Twilio cannot be reached (ECONNREFUSED)' });
    expect(await r.poller.pollOnce()).toEqual({ fetched: 1, stored: 1 });
    expect(r.queries[1]!.dateSentAfter).toEqual(r.queries[0]!.dateSentAfter);
  });

  it('shares one poll between overlapping calls', async () => {
    const r = rig([[msg('SM1', '2026-12-08T17:00:00Z', 'inbound', 2)]]);
    const [a, b] = await Promise.all([r.poller.pollOnce(), r.poller.pollOnce()]);
    expect(a).toBe(b);
    expect(r.queries).toHaveLength(1);
    expect(r.mediaRuns()).toBe(1);
  });
});
