import { afterEach, describe, expect, it } from 'vitest';
import type { PlanSummary } from '../../../src-main/contract';
import { createPlanScheduler } from '../../../src-main/core/reminders/scheduler';
import type { Planner, RunOptions } from '../../../src-main/core/reminders/runner';
import { atLocal, localDate, nextDailyRun } from '../../../src-main/core/schedule/local-time';
import { isInsideWindow } from '../../../src-main/core/schedule/send-window';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { createEventBus } from '../../../src-main/core/shared/events';
import { silentLogger } from '../../../src-main/core/shared/log';
import { testCore } from '../../helpers/core';
import { CLINIC } from '../../helpers/settings-fixtures';
import { plannerWorld, type PlannerWorld } from './helpers';

const TZ = 'America/Los_Angeles';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Ticks a scheduler every 10 minutes from `from` to `to` and returns the instants it planned at. */
async function simulate(planTime: string, from: string, to: string): Promise<Date[]> {
  const clock = fixedClock(from);
  const t = testCore({ clock });
  cleanups.push(t.cleanup);
  t.core.settings.saveClinic(CLINIC);
  t.core.settings.setGeneral({ planTime });
  const runs: Date[] = [];
  const planner = { run: (_o: RunOptions) => (runs.push(clock.now()), {} as PlanSummary) } as unknown as Planner;
  const s = createPlanScheduler({ planner, settings: t.core.settings, clock, events: createEventBus(), log: silentLogger });
  while (clock.now().getTime() < new Date(to).getTime()) {
    s.tick();
    clock.advance(10 * 60_000);
  }
  return runs;
}

const local = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

describe('daily plan schedule across DST', () => {
  it('runs a 02:30 plan exactly once on the spring-forward day (02:30 does not exist: it runs at 03:30)', async () => {
    const runs = await simulate('02:30', '2026-03-07T08:00:00Z', '2026-03-10T08:00:00Z');
    expect(runs.map(local)).toEqual(['2026-03-07, 02:30', '2026-03-08, 03:30', '2026-03-09, 02:30']);
  });

  it('runs a 01:30 plan exactly once on the fall-back day (01:30 happens twice)', async () => {
    const runs = await simulate('01:30', '2026-10-31T07:00:00Z', '2026-11-03T09:00:00Z');
    expect(runs.map((d) => localDate(d, TZ))).toEqual(['2026-10-31', '2026-11-01', '2026-11-02']);
    expect(runs[1].toISOString()).toBe('2026-11-01T08:30:00.000Z'); // the first 01:30 (PDT)
  });

  it('keeps 21:00 at 21:00 local on both sides of spring-forward and fall-back', async () => {
    const spring = await simulate('21:00', '2026-03-07T08:00:00Z', '2026-03-10T08:00:00Z');
    expect(spring.map(local)).toEqual(['2026-03-07, 21:00', '2026-03-08, 21:00', '2026-03-09, 21:00']);
    expect(spring.map((d) => d.toISOString())).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z']);
    const fall = await simulate('21:00', '2026-10-31T07:00:00Z', '2026-11-03T09:00:00Z');
    expect(fall.map(local)).toEqual(['2026-10-31, 21:00', '2026-11-01, 21:00', '2026-11-02, 21:00']);
  });

  it('nextDailyRun names one instant per local day', () => {
    let t = new Date('2026-03-07T12:00:00Z');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      t = nextDailyRun(t, '02:30', TZ);
      seen.push(local(t));
    }
    expect(seen).toEqual(['2026-03-08, 03:30', '2026-03-09, 02:30', '2026-03-10, 02:30', '2026-03-11, 02:30']);
    expect(atLocal('2026-11-01', '01:30', TZ).toISOString()).toBe('2026-11-01T08:30:00.000Z');
  });

  it('catches up once when the desk starts after the plan time, and plans after an import', async () => {
    const clock = fixedClock('2026-12-01T19:00:00Z'); // 11:00 local, plan time 07:00 passed
    const t = testCore({ clock });
    cleanups.push(t.cleanup);
    t.core.settings.saveClinic(CLINIC);
    const triggers: string[] = [];
    const planner = { run: (o: RunOptions) => (triggers.push(o.trigger), {} as PlanSummary) } as unknown as Planner;
    const events = createEventBus();
    const s = createPlanScheduler({ planner, settings: t.core.settings, clock, events, log: silentLogger, intervalMs: 3_600_000 });
    s.start();
    expect(triggers).toEqual(['schedule']);
    expect(s.tick()).toBe(false);
    (events as unknown as { emit(n: string, p: unknown): void }).emit('imports.finished', { status: 'ok' });
    await new Promise((r) => setTimeout(r, 1200));
    s.stop();
    expect(triggers).toEqual(['schedule', 'import']);
  });
});

describe('quiet hours', () => {
  let w: PlannerWorld;
  afterEach(async () => {
    await w?.cleanup();
  });

  it('defers messages planned in quiet hours to the next window; they wait queued, never fail or expire', async () => {
    w = await plannerWorld({ now: '2026-12-05T06:30:00Z' }); // Friday 22:30 local
    w.f.household({ pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-12-10' }] }] });
    const h = w.f.household({ pets: [{ name: 'Visit' }] });
    w.f.appointment({ patientId: h.pets[0].id, start: '2026-12-08T11:00' });
    const s = await w.plan();
    expect(s.asOf).toBe('2026-12-04');
    const msgs = w.messages();
    expect(msgs.length).toBe(3);
    for (const m of msgs) {
      expect(m.status).toBe('queued');
      expect(isInsideWindow(new Date(m.not_before), CLINIC)).toBe(true);
      if (m.expires_at) expect(new Date(m.expires_at).getTime()).toBeGreaterThan(new Date(m.not_before).getTime());
    }
    // The reminder waits for Saturday 09:00 (opening hours 09-13); the confirmation goes Friday... which is past, so Saturday 09:00 too.
    const reminder = msgs.find((m) => m.kind === 'reminder')!;
    expect(local(new Date(reminder.not_before))).toBe('2026-12-05, 09:00');
    const confirm = msgs.find((m) => m.dedupe_key.includes(':confirm:'))!;
    expect(local(new Date(confirm.not_before))).toBe('2026-12-05, 09:00');
  });

  it('waits over a closed Sunday for reminders (opening hours) but not for appointment texts', async () => {
    w = await plannerWorld({ now: '2026-12-05T22:00:00Z' }); // Saturday 14:00 local: the clinic closed at 13:00
    w.f.household({ pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-12-12' }] }] });
    const h = w.f.household({ pets: [{ name: 'Visit' }] });
    w.f.appointment({ patientId: h.pets[0].id, start: '2026-12-07T12:00' });
    await w.plan();
    const reminder = w.messages("kind = 'reminder'")[0];
    expect(local(new Date(reminder.not_before))).toBe('2026-12-07, 09:00'); // Monday
    const dayOf = w.messages("dedupe_key LIKE '%:dayof:%'")[0];
    expect(local(new Date(dayOf.not_before))).toBe('2026-12-07, 10:00');
  });
});
