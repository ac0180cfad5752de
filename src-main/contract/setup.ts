/**
 * First-run setup: a short sequence of steps a new clinic walks through (each skippable and
 * resumable). Whether a step is done is read from the settings themselves; only skips and the
 * send-window confirmation are remembered separately.
 */
import type { LocalTime } from './settings';

export type SetupStepId = 'clinic' | 'pims' | 'twilio' | 'smtp' | 'window';

export interface SetupStep {
  id: SetupStepId;
  state: 'done' | 'skipped' | 'todo';
  /** One line on what is configured, e.g. 'Watching C:\\PulseExports' or 'Not set up: texts wait in the outbox'. */
  summary: string;
}

export interface SetupState {
  complete: boolean;
  steps: SetupStep[];
  /** Where the wizard resumes: the first step neither done nor skipped. */
  next: SetupStepId | 'finish';
}

export interface SetupApi {
  'setup.state': (arg: void) => SetupState;
  'setup.skip': (arg: { step: SetupStepId }) => SetupState;
  /** Send window (clinic quiet hours) and the daily plan time; needs the clinic profile. */
  'setup.saveWindow': (arg: { quietHours: { start: LocalTime; end: LocalTime }; planTime: LocalTime }) => SetupState;
  /** Marks setup complete: the desk opens on the Inbox from now on. */
  'setup.finish': (arg: void) => SetupState;
  /** Opens the wizard again (Settings > Run setup again). */
  'setup.reopen': (arg: void) => SetupState;
}
