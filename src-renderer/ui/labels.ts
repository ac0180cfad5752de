/**
 * Words for the codes the core uses (reasons, states, kinds). One map for every screen, so the
 * same code reads the same everywhere and no screen shows 'no-sms-number' to a receptionist.
 */
export const CODE_LABEL: Record<string, string> = {
  // Why the reminder plan held a pet or an appointment message back.
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
  // Why a campaign left a client out.
  inactive: 'Inactive client',
  'deceased-only': 'Only deceased pets',
  'no-marketing-consent': 'No marketing consent',
  'marketing-cap': 'Marketing cap reached (30 days)',
  'shared-address': 'Number or email shared with another household',
  // Why a channel cannot reach a client.
  'no-sms-number': 'No mobile number',
  'sms-opted-out': 'Opted out of texts',
  'sms-number-bad': 'Number cannot take texts',
  'no-email': 'No email',
  'email-opted-out': 'Opted out of email',
  'email-bounced': 'Email bounced',
  'email-invalid': 'Malformed email',
  // Message delivery states.
  queued: 'Queued',
  waiting: 'Waiting',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  undelivered: 'Not delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  received: 'Received',
  // Message kinds.
  alert: 'Alert',
  reply: 'Reply',
  appointment: 'Appointment',
  reminder: 'Health reminder',
  marketing: 'Marketing',
  campaign: 'Campaign',
  'come-in': 'Come in',
  ready: 'Ready for pickup',
  custom: 'Text',
  confirm: 'Confirmation request',
  dayof: 'Day-of reminder',
  // What started a plan run.
  schedule: 'daily schedule',
  import: 'after an import',
  cli: 'command line',
  manual: 'run by hand',
  // Appointment confirmation on the desk.
  none: 'Not asked',
  requested: 'Requested',
  reschedule: 'Reschedule wanted',
  'no-answer': 'No answer',
  // Import runs.
  ok: 'Imported',
  unchanged: 'Unchanged',
  running: 'Running',
};

/** The label for a code; an unknown code still reads as words ('some-code' -> 'Some code'). */
export function label(code: string | null | undefined): string {
  if (!code) return '';
  const known = CODE_LABEL[code];
  if (known) return known;
  const words = code.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label inside a sentence ('3 opted out'). */
export function lowerLabel(code: string | null | undefined): string {
  const l = label(code);
  return l.charAt(0).toLowerCase() + l.slice(1);
}
