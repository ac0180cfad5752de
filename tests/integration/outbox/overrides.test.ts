import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { CLINIC } from '../../helpers/settings-fixtures';
import { openDesk, phone, sms, statusOf, until, type Desk } from './helpers';

// CLINIC: America/Los_Angeles, quiet hours 09:00-20:00. Tue 2025-03-11 is PDT (UTC-7).
const AT_0700 = '2025-03-11T14:00:00Z';
const AT_2030 = '2025-03-12T03:30:00Z';
const AT_2230 = '2025-03-12T05:30:00Z';

let sim: TwilioSim | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await sim?.close();
  desk = sim = undefined;
});

async function deskAt(iso: string) {
  sim = await startTwilioSim();
  const clock = fixedClock(iso);
  desk = await openDesk({ sim, clock, clinic: CLINIC });
  const [normal, override, emergency] = desk.core.outbox.enqueue([
    sms(phone(1), 'Normal reply', { kind: 'reply' }),
    sms(phone(2), 'Override reply', { kind: 'reply', meta: { overrideQuietHours: true } }),
    sms(phone(3), 'Emergency alert', { kind: 'alert', meta: { emergencyOverride: true, overrideQuietHours: true } }),
  ]).ids as [number, number, number];
  return { clock, normal, override, emergency, get: (id: number) => desk!.core.outbox.get(id)! };
}

describe('dispatcher: per-message window overrides in meta', () => {
  it('07:00: a normal reply waits for 09:00, an override reply for the legal 08:00; an emergency goes', async () => {
    const t = await deskAt(AT_0700);
    await until(() => statusOf(desk!.core, t.emergency) === 'sent' && statusOf(desk!.core, t.override) === 'waiting' && statusOf(desk!.core, t.normal) === 'waiting');
    expect(t.get(t.normal)).toMatchObject({ wait_reason: 'quiet-hours', next_attempt_at: '2025-03-11T16:00:00.000Z' });
    expect(t.get(t.override)).toMatchObject({ wait_reason: 'quiet-hours', next_attempt_at: '2025-03-11T15:00:00.000Z' });
    expect(sim!.outbound().map((m) => m.body)).toEqual(['Emergency alert']);
    t.clock.set('2025-03-11T15:00:00Z'); // 08:00: legal, still the clinic's quiet hours
    await until(() => statusOf(desk!.core, t.override) === 'sent', 'override sent at 08:00');
    expect(statusOf(desk!.core, t.normal)).toBe('waiting');
  });

  it('20:30 (clinic quiet hours began at 20:00): the override reply goes, the normal one waits', async () => {
    const t = await deskAt(AT_2030);
    await until(() => statusOf(desk!.core, t.override) === 'sent' && statusOf(desk!.core, t.emergency) === 'sent');
    await until(() => statusOf(desk!.core, t.normal) === 'waiting');
    expect(t.get(t.normal)).toMatchObject({ wait_reason: 'quiet-hours', next_attempt_at: '2025-03-12T16:00:00.000Z' });
    expect(sim!.outbound().map((m) => m.body).sort()).toEqual(['Emergency alert', 'Override reply']);
  });

  it('22:30: only the emergency goes; the override reply waits for 08:00 (never outside the legal window)', async () => {
    const t = await deskAt(AT_2230);
    await until(() => statusOf(desk!.core, t.emergency) === 'sent' && statusOf(desk!.core, t.override) === 'waiting' && statusOf(desk!.core, t.normal) === 'waiting');
    expect(t.get(t.override).next_attempt_at).toBe('2025-03-12T15:00:00.000Z');
    expect(t.get(t.normal).next_attempt_at).toBe('2025-03-12T16:00:00.000Z');
    expect(t.get(t.emergency).wait_reason).toBeNull();
    expect(sim!.outbound().map((m) => m.body)).toEqual(['Emergency alert']);
  });

  it('malformed meta is treated as no override and does not stop the queue', async () => {
    const t = await deskAt(AT_2230);
    desk!.core.db.prepare("UPDATE messages SET meta = '{not json' WHERE id = ?").run(t.override);
    await until(() => statusOf(desk!.core, t.emergency) === 'sent' && statusOf(desk!.core, t.override) === 'waiting');
    expect(t.get(t.override).next_attempt_at).toBe('2025-03-12T16:00:00.000Z');
  });
});

describe('dispatcher: HELP answers reach opted-out numbers', () => {
  it('sends the HELP auto-reply to an opted-out number but withdraws any other reply to it', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, clock: fixedClock('2025-03-11T18:00:00Z'), clinic: CLINIC }); // 11:00 local
    const to = phone(7);
    desk.core.consent.record({ address: to, channel: 'sms', status: 'opt-out', source: 'keyword', detail: 'STOP' });
    const [help, other] = desk.core.outbox.enqueue([
      sms(to, 'Clinic help text', { kind: 'reply', createdBy: 'auto', meta: { auto: 'help', overrideQuietHours: true } }),
      sms(to, 'Confirmed, thanks', { kind: 'reply', createdBy: 'auto', meta: { auto: 'confirm-ack' } }),
    ]).ids as [number, number];
    await until(() => statusOf(desk!.core, help) === 'sent' && statusOf(desk!.core, other) === 'withdrawn');
    expect(sim.outbound().map((m) => m.body)).toEqual(['Clinic help text']);
  });
});
