import type { ClinicProfile } from '../../contract';
import { ApiError } from '../shared/errors';
import { MAX_SMS_BODY } from '../text';
import { createRenderer, hasEmail, hasSms } from './content';
import type { Campaign } from './store';

// What a campaign must satisfy before it is sent or scheduled.

/** The content must have a text for every channel the delivery uses, and its texts must fit. */
export function checkContent(clinic: ClinicProfile | null, c: Campaign): void {
  const fields: Record<string, string> = {};
  const needSms = c.row.delivery !== 'email';
  const needEmail = c.row.delivery !== 'sms';
  if (needSms && !hasSms(c.content)) fields['content.sms'] = 'Write the text message (at least in one language).';
  if (needEmail && !hasEmail(c.content)) fields['content.email'] = 'Write the email (at least in one language).';
  if (Object.keys(fields).length) throw new ApiError('validation', 'The campaign has no content for a channel it uses.', fields);
  if (needSms) checkSmsLength(clinic, c);
}

/*
 * The template may be 1,600 characters, but the text also gets the clinic's name and the opt-out
 * sentence, and owners' names and pets. A text over the limit cannot be sent: refuse before
 * sending, rather than queue nothing and call the campaign finished. Checked with longer-than-usual
 * names so that real ones fit too.
 */
const LONG_NAMES = { firstName: 'Maximiliano-Alejandro', lastName: 'Vanderhoeven-Castellanos', pets: ['Bartholomew', 'Persephone', 'Clementine'], appointment: null };

function checkSmsLength(clinic: ClinicProfile | null, c: Campaign): void {
  const render = createRenderer(c.content, c.row.kind, clinic);
  const fields: Record<string, string> = {};
  for (const lang of ['en', 'fr', 'es'] as const) {
    if (!c.content.sms[lang]?.trim()) continue;
    const m = render.sms({ ...LONG_NAMES, lang }, true);
    if (m && m.body.length > MAX_SMS_BODY)
      fields[`content.sms.${lang}`] =
        `With the clinic's name, the opt-out sentence and owners' names this text comes to about ${m.body.length.toLocaleString('en-US')} characters; a text can be at most ${MAX_SMS_BODY.toLocaleString('en-US')}. Shorten it by ${(m.body.length - MAX_SMS_BODY).toLocaleString('en-US')} or more.`;
  }
  if (Object.keys(fields).length) throw new ApiError('validation', 'The text message is too long to send.', fields);
}

export function requireOverrideConfirmation(c: Campaign, confirm: boolean | undefined): void {
  // Exactly true: a confirmation is a deliberate yes, not any truthy value a caller sent.
  if (c.row.emergency_override && confirm !== true)
    throw new ApiError(
      'campaign.override-confirm',
      'This alert uses the emergency override: it goes out at once, even before 08:00 or after 21:00. Confirm that this is an emergency to send it.',
    );
}
