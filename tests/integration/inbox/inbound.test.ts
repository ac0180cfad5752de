import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core';
import { ChannelError } from '../../../src-main/core/messaging/channels/errors';
import { createTwilioChannel } from '../../../src-main/core/messaging/channels/twilio-channel';
import { silentLogger } from '../../../src-main/core/shared/log';
import { JPEG, PNG } from '../channels/helpers';
import { CLINIC_NUMBER, inboxRig, pims, type InboxRig } from './fixture';

const DANA = '+12065550123';
let rig: InboxRig;
afterEach(async () => {
  await rig?.cleanup();
});

const rows = (r: InboxRig, sql: string, ...args: unknown[]) => r.core.db.prepare(sql).all(...args) as any[];

describe('inbound polling stores each text once', () => {
  it('a repeated fetch inserts nothing new', async () => {
    rig = await inboxRig();
    rig.sim.injectInbound({ from: DANA, to: CLINIC_NUMBER, body: 'Is Rex due for his shots?', at: rig.clock.now() });
    const first = await rig.call('inbox.pollNow');
    const again = await rig.call('inbox.pollNow');
    rig.clock.advance(60_000);
    const later = await rig.call('inbox.pollNow');
    expect(first).toEqual({ fetched: 1, stored: 1 });
    expect(again.stored).toBe(0);
    expect(later.stored).toBe(0);
    expect(rows(rig, 'SELECT twilio_sid FROM inbound_messages')).toHaveLength(1);
    const list = await rig.call('inbox.list', {});
    expect(list.items[0].unread).toBe(1);
  });

  it('two desks polling the same account at once store one row and act once', async () => {
    rig = await inboxRig();
    const second = createCore({ dataDir: rig.core.dataDir, host: 'web', logger: silentLogger, clock: rig.clock });
    try {
      rig.sim.injectInbound({ from: DANA, to: CLINIC_NUMBER, body: 'HELP', at: rig.clock.now() });
      const [a, b, c] = await Promise.all([
        rig.core.invoke('inbox.pollNow', undefined),
        second.invoke('inbox.pollNow', undefined),
        rig.core.invoke('inbox.pollNow', undefined),
      ]);
      expect([a.ok, b.ok, c.ok]).toEqual([true, true, true]);
      expect(rows(rig, 'SELECT id FROM inbound_messages')).toHaveLength(1);
      expect(rows(rig, 'SELECT id FROM conversations')).toHaveLength(1);
      // The help answer is queued once, whichever desk stored the text.
      expect(rows(rig, "SELECT id FROM messages WHERE kind = 'reply'")).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('resumes from the stored high-water mark after an outage', async () => {
    rig = await inboxRig();
    await rig.receive(DANA, 'first');
    await rig.sim.setOffline(true);
    rig.clock.advance(10 * 60_000);
    rig.sim.injectInbound({ from: DANA, to: CLINIC_NUMBER, body: 'sent while the desk was offline', at: rig.clock.now() });
    const failed = await rig.core.invoke('inbox.pollNow', undefined);
    expect(failed.ok).toBe(false);
    await rig.sim.setOffline(false);
    rig.clock.advance(8 * 3600_000);
    rig.sim.injectInbound({ from: DANA, to: CLINIC_NUMBER, body: 'next morning', at: rig.clock.now() });
    const r = await rig.call('inbox.pollNow');
    expect(r.stored).toBe(2);
    const cursor = rows(rig, 'SELECT high_water FROM inbound_cursors')[0];
    expect(cursor.high_water).toBe(rig.clock.now().toISOString());
    const t = await rig.call('inbox.thread', { conversationId: 1 });
    expect(t.items.map((i: any) => i.body)).toEqual(['first', 'sent while the desk was offline', 'next morning']);
  });
});

describe('MMS media', () => {
  it('downloads every picture of a message with two images and serves them as data URLs', async () => {
    rig = await inboxRig();
    await rig.receive(DANA, 'He is limping on this leg', [
      { contentType: 'image/png', bytes: PNG },
      { contentType: 'image/jpeg', bytes: JPEG },
    ]);
    const t = await rig.call('inbox.thread', { conversationId: 1 });
    const msg = t.items.find((i: any) => i.type === 'inbound');
    expect(msg.numMedia).toBe(2);
    expect(msg.mediaState).toBe('stored');
    expect(msg.media.map((m: any) => [m.contentType, m.state, m.bytes])).toEqual([
      ['image/png', 'stored', PNG.length],
      ['image/jpeg', 'stored', JPEG.length],
    ]);
    const files = rows(rig, 'SELECT file FROM inbound_media ORDER BY position').map((r) => path.join(rig.core.dataDir, r.file));
    expect(files.every((f) => f.startsWith(path.join(rig.core.dataDir, 'media')) && existsSync(f))).toBe(true);
    expect(readFileSync(files[1]!).equals(JPEG)).toBe(true);
    const png = await rig.call('inbox.media', { mediaId: msg.media[0].id });
    expect(png.contentType).toBe('image/png');
    expect(png.dataUrl).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
  });

  it('shows a failed download and retries it on request', async () => {
    let failures = 1;
    rig = await inboxRig(undefined, {
      inbound: {
        twilioFactory: (o) => {
          const ch = createTwilioChannel(o);
          return {
            ...ch,
            downloadMedia: async (url: string) => {
              if (failures-- > 0) throw new ChannelError('transient', 'Media download failed (HTTP 503)');
              return ch.downloadMedia(url);
            },
          };
        },
      },
    });
    await rig.receive(DANA, '', [{ contentType: 'image/jpeg', bytes: JPEG }]);
    let t = await rig.call('inbox.thread', { conversationId: 1 });
    let msg = t.items[0];
    expect(msg.mediaState).toBe('failed');
    expect(msg.mediaError).toMatch(/503/);
    expect(msg.media[0].state).toBe('failed');
    expect(t.conversation.lastPreview).toBe('[1 picture]');

    expect((await rig.call('inbox.retryMedia', { messageId: msg.id })).queued).toBe(true);
    for (let i = 0; i < 50 && msg.mediaState !== 'stored'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      t = await rig.call('inbox.thread', { conversationId: 1 });
      msg = t.items[0];
    }
    expect(msg.mediaState).toBe('stored');
    expect(msg.media[0].state).toBe('stored');
  });
});

describe('matching the sender', () => {
  it('attaches a shared household number to the household texted last within 30 days, else asks', async () => {
    rig = await inboxRig();
    const p = pims(rig.core.db);
    const a = p.client({ first: 'Alex', last: 'Moreno', phones: [{ value: DANA }] });
    const b = p.client({ first: 'Sam', last: 'Moreno', phones: [{ value: DANA }] });
    p.pet(a, 'Biscuit');
    p.pet(b, 'Juniper');
    // Texted 40 days ago: too old to decide.
    p.sentText({ clientId: a, to: DANA, at: new Date(rig.clock.now().getTime() - 40 * 86_400_000).toISOString() });
    await rig.receive(DANA, 'Who is this?');
    let list = await rig.call('inbox.list', { filter: 'ambiguous' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0].clientId).toBeNull();
    const t = await rig.call('inbox.thread', { conversationId: list.items[0].id });
    expect(t.candidates.map((c: any) => c.name).sort()).toEqual(['Alex Moreno', 'Sam Moreno']);

    // Sam's household was texted 3 days ago: the next reply goes there.
    p.sentText({ clientId: b, to: DANA, at: new Date(rig.clock.now().getTime() - 3 * 86_400_000).toISOString() });
    rig.clock.advance(60_000);
    await rig.receive(DANA, 'Juniper is eating again');
    list = await rig.call('inbox.list', { filter: 'all' });
    const sams = list.items.find((i: any) => i.clientId === b);
    expect(sams.match).toBe('client');
    expect(sams.lastPreview).toBe('Juniper is eating again');

    // Staff choose Sam for the ambiguous one too: the two threads merge.
    const linked = await rig.call('inbox.link', { conversationId: list.items.find((i: any) => i.clientId === null).id, clientId: b, by: 'Ana' });
    expect(linked.id).toBe(sams.id);
    const merged = await rig.call('inbox.thread', { conversationId: sams.id });
    expect(merged.items.filter((i: any) => i.type === 'inbound').map((i: any) => i.body)).toEqual(['Who is this?', 'Juniper is eating again']);
    expect((await rig.call('inbox.list', { filter: 'ambiguous' })).total).toBe(0);
  });

  it('opens an unknown-sender thread that staff can link to a client', async () => {
    rig = await inboxRig();
    const p = pims(rig.core.db);
    const k = p.client({ first: 'Priya', last: 'Nair', phones: [{ value: '+12065550188' }] });
    await rig.receive('+12065550177', 'This is my new cell');
    const list = await rig.call('inbox.list', { filter: 'unknown' });
    expect(list.items[0].match).toBe('unknown');
    const found = await rig.call('inbox.findClients', { q: 'nair' });
    expect(found.map((c: any) => c.id)).toEqual([k]);
    await rig.call('inbox.link', { conversationId: list.items[0].id, clientId: k });
    rig.clock.advance(60_000);
    await rig.receive('+12065550177', 'Thanks!');
    const conv = (await rig.call('inbox.list', {})).items[0];
    expect(conv.clientId).toBe(k);
    expect(rows(rig, 'SELECT address FROM number_links')).toEqual([{ address: '+12065550177' }]);
  });

  it('keeps a short code as an unknown sender: no reply, never stored as a client phone', async () => {
    rig = await inboxRig();
    const p = pims(rig.core.db);
    const k = p.client({ first: 'Dana', last: 'Whitfield', phones: [{ value: DANA }] });
    await rig.receive('72345', 'Your pharmacy order is ready. Reply STOP to end.');
    await rig.receive('72345', 'STOP');
    const list = await rig.call('inbox.list', { filter: 'unknown' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0].match).toBe('short-code');
    const t = await rig.call('inbox.thread', { conversationId: list.items[0].id });
    expect(t.replyBlocked).toMatch(/short code/);
    expect(t.items.map((i: any) => i.intent)).toEqual(['none', 'none']);
    expect(rig.core.consent.history('72345')).toEqual([]);
    await expect(rig.call('inbox.send', { conversationId: t.conversation.id, body: 'hi', requestId: 'r1' })).rejects.toMatchObject({ code: 'reply.blocked' });
    await rig.call('inbox.link', { conversationId: t.conversation.id, clientId: k });
    expect(rows(rig, 'SELECT * FROM number_links')).toEqual([]);
    expect(rows(rig, "SELECT value FROM contact_points WHERE value = '72345'")).toEqual([]);
  });
});

describe('events', () => {
  it("tells the desk about a new text with the client's first name and a preview", async () => {
    rig = await inboxRig();
    pims(rig.core.db).client({ first: 'Dana', last: 'Whitfield', phones: [{ value: DANA }] });
    const seen: any[] = [];
    rig.core.events.onAny((e, p) => seen.push([e, p]));
    await rig.receive(DANA, 'Running 5 minutes late, sorry!');
    const msg = seen.find(([e]) => e === 'inbox.message')?.[1];
    expect(msg).toMatchObject({ conversationId: 1, direction: 'inbound', clientFirstName: 'Dana', preview: 'Running 5 minutes late, sorry!', intent: 'none' });
    expect(seen.some(([e, p]) => e === 'inbox.changed' && p.conversationIds.includes(1))).toBe(true);
    await new Promise((r) => setImmediate(r));
    const status = seen.filter(([e]) => e === 'system.status').pop()?.[1];
    expect(status.unreadConversations).toBe(1);
  });
});
