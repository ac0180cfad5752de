import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { alertInput, campaignEnv } from './helpers';

const local = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('America/Los_Angeles').toFormat("yyyy-MM-dd'T'HH:mm");

describe('scheduling in clinic-local time', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });

  const scheduled = (now: string, at: string) => {
    env = campaignEnv(now);
    for (let i = 0; i < 3; i++) env.f.household({ pets: [{}] });
    const c = env.h['campaigns.create'](alertInput());
    return env.h['campaigns.schedule']({ id: c.id, at, by: 'Maria' });
  };

  it('across the spring-forward change: scheduled on PST for 10:00 PDT, it starts at 17:00Z, not 18:00Z', async () => {
    // Friday 2026-03-06 12:00 PST; clocks go forward on Sunday 2026-03-08.
    const c = scheduled('2026-03-06T20:00:00.000Z', '2026-03-09T10:00');
    expect(c.status).toBe('scheduled');
    expect(c.scheduledLocal).toBe('2026-03-09T10:00');
    expect(c.sendAt).toBe('2026-03-09T17:00:00.000Z');

    env.clock.set('2026-03-09T16:59:00.000Z');
    env.campaigns.tick();
    expect(env.h['campaigns.get']({ id: c.id }).status).toBe('scheduled');
    expect(env.messages(c.id)).toHaveLength(0);

    env.clock.set('2026-03-09T17:00:00.000Z');
    env.campaigns.tick();
    await env.campaigns.settle(c.id);
    const rows = env.messages(c.id);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => local(r.not_before)))).toEqual(new Set(['2026-03-09T10:00']));
    expect(env.h['campaigns.get']({ id: c.id }).log.map((l) => `${l.action}:${l.by ?? ''}`)).toEqual(['created:', 'scheduled:Maria', 'started:schedule', 'enqueued:']);
  });

  it('across the fall-back change: scheduled on PDT for 09:30 PST, it starts at 17:30Z, not 16:30Z', async () => {
    const c = scheduled('2026-10-30T19:00:00.000Z', '2026-11-02T09:30');
    expect(c.sendAt).toBe('2026-11-02T17:30:00.000Z');
    env.clock.set('2026-11-02T16:30:00.000Z');
    env.campaigns.tick();
    expect(env.messages(c.id)).toHaveLength(0);
    env.clock.set('2026-11-02T17:30:00.000Z');
    env.campaigns.tick();
    await env.campaigns.settle(c.id);
    expect(new Set(env.messages(c.id).map((r) => local(r.not_before)))).toEqual(new Set(['2026-11-02T09:30']));
  });

  it('a time the manager typed stays that wall-clock time if the clinic changes its time zone', async () => {
    const c = scheduled('2026-12-01T18:00:00.000Z', '2026-12-03T09:00');
    expect(c.sendAt).toBe('2026-12-03T17:00:00.000Z');
    env.core.settings.saveClinic({ ...env.core.settings.clinic()!, timeZone: 'America/New_York' });
    env.campaigns.tick();
    expect(env.h['campaigns.get']({ id: c.id }).sendAt).toBe('2026-12-03T14:00:00.000Z');
  });

  it('refuses a time already past; unschedule returns it to draft', async () => {
    const c = scheduled('2026-12-01T18:00:00.000Z', '2026-12-02T09:00');
    expect(() => env.h['campaigns.schedule']({ id: c.id, at: '2026-12-01T09:00' })).toThrow(/already passed/);
    expect(() => env.h['campaigns.schedule']({ id: c.id, at: '2026-12-01 09:00' })).toThrow(/date and time/);
    // A year 9999 is a typo, not a plan (its instant even sorted before today as text).
    expect(() => env.h['campaigns.schedule']({ id: c.id, at: '9999-12-31T23:59' })).toThrow(/at most a year ahead/);
    expect(env.h['campaigns.unschedule']({ id: c.id }).status).toBe('draft');
    env.clock.set('2026-12-02T18:00:00.000Z');
    env.campaigns.tick();
    expect(env.messages(c.id)).toHaveLength(0);
  });

  it('a scheduled time inside quiet hours waits for the window (and says so)', async () => {
    const c = scheduled('2026-12-01T18:00:00.000Z', '2026-12-02T06:30');
    expect(c.windowNote).toMatch(/messages wait until Wed Dec 2 at 9:00 AM/);
    env.clock.set('2026-12-02T14:30:00.000Z');
    env.campaigns.tick();
    await env.campaigns.settle(c.id);
    expect(new Set(env.messages(c.id).map((r) => local(r.not_before)))).toEqual(new Set(['2026-12-02T09:00']));
  });
});

describe('emergency override of the 08:00-21:00 window', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });
  // Tuesday 2026-12-01 23:30 in Seattle.
  const NIGHT = '2026-12-02T07:30:00.000Z';

  it('without the override an alert sent at 23:30 waits for the morning window', async () => {
    env = campaignEnv(NIGHT);
    env.f.household({ pets: [{}] });
    const c = env.h['campaigns.create'](alertInput());
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    const rows = env.messages(c.id);
    expect(new Set(rows.map((r) => local(r.not_before)))).toEqual(new Set(['2026-12-02T09:00']));
    expect(rows.every((r) => !JSON.parse(r.meta!).emergencyOverride)).toBe(true);
  });

  it('needs an explicit confirmation; with it the alert goes at once, flagged for the dispatcher', async () => {
    env = campaignEnv(NIGHT);
    env.f.household({ pets: [{}] });
    const c = env.h['campaigns.create'](alertInput({ emergencyOverride: true }));
    expect(c.emergencyOverride).toBe(true);
    expect(() => env.h['campaigns.send']({ id: c.id })).toThrow(expect.objectContaining({ code: 'campaign.override-confirm' }));
    expect(() => env.h['campaigns.send']({ id: c.id, confirmOverride: false })).toThrow(/Confirm that this is an emergency/);
    expect(env.h['campaigns.get']({ id: c.id }).status).toBe('draft');
    expect(env.messages(c.id)).toHaveLength(0);

    env.h['campaigns.send']({ id: c.id, confirmOverride: true, by: 'Dr. Marsh' });
    await env.campaigns.settle(c.id);
    const rows = env.messages(c.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.not_before === NIGHT)).toBe(true);
    expect(rows.every((r) => JSON.parse(r.meta!).emergencyOverride === true)).toBe(true);
    const row = env.campaigns.store.row(c.id);
    expect(row.override_confirmed_by).toBe('Dr. Marsh');
    expect(env.h['campaigns.get']({ id: c.id }).log.find((l) => l.action === 'started')?.detail).toBe('emergency override confirmed');
  });

  it('scheduling an override alert also asks for the confirmation; only alerts may override', async () => {
    env = campaignEnv(NIGHT);
    const c = env.h['campaigns.create'](alertInput({ emergencyOverride: true }));
    expect(() => env.h['campaigns.schedule']({ id: c.id, at: '2026-12-02T05:00' })).toThrow(expect.objectContaining({ code: 'campaign.override-confirm' }));
    // Only a real yes confirms.
    expect(() => env.h['campaigns.schedule']({ id: c.id, at: '2026-12-02T05:00', confirmOverride: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'campaign.override-confirm' }),
    );
    expect(env.h['campaigns.schedule']({ id: c.id, at: '2026-12-02T05:00', confirmOverride: true }).status).toBe('scheduled');
    // The confirmation was for this text and audience: editing the alert asks for it again.
    const edited = env.h['campaigns.update']({ id: c.id, ...alertInput({ emergencyOverride: true, audience: {}, name: 'Storm closure (everyone)' }) });
    expect(edited.status).toBe('draft');
    expect(() => env.h['campaigns.schedule']({ id: c.id, at: '2026-12-02T05:00' })).toThrow(expect.objectContaining({ code: 'campaign.override-confirm' }));
    expect(() => env.h['campaigns.create'](alertInput({ kind: 'marketing', emergencyOverride: true }))).toThrow(
      expect.objectContaining({ fields: { emergencyOverride: expect.stringMatching(/Only an alert/) } }),
    );
  });
});
