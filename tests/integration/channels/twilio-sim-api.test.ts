import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { CLINIC, manualClock, phone, realClient, rejection } from './helpers';

const KEY = { sid: `SK${'1'.repeat(32)}`, secret: 'key-secret' };
const MAIN_KEY = { sid: `SK${'2'.repeat(32)}`, secret: 'main-secret', type: 'main' as const };
const ACCOUNT = { sid: `AC${'a'.repeat(32)}`, authToken: 'token-a', friendlyName: 'Larkspur Vet', apiKeys: [KEY, MAIN_KEY] };

let sim: TwilioSim;
afterEach(async () => {
  await sim?.close();
});

describe('Twilio simulator: Messages create/fetch through the real twilio client', () => {
  it('creates a queued message with every documented resource field', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const client = realClient(sim);
    const m = await client.messages.create({ to: phone(1), from: CLINIC, body: 'Hi from Larkspur' });
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(m.status).toBe('queued');
    expect(m.direction).toBe('outbound-api');
    expect(m.numSegments).toBe('1');
    expect(m.accountSid).toBe(ACCOUNT.sid);

    const res = await fetch(`${sim.url}/2010-04-01/Accounts/${ACCOUNT.sid}/Messages/${m.sid}.json`, {
      headers: { Authorization: 'Basic ' + Buffer.from(`${ACCOUNT.sid}:${ACCOUNT.authToken}`).toString('base64') },
    });
    const json = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(
      [
        'account_sid', 'api_version', 'body', 'date_created', 'date_sent', 'date_updated', 'direction', 'error_code', 'error_message',
        'from', 'messaging_service_sid', 'num_media', 'num_segments', 'price', 'price_unit', 'sid', 'status', 'subresource_uris', 'to', 'uri',
      ].sort(),
    );
    expect(json.api_version).toBe('2010-04-01');
    expect(json.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(json.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT.sid}/Messages/${m.sid}.json`);
    expect(sim.countByBody('Hi from Larkspur')).toBe(1);
  });

  it('moves queued -> sent -> delivered on the clock, with a price once sent', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now, delays: { sentMs: 50, deliveredMs: 100 } });
    const client = realClient(sim);
    const { sid } = await client.messages.create({ to: phone(2), from: CLINIC, body: 'Status please' });
    expect((await client.messages(sid).fetch()).status).toBe('queued');
    clock.advance(60);
    const sent = await client.messages(sid).fetch();
    expect(sent.status).toBe('sent');
    expect(sent.price).toBe('-0.00790');
    expect(sent.dateSent).toBeInstanceOf(Date);
    clock.advance(100);
    expect((await client.messages(sid).fetch()).status).toBe('delivered');
  });

  it.each([30003, 30005, 30006, 30007])('plays delivery failure %i as undelivered with its error code', async (code) => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now });
    sim.failDelivery(phone(3), code);
    const client = realClient(sim);
    const { sid } = await client.messages.create({ to: phone(3), from: CLINIC, body: 'Will not arrive' });
    clock.advance(1_000);
    const m = await client.messages(sid).fetch();
    expect(m.status).toBe('undelivered');
    expect(m.errorCode).toBe(code);
    expect(m.errorMessage).toBeTruthy();
  });

  it('can end in failed instead of undelivered', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now, deliveryFailures: { [phone(4)]: { code: 30008, status: 'failed' } } });
    const client = realClient(sim);
    const { sid } = await client.messages.create({ to: phone(4), from: CLINIC, body: 'x' });
    clock.advance(1_000);
    expect(await client.messages(sid).fetch()).toMatchObject({ status: 'failed', errorCode: 30008 });
  });

  it('answers 404 / 20404 for an unknown message', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const err = await rejection(realClient(sim).messages(`SM${'0'.repeat(32)}`).fetch());
    expect(err.status).toBe(404);
    expect(err.code).toBe(20404);
  });
});

describe('Twilio simulator: authentication', () => {
  it('refuses a wrong auth token with 401 / 20003 in Twilio error JSON', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const err = await rejection(
      realClient(sim, { username: ACCOUNT.sid, password: 'wrong' }).messages.create({ to: phone(1), from: CLINIC, body: 'x' }),
    );
    expect(err.status).toBe(401);
    expect(err.code).toBe(20003);
    expect(err.moreInfo).toBe('https://www.twilio.com/docs/errors/20003');
    expect(sim.outbound()).toHaveLength(0);
  });

  it('accepts an API key + secret for the account, refuses a wrong secret', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const ok = await realClient(sim, { username: KEY.sid, password: KEY.secret }).messages.create({ to: phone(1), from: CLINIC, body: 'key' });
    expect(ok.accountSid).toBe(ACCOUNT.sid);
    const err = await rejection(realClient(sim, { username: KEY.sid, password: 'nope' }).messages.list({ limit: 1 }));
    expect(err.code).toBe(20003);
  });

  it('lets the auth token and a Main key read the account, not a Standard key (as Twilio documents)', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const acct = await realClient(sim).api.v2010.accounts(ACCOUNT.sid).fetch();
    expect(acct).toMatchObject({ sid: ACCOUNT.sid, friendlyName: 'Larkspur Vet', status: 'active', type: 'Full' });
    const main = await realClient(sim, { username: MAIN_KEY.sid, password: MAIN_KEY.secret }).api.v2010.accounts(ACCOUNT.sid).fetch();
    expect(main.sid).toBe(ACCOUNT.sid);
    const err = await rejection(realClient(sim, { username: KEY.sid, password: KEY.secret }).api.v2010.accounts(ACCOUNT.sid).fetch());
    expect(err.code).toBe(20003);
  });

  it("refuses one account's credentials on another account's URL", async () => {
    const other = { sid: `AC${'b'.repeat(32)}`, authToken: 'token-b' };
    sim = await startTwilioSim({ accounts: [ACCOUNT, other] });
    const res = await fetch(`${sim.url}/2010-04-01/Accounts/${other.sid}/Messages.json`, {
      headers: { Authorization: 'Basic ' + Buffer.from(`${ACCOUNT.sid}:${ACCOUNT.authToken}`).toString('base64') },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
  });
});

describe('Twilio simulator: request errors', () => {
  it.each([
    ['2065550101', 21211],
    ['+1206555010', 21211],
    ['+15005550001', 21211],
  ])('refuses To %s with 400 / %i', async (to, code) => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const err = await rejection(realClient(sim).messages.create({ to, from: CLINIC, body: 'x' }));
    expect(err.status).toBe(400);
    expect(err.code).toBe(code);
  });

  it('answers 21610 for an opted-out number, including after an inbound STOP, and lets START undo it', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT], optedOut: [phone(5)] });
    const client = realClient(sim);
    expect((await rejection(client.messages.create({ to: phone(5), from: CLINIC, body: 'x' }))).code).toBe(21610);
    sim.injectInbound({ from: phone(6), to: CLINIC, body: ' stop ' });
    expect((await rejection(client.messages.create({ to: phone(6), from: CLINIC, body: 'x' }))).code).toBe(21610);
    sim.injectInbound({ from: phone(6), to: CLINIC, body: 'START' });
    expect((await client.messages.create({ to: phone(6), from: CLINIC, body: 'welcome back' })).status).toBe('queued');
    sim.optOut(phone(7));
    expect((await rejection(client.messages.create({ to: phone(7), from: CLINIC, body: 'x' }))).code).toBe(21610);
  });

  it('answers 21614 for a landline', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    sim.landline(phone(8));
    const err = await rejection(realClient(sim).messages.create({ to: phone(8), from: CLINIC, body: 'x' }));
    expect([err.status, err.code]).toEqual([400, 21614]);
  });

  it('checks required parameters and the 1,600 character limit', async () => {
    sim = await startTwilioSim({ accounts: [{ ...ACCOUNT, numbers: [CLINIC] }] });
    const client = realClient(sim);
    expect((await rejection(client.messages.create({ to: phone(1), body: 'no sender' }))).code).toBe(21603);
    expect((await rejection(client.messages.create({ to: phone(1), from: CLINIC }))).code).toBe(21602);
    expect((await rejection(client.messages.create({ to: phone(1), from: CLINIC, body: 'a'.repeat(1601) }))).code).toBe(21617);
    expect((await rejection(client.messages.create({ to: phone(1), from: '+12065550111', body: 'x' }))).code).toBe(21606);
    expect((await client.messages.create({ to: phone(1), from: CLINIC, body: 'a'.repeat(1600) })).numSegments).toBe('11');
  });

  it('sends through a Messaging Service: from is empty while queued, the pool number once sent', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [{ ...ACCOUNT, numbers: [CLINIC] }], now: clock.now });
    const client = realClient(sim);
    const mg = `MG${'c'.repeat(32)}`;
    const m = await client.messages.create({ to: phone(1), messagingServiceSid: mg, body: 'via service' });
    expect(m.from).toBeNull();
    expect(m.messagingServiceSid).toBe(mg);
    clock.advance(1_000);
    expect((await client.messages(m.sid).fetch()).from).toBe(CLINIC);
  });

  it('answers 20429 / HTTP 429 past the message rate, and again accepts once the bucket refills', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now, rateLimit: { messagesPerSecond: 2 } });
    const client = realClient(sim);
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'one' });
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'two' });
    const err = await rejection(client.messages.create({ to: phone(1), from: CLINIC, body: 'three' }));
    expect([err.status, err.code]).toEqual([429, 20429]);
    expect(sim.stats.rateLimited).toBe(1);
    expect(sim.countByBody('three')).toBe(0);
    clock.advance(500);
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'three' });
    expect(sim.countByBody('three')).toBe(1);
  });

  it('counts segments, not messages, when limited in segments per second', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now, rateLimit: { segmentsPerSecond: 3 } });
    const client = realClient(sim);
    const twoSegments = 'x'.repeat(200);
    await client.messages.create({ to: phone(1), from: CLINIC, body: twoSegments });
    expect((await rejection(client.messages.create({ to: phone(1), from: CLINIC, body: twoSegments }))).code).toBe(20429);
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'one segment fits' });
    clock.advance(1_000);
    await client.messages.create({ to: phone(1), from: CLINIC, body: twoSegments });
    expect(sim.stats.rateLimited).toBe(1);
  });

  it('fails the next n requests with 500 / 20500 when told to, and only creates when asked', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const client = realClient(sim);
    sim.failNext(2);
    expect((await rejection(client.messages.list({ limit: 1 }))).status).toBe(500);
    const err = await rejection(client.messages.create({ to: phone(1), from: CLINIC, body: 'x' }));
    expect([err.status, err.code]).toEqual([500, 20500]);
    expect(sim.outbound()).toHaveLength(0);
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'x' });

    sim.failNext(1, { only: 'create', status: 503 });
    await client.messages.list({ limit: 1 });
    expect((await rejection(client.messages.create({ to: phone(1), from: CLINIC, body: 'y' }))).status).toBe(503);
    expect(sim.stats.serverErrors).toBe(3);
  });
});

describe('Twilio simulator: segments as Twilio counts them', () => {
  it.each([
    ['a'.repeat(160), 1],
    ['a'.repeat(161), 2],
    ['a'.repeat(306), 2],
    ['a'.repeat(307), 3],
    ['é'.repeat(160), 1], // é is in GSM-7's basic set
    ['€'.repeat(80), 1], // extension characters take two septets
    ['€'.repeat(81), 2],
    ['a'.repeat(152) + '€', 1],
    ['a'.repeat(152) + '€' + 'a'.repeat(10), 2],
    ['ó'.repeat(70), 1], // ó is not GSM-7: UCS-2
    ['ó'.repeat(71), 2],
    ['Rex is due 🐶', 1],
    ['a'.repeat(69) + '🐶', 2], // the emoji is two UTF-16 units
    ['a'.repeat(66) + '🐶' + 'a'.repeat(10), 2], // a surrogate pair never splits across parts
    ['“Hi”', 1],
  ])('%#: num_segments', async (body, segments) => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const m = await realClient(sim).messages.create({ to: phone(1), from: CLINIC, body });
    expect(Number(m.numSegments)).toBe(segments);
  });
});
