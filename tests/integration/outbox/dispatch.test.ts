import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelStatus, DrainProgress } from '../../../src-main/contract';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { CLINIC } from '../../helpers/settings-fixtures';
import { startSmtpServer, type SmtpDouble } from '../../doubles/smtp';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { countByStatus, email, FROM, openDesk, phone, sms, statusOf, twilioFor, until, type Desk } from './helpers';

let sim: TwilioSim | undefined;
let smtp: SmtpDouble | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await sim?.close();
  await smtp?.close();
  desk = sim = smtp = undefined;
});

describe('dispatcher: sends what is due through the real clients', () => {
  it('sends queued texts and emails once each and records provider ids', async () => {
    sim = await startTwilioSim();
    smtp = await startSmtpServer();
    desk = await openDesk({ sim, smtp });
    const { core } = desk;
    const r = core.outbox.enqueue([
      ...Array.from({ length: 20 }, (_, i) => sms(phone(i), `Hello owner ${i}`)),
      ...Array.from({ length: 5 }, (_, i) => email(`owner${i}@example.com`, `Subject ${i}`, `Body ${i}`)),
    ]);
    expect(r.inserted).toBe(25);
    await until(() => countByStatus(core).sent === 25, 'all sent');
    expect(sim.outbound()).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect(sim.countByBody(`Hello owner ${i}`)).toBe(1);
    expect(smtp.mails).toHaveLength(5);
    const row = core.db.prepare<[], { provider_id: string; sent_from: string; attempts: number }>("SELECT * FROM messages WHERE channel = 'sms' LIMIT 1").get()!;
    expect(row.provider_id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sim.find(row.provider_id)?.from).toBe(FROM);
    expect(row.attempts).toBe(1);
  });
});

describe('dispatcher: what waits, what goes first, what never goes', () => {
  it('drains in priority order: alerts, replies, appointments, reminders, marketing', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, start: false, outbox: { concurrency: { sms: 1 } } });
    const kinds = ['marketing', 'reminder', 'appointment', 'reply', 'alert'] as const;
    desk.core.outbox.enqueue(kinds.flatMap((kind) => [0, 1].map((i) => sms(phone(i), `${kind} ${i}`, { kind }))));
    desk.core.start();
    await until(() => countByStatus(desk!.core).sent === 10, 'all sent');
    expect(sim.outbound().map((m) => m.body)).toEqual([
      'alert 0', 'alert 1', 'reply 0', 'reply 1', 'appointment 0', 'appointment 1', 'reminder 0', 'reminder 1', 'marketing 0', 'marketing 1',
    ]);
  });

  it('quiet hours: a text due at 22:30 waits (not fails) until 09:00 clinic time', async () => {
    sim = await startTwilioSim();
    const clock = fixedClock('2025-03-11T05:30:00Z'); // Mon 22:30 in Seattle (PDT)
    desk = await openDesk({ sim, clock, clinic: CLINIC });
    const [id] = desk.core.outbox.enqueue([sms(phone(1), 'Late alert')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'waiting', 'waiting');
    const r = desk.core.outbox.get(id!)!;
    expect(r.wait_reason).toBe('quiet-hours');
    expect(r.next_attempt_at).toBe('2025-03-11T16:00:00.000Z');
    expect(sim.outbound()).toHaveLength(0);
    clock.set('2025-03-11T16:00:00Z');
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent at 09:00');
  });

  it('opening hours hold reminders and marketing; alerts only need the quiet-hours window', async () => {
    sim = await startTwilioSim();
    const clock = fixedClock('2025-03-10T16:30:00Z'); // Mon 09:30 PDT
    const clinic = { ...CLINIC, openingHours: { ...CLINIC.openingHours, mon: { open: '10:00', close: '18:00' } } };
    desk = await openDesk({ sim, clock, clinic });
    const [alert, reminder] = desk.core.outbox.enqueue([sms(phone(1), 'Alert now'), sms(phone(2), 'Reminder later', { kind: 'reminder' })]).ids;
    await until(() => statusOf(desk!.core, alert!) === 'sent' && statusOf(desk!.core, reminder!) === 'waiting', 'alert sent, reminder waiting');
    expect(desk.core.outbox.get(reminder!)!.next_attempt_at).toBe('2025-03-10T17:00:00.000Z');
    clock.set('2025-03-10T17:00:00Z');
    await until(() => statusOf(desk!.core, reminder!) === 'sent', 'reminder sent at opening');
  });

  it('waits with a reason while the clinic profile or Twilio is not set up', async () => {
    desk = await openDesk({ clinic: null });
    const [id] = desk.core.outbox.enqueue([sms(phone(1), 'Nowhere to go')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'waiting', 'waiting');
    expect(desk.core.outbox.get(id!)!.wait_reason).toMatch(/^not-configured: the clinic profile/);
    await desk.call('settings.saveClinic', CLINIC);
    await until(() => /^not-configured: Twilio is not set up/.test(desk!.core.outbox.get(id!)!.wait_reason ?? ''), 'waiting for Twilio');
    const s = (await desk.call('system.status')) as { channels: ChannelStatus[] };
    expect(s.channels.find((c) => c.channel === 'sms')).toMatchObject({ state: 'not-configured' });
    expect(desk.core.outbox.get(id!)!.status).toBe('waiting');
  });

  it('checks consent and address flags at send time, and expires what is past its validity', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, start: false });
    const { core } = desk;
    const [optedOut, promo, alertSameNumber, expired, flagged] = core.outbox.enqueue([
      sms(phone(1), 'To an opted-out owner'),
      sms(phone(2), 'Promo', { kind: 'marketing' }),
      sms(phone(2), 'Alert to the same owner'),
      sms(phone(3), 'Appointment was yesterday', { kind: 'appointment', expiresAt: new Date(Date.now() - 1000) }),
      sms(phone(4), 'To a landline'),
    ]).ids;
    core.consent.record({ address: phone(1), channel: 'sms', status: 'opt-out', source: 'keyword' });
    core.consent.record({ address: phone(2), channel: 'sms', purpose: 'marketing', status: 'opt-out', source: 'staff' });
    core.db.prepare("INSERT INTO address_flags (address, flag, code, at) VALUES (?, 'not-mobile', '21614', ?)").run(phone(4), new Date().toISOString());
    core.start();
    await until(() => statusOf(core, alertSameNumber!) === 'sent', 'alert sent');
    await until(() => statusOf(core, expired!) === 'expired', 'expired');
    expect(statusOf(core, optedOut!)).toBe('withdrawn');
    expect(core.outbox.get(optedOut!)!.wait_reason).toBe('The owner opted out of texts');
    expect(statusOf(core, promo!)).toBe('withdrawn');
    expect(core.outbox.get(promo!)!.wait_reason).toBe('The owner opted out of marketing texts');
    expect(statusOf(core, flagged!)).toBe('withdrawn');
    expect(sim.outbound().map((m) => m.body)).toEqual(['Alert to the same owner']);
  });

  it('keeps the sender at its rate, counting segments, without a single 429', async () => {
    sim = await startTwilioSim({ rateLimit: { segmentsPerSecond: 12 } });
    desk = await openDesk({ sim, twilio: { customRate: 12 }, outbox: { rate: undefined } });
    const long = 'Your pet is due for a dental check. '.repeat(10).trim(); // 3 GSM-7 segments
    desk.core.outbox.enqueue([
      ...Array.from({ length: 10 }, (_, i) => sms(phone(i), `Short ${i}`)),
      ...Array.from({ length: 4 }, (_, i) => sms(phone(20 + i), `${long} ${i}`)),
    ]);
    await until(() => countByStatus(desk!.core).sent === 14, 'all sent', 1000);
    expect(sim.stats.rateLimited).toBe(0);
    expect(sim.outbound().reduce((n, m) => n + m.numSegments, 0)).toBe(22);
    const segs = desk.core.db.prepare<[], { s: number }>("SELECT SUM(segments) s FROM messages").get()!.s;
    expect(segs).toBe(22);
  });

  it('rebuilds the channel when the settings change', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim });
    const [a] = desk.core.outbox.enqueue([sms(phone(1), 'From the old number')]).ids;
    await until(() => statusOf(desk!.core, a!) === 'sent', 'sent');
    await desk.call('settings.saveTwilio', twilioFor(sim, { fromNumber: '+12065550177' }));
    const [b] = desk.core.outbox.enqueue([sms(phone(2), 'From the new number')]).ids;
    await until(() => statusOf(desk!.core, b!) === 'sent', 'sent');
    expect(sim.outbound().map((m) => m.from)).toEqual([FROM, '+12065550177']);
    expect(desk.core.outbox.get(b!)!.sent_from).toBe('+12065550177');
  });
});

describe('outbox API', () => {
  it('lists waiting and failed messages with reasons, retries and cancels, counts and reports progress', async () => {
    sim = await startTwilioSim();
    sim.landline(phone(2));
    const progress: DrainProgress[] = [];
    desk = await openDesk({ sim, start: false });
    desk.core.events.on('outbox.progress', (p) => progress.push(p));
    const { core } = desk;
    const [ok, bad, later] = core.outbox.enqueue([
      sms(phone(1), 'Goes out'),
      sms(phone(2), 'Landline'),
      sms(phone(3), 'Tomorrow', { notBefore: new Date(Date.now() + 86_400_000) }),
    ]).ids;
    core.start();
    await until(() => statusOf(core, ok!) === 'sent' && statusOf(core, bad!) === 'failed', 'settled');

    const failed = await desk.call('outbox.list', { view: 'failed' });
    expect(failed.total).toBe(1);
    expect(failed.items[0]).toMatchObject({ id: bad, status: 'failed', errorCode: '21614', canRetry: false, canCancel: false });
    expect(failed.items[0].why).toMatch(/landline/i);
    const scheduled = await desk.call('outbox.list', { view: 'scheduled' });
    expect(scheduled.items.map((i: { id: number }) => i.id)).toEqual([later]);
    const counts = await desk.call('outbox.counts');
    expect(counts.byStatus).toMatchObject({ sent: 1, failed: 1, queued: 1 });
    expect(counts.failedToday).toBe(1);

    const detail = await desk.call('outbox.get', { id: bad });
    expect(detail.events.map((e: { to: string }) => e.to)).toEqual(['queued', 'sending', 'failed']);

    expect(await desk.call('outbox.cancel', { ids: [later, ok] })).toEqual({ cancelled: 1 });
    expect(statusOf(core, later!)).toBe('cancelled');

    sim.clearDeliveryFailure(phone(2));
    core.db.prepare('DELETE FROM address_flags').run();
    expect(await desk.call('outbox.retry', { ids: [bad, ok] })).toEqual({ retried: 1 });
    // The simulator still answers 21614 for that number: fails again, proving the retry really went out.
    await until(() => statusOf(core, bad!) === 'failed' && core.outbox.get(bad!)!.attempts === 1, 'failed again');
    expect(sim.stats.byCode[21614]).toBe(2);

    await until(() => progress.some((p) => !p.active), 'drain finished');
    expect(progress.at(-1)).toMatchObject({ active: false, remaining: 0 });
    expect(progress.some((p) => p.done >= 1)).toBe(true);
    await until(async () => !(await desk!.call('outbox.progress')).active, 'the retry drain finished too');
  });
});
