import type { ClinicProfile } from '../../contract';
import { isInsideWindow, nextSendTime, type WindowOptions } from '../schedule/send-window';
import type { MessageKind } from './types';

/**
 * Which send window each kind of message waits for. Alerts, staff replies and appointment messages
 * keep to the clinic's quiet hours (and always the legal 08:00-21:00); health reminders and marketing
 * also wait for opening hours, so a reply to them finds someone at the desk.
 */
export type WindowClass = 'quiet-hours' | 'opening-hours';

export const WINDOW_CLASS: Record<MessageKind, WindowClass> = {
  alert: 'quiet-hours',
  reply: 'quiet-hours',
  appointment: 'quiet-hours',
  reminder: 'opening-hours',
  marketing: 'opening-hours',
};

export const KINDS_BY_CLASS: Record<WindowClass, MessageKind[]> = {
  'quiet-hours': ['alert', 'reply', 'appointment'],
  'opening-hours': ['reminder', 'marketing'],
};

function options(c: WindowClass): WindowOptions {
  return c === 'opening-hours' ? { openingHours: true } : {};
}

/**
 * How far a message may leave its kind's window, from flags a person confirmed in messages.meta:
 * 0 none; 1 `overrideQuietHours` (a staff reply sent knowingly out of hours: the legal 08:00-21:00
 * only); 2 `emergencyOverride` (a manager's emergency alert: any hour).
 */
export type OverrideTier = 0 | 1 | 2;

export interface WindowState {
  open: boolean;
  /** When closed: the next instant it opens. */
  opensAt: Date | null;
}

/**
 * The state of both windows (and of the bare legal window, for overridden messages) at one instant;
 * computed once per dispatcher pass, not per message.
 */
export function windowStates(now: Date, clinic: ClinicProfile): Record<WindowClass | 'legal', WindowState> {
  const out = {} as Record<WindowClass | 'legal', WindowState>;
  for (const c of ['quiet-hours', 'opening-hours', 'legal'] as const) {
    const opts: WindowOptions = c === 'legal' ? { legalOnly: true } : options(c);
    const open = isInsideWindow(now, clinic, opts);
    let opensAt: Date | null = null;
    if (!open) {
      const next = nextSendTime(now, clinic, opts);
      // nextSendTime answers `now` when no window exists in the next two weeks (e.g. no opening day at all).
      opensAt = next.getTime() > now.getTime() ? next : new Date(now.getTime() + 3600_000);
    }
    out[c] = { open, opensAt };
  }
  return out;
}
