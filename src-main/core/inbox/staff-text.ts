import type { SendReplyResult } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import { isPhoneAddress } from '../inbound/match-sender';
import type { Outbox } from '../messaging/outbox';
import { isInsideWindow, nextSendTime, formatLocal } from '../schedule/send-window';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import { validateSmsBody } from '../text';

export interface StaffText {
  conversationId: number;
  clientId: number | null;
  appointmentId?: number | null;
  to: string;
  body: string;
  dedupeKey: string;
  staff?: string | null;
  quietHours?: 'wait' | 'override';
  meta?: Record<string, unknown>;
}

/**
 * A text a staff member sends by hand (a reply, "come in", "ready for pickup"). It goes through the
 * outbox as kind 'reply' (priority above reminders) with the same consent and quiet-hour rules as
 * everything else. Outside quiet hours the desk asks first: the call fails with code 'quiet-hours'
 * and the staff member chooses to wait for the window or to send now. "Send now" still keeps to the
 * legal 08:00-21:00 (TCPA); the dispatcher sees meta.overrideQuietHours and sends inside it.
 */
export function queueStaffText(
  d: { outbox: Outbox; consent: ConsentLedger; settings: SettingsStore; clock: Clock; pimsNoSms?: (clientId: number) => boolean },
  t: StaffText,
): SendReplyResult {
  if (!isPhoneAddress(t.to)) throw new ApiError('reply.blocked', 'This sender is a short code or a service name: texts cannot be sent back to it.');
  if (d.consent.isOptedOut(t.to, 'sms'))
    throw new ApiError('consent.opted-out', 'This number opted out of texts (STOP). Nothing was sent. The owner can text START to opt back in, or call them.');
  // The practice-management system's Do Not Text flag binds staff texts as much as reminders.
  if (t.clientId !== null && d.pimsNoSms?.(t.clientId))
    throw new ApiError('consent.pims-no-sms', "This client is marked Do Not Text in the practice-management system. Nothing was sent; call them, or clear the flag in the PIMS and re-import.");
  const check = validateSmsBody(t.body);
  if (!check.ok) throw new ApiError('sms.body', check.error.message);
  if (!t.body.trim()) throw new ApiError('sms.body', 'Type a message first.');

  const now = d.clock.now();
  const clinic = d.settings.clinic();
  let notBefore = now;
  const meta: Record<string, unknown> = { ...t.meta, ...(t.staff ? { staff: t.staff } : {}) };
  if (clinic && !isInsideWindow(now, clinic)) {
    const next = nextSendTime(now, clinic);
    const legalOpen = isInsideWindow(now, clinic, { legalOnly: true });
    const legalNext = nextSendTime(now, clinic, { legalOnly: true });
    if (!t.quietHours) {
      const when = formatLocal(next, clinic.timeZone);
      const message = legalOpen
        ? `It is quiet hours at the clinic (${clinic.quietHours.start}-${clinic.quietHours.end}). Send this reply now anyway, or let it wait until ${when}?`
        : `Texts may not go out between 21:00 and 08:00. This reply will wait until ${formatLocal(legalNext, clinic.timeZone)} whichever you choose.`;
      throw new ApiError('quiet-hours', message, { nextSendAt: next.toISOString(), legalNextAt: legalNext.toISOString(), legalOpen: String(legalOpen) });
    }
    if (t.quietHours === 'wait') notBefore = next;
    else {
      meta.overrideQuietHours = true;
      notBefore = legalOpen ? now : legalNext;
    }
  }
  const r = d.outbox.enqueue([
    {
      dedupeKey: t.dedupeKey,
      channel: 'sms',
      kind: 'reply',
      clientId: t.clientId,
      appointmentId: t.appointmentId ?? null,
      conversationId: t.conversationId,
      to: t.to,
      body: t.body,
      notBefore,
      createdBy: `staff:${t.staff?.trim() || 'desk'}`,
      meta,
    },
  ]);
  const row = d.outbox.byDedupeKey(t.dedupeKey)!;
  return { messageId: row.id, status: row.status, notBefore: row.not_before, duplicate: r.inserted === 0 };
}
