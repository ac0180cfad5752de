import type { PlanChannel } from '../../../src-main/contract';

/** Words a practice manager reads on the plan. */
export const REASON_LABEL: Record<string, string> = {
  'patient-deceased': 'Pet deceased',
  'patient-inactive': 'Pet inactive',
  'client-inactive': 'Client inactive',
  suspended: 'Reminders suspended',
  satisfied: 'Already done (history)',
  'appointment-booked': 'Appointment booked',
  'no-channel': 'No way to reach',
  'opted-out': 'Opted out',
  'frequency-cap': 'Reminded in the last days (cap)',
  'rule-disabled': 'Rule switched off',
  confirmed: 'Already confirmed',
  'too-late': 'Too late to ask',
};

export const CHANNEL_LABEL: Record<PlanChannel, string> = { sms: 'Text', email: 'Email', postcard: 'Postcard' };

export const money = (n: number) => `$${n.toFixed(2)}`;
export const num = (n: number) => n.toLocaleString();
