import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelStatus } from '../../../src-main/contract';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { countByStatus, openDesk, phone, sms, statusOf, twilioFor, until, type Desk } from './helpers';

let sim: TwilioSim | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await sim?.close();
  desk = sim = undefined;
});

const row = (d: Desk, id: number) => d.core.outbox.get(id)!;
const events = (d: Desk, id: number) =>
  d.core.db.prepare<[number], { to_status: string; code: string | null; detail: string | null }>('SELECT to_status, code, detail FROM message_events WHERE message_id = ? ORDER BY id').all(id);

describe('Twilio error classes', () => {
  it('21610: records the carrier opt-out in the consent ledger, fails without retry, withdraws the next text', async () => {
    sim = await startTwilioSim();
    const to = phone(1);
    sim.optOut(to);
    desk = await openDesk({ sim });
    const [id] = desk.core.outbox.enqueue([sms(to, 'Rabies vaccine due')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'failed', 'failed');
    const r = row(desk, id!);
    expect(r.error_code).toBe('21610');
    expect(r.attempts).toBe(1);
    expect(desk.core.consent.isOptedOut(to, 'sms')).toBe(true);
    expect(desk.core.consent.latest(to, 'sms')?.source).toBe('carrier-21610');

    const [next] = desk.core.outbox.enqueue([sms(to, 'Second text')]).ids;
    await until(() => statusOf(desk!.core, next!) === 'withdrawn', 'withdrawn');
    expect(row(desk, next!).wait_reason).toMatch(/opted out/);
    // Only the first attempt reached Twilio.
    expect(sim.stats.byCode[21610]).toBe(1);
    expect(sim.outbound()).toHaveLength(0);
  });

  it('21211: marks the number invalid and fails without retry', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim });
    const bad = '+15005550001'; // Twilio's documented "invalid To" test number
    const [id] = desk.core.outbox.enqueue([sms(bad, 'Hello')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'failed', 'failed');
    expect(row(desk, id!).error_code).toBe('21211');
    const flag = desk.core.db.prepare('SELECT flag, code FROM address_flags WHERE address = ?').all(bad);
    expect(flag).toEqual([{ flag: 'invalid', code: '21211' }]);
    const [again] = desk.core.outbox.enqueue([sms(bad, 'Hello again')]).ids;
    await until(() => statusOf(desk!.core, again!) === 'withdrawn', 'withdrawn');
    expect(sim.stats.byCode[21211]).toBe(1);
  });

  it('21614: marks the number as not mobile and fails without retry', async () => {
    sim = await startTwilioSim();
    const landline = phone(2);
    sim.landline(landline);
    desk = await openDesk({ sim });
    const [id] = desk.core.outbox.enqueue([sms(landline, 'Hello')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'failed', 'failed');
    expect(row(desk, id!).error_code).toBe('21614');
    expect(desk.core.db.prepare('SELECT flag FROM address_flags WHERE address = ?').all(landline)).toEqual([{ flag: 'not-mobile' }]);
    expect(sim.stats.byCode[21614]).toBe(1);
  });

  it('20003: pauses the channel, keeps the queue, tells the desk; new credentials resume it', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, twilio: { authToken: 'wrong-token' } });
    const statuses: ChannelStatus[][] = [];
    desk.core.events.on('channel.status', (s) => statuses.push(s));
    const ids = desk.core.outbox.enqueue([sms(phone(3), 'One'), sms(phone(4), 'Two'), sms(phone(5), 'Three')]).ids;
    await until(() => ids.every((id) => statusOf(desk!.core, id) === 'waiting'), 'all waiting');
    for (const id of ids) expect(row(desk, id).wait_reason).toMatch(/^channel-paused: Twilio refused the credentials/);
    expect(countByStatus(desk.core).failed).toBeUndefined();
    const state = desk.core.db.prepare<[], { state: string; reason: string }>("SELECT state, reason FROM channel_state WHERE channel = 'sms'").get()!;
    expect(state.state).toBe('paused');
    expect(state.reason).toMatch(/Account SID and Auth Token/);
    expect(statuses.some((s) => s.find((c) => c.channel === 'sms')?.state === 'paused')).toBe(true);
    const desk1 = (await desk.call('system.status')) as { channels: ChannelStatus[] };
    expect(desk1.channels.find((c) => c.channel === 'sms')).toMatchObject({ state: 'paused' });
    // Attempts refused for credentials are not counted against the message.
    for (const id of ids) expect(row(desk, id).attempts).toBe(0);

    await desk.call('settings.saveTwilio', twilioFor(sim));
    await until(() => countByStatus(desk!.core).sent === 3, 'sent after fixing credentials');
    expect(sim.outbound()).toHaveLength(3);
    expect(desk.core.db.prepare("SELECT * FROM channel_state WHERE channel = 'sms'").get()).toBeUndefined();
  });

  it('5xx: retries with backoff after checking Twilio, and the text goes out exactly once', async () => {
    sim = await startTwilioSim();
    sim.failNext(3, { status: 500, only: 'create' });
    desk = await openDesk({ sim });
    const [id] = desk.core.outbox.enqueue([sms(phone(6), 'Server trouble')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent');
    expect(sim.countByBody('Server trouble')).toBe(1);
    expect(sim.stats.serverErrors).toBe(3);
    const ev = events(desk, id!);
    expect(ev.filter((e) => /look it up/.test(e.detail ?? ''))).toHaveLength(3);
    expect(ev.filter((e) => /not found at Twilio/.test(e.detail ?? ''))).toHaveLength(3);
  });

  it('503 on every request for a while: waits and retries, never fails', async () => {
    sim = await startTwilioSim();
    sim.failNext(6, { status: 503, only: 'any' });
    desk = await openDesk({ sim });
    const ids = desk.core.outbox.enqueue([sms(phone(7), 'A'), sms(phone(8), 'B')]).ids;
    await until(() => ids.every((id) => statusOf(desk!.core, id) === 'sent'), 'sent');
    expect(sim.countByBody('A') + sim.countByBody('B')).toBe(2);
  });

  it('429 / 20429: slows down and retries with backoff, never fails a message', async () => {
    sim = await startTwilioSim({ rateLimit: { messagesPerSecond: 40, burst: 5 } });
    desk = await openDesk({ sim, outbox: { concurrency: { sms: 8 } } });
    const ids = desk.core.outbox.enqueue(Array.from({ length: 60 }, (_, i) => sms(phone(100 + i), `Burst ${i}`))).ids;
    await until(() => countByStatus(desk!.core).sent === 60, 'all sent', 1000);
    expect(sim.stats.rateLimited).toBeGreaterThan(0);
    expect(sim.outbound()).toHaveLength(60);
    const waited = desk.core.db.prepare<[], { n: number }>("SELECT COUNT(DISTINCT message_id) n FROM message_events WHERE detail = 'rate-limited'").get()!.n;
    expect(waited).toBeGreaterThan(0);
    for (const id of ids) expect(row(desk, id).status).toBe('sent');
  });

  it('a lost answer after Twilio created the message: found in the list, not sent again', async () => {
    sim = await startTwilioSim();
    sim.dropAfterCreate(1);
    desk = await openDesk({ sim });
    const [id] = desk.core.outbox.enqueue([sms(phone(9), 'Answer lost')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent');
    expect(sim.countByBody('Answer lost')).toBe(1);
    expect(row(desk, id!).provider_id).toBe(sim.outbound()[0]!.sid);
    expect(events(desk, id!).some((e) => /found at Twilio/.test(e.detail ?? ''))).toBe(true);
  });

  it('a request that times out is looked up only after it could have landed, then not repeated', async () => {
    sim = await startTwilioSim();
    sim.setLatency(800);
    desk = await openDesk({ sim, outbox: { twilioTimeoutMs: 300, reconcileGraceMs: 1500 } });
    const [id] = desk.core.outbox.enqueue([sms(phone(10), 'Slow Twilio')]).ids;
    await until(() => row(desk!, id!).attempts === 1 && row(desk!, id!).claim_id === null, 'orphaned after the timeout');
    sim.setLatency(0);
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent');
    expect(sim.countByBody('Slow Twilio')).toBe(1);
  });
});
