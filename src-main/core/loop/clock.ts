import type { Clock } from '../shared/clock';

/**
 * A clock that reads `start` now and runs forward at real speed. Scripted checks (`pawline run
 * --now`, check:larkspur, the end-to-end test) put the desk inside the send window whatever the
 * machine's hour, while timers, retries and status progress still see time pass.
 */
export function runningClock(start: Date, realNow: () => number = Date.now): Clock {
  const offset = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offset) };
}
