import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import type { EventBus } from '../shared/events';
import type { Logger } from '../shared/log';
import { atLocal, localDate } from '../schedule/local-time';
import type { Planner } from './runner';

/** The importer announces a finished import as 'imports.finished'; 'import.finished' was the name first agreed. */
export const IMPORT_FINISHED_EVENTS = ['imports.finished', 'import.finished'];

export interface PlanScheduler {
  start(): void;
  stop(): void;
  /** Runs the daily plan if its time has come today and it has not run yet today. Returns whether it ran. */
  tick(): boolean;
}

export interface SchedulerDeps {
  planner: Planner;
  settings: SettingsStore;
  clock: Clock;
  events: EventBus;
  log: Logger;
  /** How often the clock is checked (ms). */
  intervalMs?: number;
}

const LAST_DATE_DOC = 'planner.lastScheduledDate';

/**
 * Runs the plan once per clinic-local day at the configured time, and after every import.
 * "Once per local day" is the invariant, not "every 24 hours": on the spring-forward day a
 * 02:30 plan runs at 03:30 (02:30 does not exist) and on the fall-back day it does not run
 * twice; 21:00 stays 21:00 on both sides of a change. A desk that was off at plan time catches
 * up when it starts.
 */
export function createPlanScheduler(d: SchedulerDeps): PlanScheduler {
  let timer: NodeJS.Timeout | null = null;
  let pending: NodeJS.Timeout | null = null;
  let off: (() => void) | null = null;

  const safeRun = (trigger: 'schedule' | 'import') => {
    try {
      d.planner.run({ trigger });
    } catch (e) {
      d.log.warn('plan not run', { trigger, code: (e as { code?: string }).code ?? (e as Error).name });
    }
  };

  const tick = (): boolean => {
    const clinic = d.settings.clinic();
    if (!clinic) return false;
    const now = d.clock.now();
    const today = localDate(now, clinic.timeZone);
    if (d.settings.getDoc<string>(LAST_DATE_DOC) === today) return false;
    const due = atLocal(today, d.settings.getGeneral('planTime') ?? '07:00', clinic.timeZone);
    if (now.getTime() < due.getTime()) return false;
    d.settings.setDoc(LAST_DATE_DOC, today);
    safeRun('schedule');
    return true;
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(tick, d.intervalMs ?? 30_000);
      timer.unref?.();
      // Imports land in one transaction; plan just after, coalescing bursts (watcher re-imports).
      off = d.events.onAny((name, payload) => {
        if (!IMPORT_FINISHED_EVENTS.includes(name)) return;
        if ((payload as { status?: string } | null)?.status === 'failed') return;
        if (pending) clearTimeout(pending);
        pending = setTimeout(() => {
          pending = null;
          safeRun('import');
        }, 1000);
        pending.unref?.();
      });
      tick();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (pending) clearTimeout(pending);
      off?.();
      timer = null;
      pending = null;
      off = null;
    },
    tick,
  };
}
