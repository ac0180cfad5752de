import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src-main/core/messaging/channels/errors';
import { createTwilioChannel, type TwilioChannel, type TwilioChannelOptions } from '../../../src-main/core/messaging/channels/twilio-channel';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { CLINIC, JPEG, PNG, manualClock, phone, pollUntil, rejection } from './helpers';

const KEY = { sid: `SK${'3'.repeat(32)}`, secret: 'key-secret' };
const ACCOUNT = { sid: `AC${'e'.repeat(32)}`, authToken: 'token-e', friendlyName: 'Larkspur Vet', apiKeys: [KEY], numbers: [CLINIC] };

let sim: TwilioSim;
let channels: TwilioChannel[] = [];
afterEach(async () => {
  for (const c of channels) c.close();
  channels = [];
  await sim?.close();
});

function channel(over: Partial<TwilioChannelOptions> = {}): TwilioChannel {
  const c = createTwilioChannel({ accountSid: ACCOUNT.sid, authToken: ACCOUNT.authToken, from: CLINIC, baseUrl: sim.url, timeoutMs: 5_000, ...over });
  channels.push(c);
  return c;
}

async function kindOf(p: Promise<unknown>) {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

describe('twilio channel: send / fetch', () => {
  it('sends and reports sid, status and segments; fetch follows the status to delivered', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const ch = channel();
    const r = await ch.send({ to: phone(1), body: 'Reminder: Rex is due for his rabies shot. Reply STOP to opt out.' });
    expect(r).toMatchObject({ status: 'queued', numSegments: 1, from: CLINIC });
    expect(r.sid).toMatch(/^SM/);
    const done = await pollUntil(() => ch.fetch(r.sid), (m) => m.status === 'delivered');
    expect(done).toMatchObject({ status: 'delivered', errorCode: null, price: -0.0079, priceUnit: 'USD', direction: 'outbound-api' });
    expect(done.dateSent).toBeInstanceOf(Date);
  });

  it('sends MMS media URLs and through a Messaging Service', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const mg = `MG${'f'.repeat(32)}`;
    const r = await channel({ from: undefined, messagingServiceSid: mg }).send({
      to: phone(2),
      body: 'Map to the clinic',
      mediaUrls: ['https://example.com/map.png', 'https://example.com/door.jpg'],
    });
    expect(r.sid).toMatch(/^MM/);
    const m = sim.find(r.sid)!;
    expect(m.mediaUrls).toHaveLength(2);
    expect(m.messagingServiceSid).toBe(mg);
  });

  it('reports a delivery failure code through fetch', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now });
    sim.failDelivery(phone(3), 30005);
    const ch = channel();
    const { sid } = await ch.send({ to: phone(3), body: 'x' });
    clock.advance(5_000);
    expect(await ch.fetch(sid)).toMatchObject({ status: 'undelivered', errorCode: 30005, errorMessage: 'Unknown destination handset' });
  });
});

describe('twilio channel: errors normalised to ChannelError', () => {
  it('20003 -> auth with a hint, for a token and for an API key', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const e = await kindOf(channel({ authToken: 'wrong' }).send({ to: phone(1), body: 'x' }));
    expect(e).toMatchObject({ kind: 'auth', code: 20003, httpStatus: 401 });
    expect(e.hint).toMatch(/Auth Token/);
    const k = await kindOf(channel({ authToken: undefined, apiKey: KEY.sid, apiSecret: 'wrong' }).fetchAccount());
    expect(k.kind).toBe('auth');
  });

  it.each([
    ['opted-out', 21610, (s: TwilioSim) => s.optOut(phone(4)), phone(4)],
    ['not-mobile', 21614, (s: TwilioSim) => s.landline(phone(5)), phone(5)],
    ['invalid-number', 21211, () => {}, '206-555-0106'],
  ] as const)('%s (%i)', async (kind, code, arrange, to) => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    arrange(sim);
    const e = await kindOf(channel().send({ to, body: 'x' }));
    expect(e).toMatchObject({ kind, code, httpStatus: 400, uncertain: false });
    // The channel's own message carries no phone number; Twilio's text stays in detail.
    expect(e.message).not.toMatch(/555/);
  });

  it('20429 -> rate-limited', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT], rateLimit: { messagesPerSecond: 1 }, now: manualClock().now });
    const ch = channel();
    await ch.send({ to: phone(1), body: 'a' });
    expect(await kindOf(ch.send({ to: phone(1), body: 'b' }))).toMatchObject({ kind: 'rate-limited', code: 20429, httpStatus: 429 });
  });

  it('5xx -> transient (uncertain), a request timeout -> transient', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    sim.failNext(1, { status: 503 });
    expect(await kindOf(channel().send({ to: phone(1), body: 'x' }))).toMatchObject({ kind: 'transient', httpStatus: 503, uncertain: true });
    sim.setLatency(1_000);
    const t = await kindOf(channel({ timeoutMs: 100 }).send({ to: phone(1), body: 'slow' }));
    expect(t).toMatchObject({ kind: 'transient', uncertain: true });
  });

  it('refused / reset / unknown host -> offline', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const ch = channel();
    await sim.setOffline(true);
    const refused = await kindOf(channel().send({ to: phone(1), body: 'x' }));
    expect(refused).toMatchObject({ kind: 'offline', detail: 'ECONNREFUSED', uncertain: false });
    await sim.setOffline(true, 'reset');
    expect((await kindOf(ch.send({ to: phone(1), body: 'x' }))).kind).toBe('offline');
    await sim.setOffline(false);
    expect((await ch.send({ to: phone(1), body: 'back' })).status).toBe('queued');
    const dns = await kindOf(channel({ baseUrl: 'http://no-such-host.invalid' }).send({ to: phone(1), body: 'x' }));
    expect(dns.kind).toBe('offline');
    expect(dns.message).toMatch(/host not found/);
  });

  it('a connection cut after the create -> offline and uncertain (the message exists)', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    sim.dropAfterCreate();
    const e = await kindOf(channel().send({ to: phone(1), body: 'maybe' }));
    expect(e).toMatchObject({ kind: 'offline', uncertain: true });
    expect(sim.countByBody('maybe')).toBe(1);
  });

  it('incomplete credentials or a missing sender fail before any request', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    expect(() => createTwilioChannel({ accountSid: ACCOUNT.sid })).toThrow(ChannelError);
    expect(() => createTwilioChannel({ accountSid: KEY.sid, authToken: 'x' })).toThrow(/Account SID/);
    expect((await kindOf(channel({ from: undefined }).send({ to: phone(1), body: 'x' }))).kind).toBe('permanent');
    expect(sim.stats.requests).toBe(0);
  });
});

describe('twilio channel: list, account, media', () => {
  it('iterates every page, filtered by To / From / date and by direction', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now, delays: { sentMs: 0, deliveredMs: 0 } });
    const ch = channel();
    for (let i = 0; i < 75; i++) {
      await ch.send({ to: phone(i % 3), body: `m${i}` });
      clock.advance(1_000);
    }
    const cutoff = new Date(clock.now());
    for (let i = 0; i < 5; i++) sim.injectInbound({ from: phone(1), to: CLINIC, body: `in${i}` });

    const all: string[] = [];
    for await (const m of ch.list({ pageSize: 20 })) all.push(m.body);
    expect(all).toHaveLength(80);
    expect(sim.stats.requests).toBeGreaterThanOrEqual(75 + 4);

    const toOne: string[] = [];
    for await (const m of ch.list({ to: phone(1), pageSize: 10, direction: 'outbound' })) toOne.push(m.body);
    expect(toOne).toHaveLength(25);

    const recentInbound: string[] = [];
    for await (const m of ch.list({ dateSentAfter: cutoff, direction: 'inbound', pageSize: 2 })) recentInbound.push(m.body);
    expect(recentInbound.sort()).toEqual(['in0', 'in1', 'in2', 'in3', 'in4']);
  });

  it('fetchAccount works with the auth token and with a Standard API key', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    expect(await channel().fetchAccount()).toEqual({ sid: ACCOUNT.sid, friendlyName: 'Larkspur Vet', status: 'active' });
    const viaKey = await channel({ authToken: undefined, apiKey: KEY.sid, apiSecret: KEY.secret }).fetchAccount();
    expect(viaKey).toMatchObject({ sid: ACCOUNT.sid, status: 'active' });
  });

  it('lists and downloads two images of an inbound MMS (credentials only to the API, not the CDN)', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const ch = channel({ authToken: undefined, apiKey: KEY.sid, apiSecret: KEY.secret });
    const inbound = sim.injectInbound({
      from: phone(7),
      to: CLINIC,
      body: 'Photos',
      media: [
        { contentType: 'image/png', bytes: PNG },
        { contentType: 'image/jpeg', bytes: JPEG },
      ],
    });
    const refs = await ch.listMedia(inbound.sid);
    expect(refs.map((r) => r.contentType)).toEqual(['image/png', 'image/jpeg']);
    const files = await Promise.all(refs.map((r) => ch.downloadMedia(r.url)));
    expect(files[0]!.contentType).toBe('image/png');
    expect(files[0]!.bytes.equals(PNG)).toBe(true);
    expect(files[1]!.bytes.equals(JPEG)).toBe(true);
    // The URL Twilio would hand out (api.twilio.com) is moved onto the configured base URL.
    const twilioUrl = refs[1]!.url.replace(sim.url, 'https://api.twilio.com');
    expect((await ch.downloadMedia(twilioUrl)).bytes.equals(JPEG)).toBe(true);
    const wrong = await kindOf(channel({ authToken: 'wrong' }).downloadMedia(refs[0]!.url));
    expect(wrong.kind).toBe('auth');
    await sim.setOffline(true);
    expect((await kindOf(ch.downloadMedia(refs[0]!.url))).kind).toBe('offline');
  });
});
