import type { OutboxItem } from '../../contract';
import type { MessageRow } from './types';

const ERROR_HELP: Record<string, string> = {
  '21610': 'The owner has blocked texts from the clinic (they replied STOP). They can text START to the clinic number to allow them again.',
  '21211': 'The phone number is not valid. Correct it in the practice software; the next import picks it up.',
  '21614': 'The number is a landline. Ask the owner for a mobile number, or call instead.',
  '30003': 'The phone was switched off or out of coverage.',
  '30005': 'The number is unknown to the carrier or no longer in service.',
  '30006': 'The number is a landline or its carrier cannot take texts.',
  '30007': 'The carrier filtered the message as possible spam. Rewording it may help.',
  '550': 'The owner’s mail server does not know this address. Correct it in the practice software.',
};

/**
 * Failures a plain retry cannot fix: the owner opted out, or the address itself is wrong. They need
 * new contact details (from the next PIMS import) or the owner's consent, not another attempt.
 */
const NO_RETRY_CODES = new Set(['21610', '21211', '21614', '30005', '30006', '550']);

/** The wait reason in words for the desk. */
export function describeWait(reason: string | null, nextAttemptAt: string | null): string | null {
  if (!reason) return null;
  if (reason === 'quiet-hours') return 'Waiting for the sending window (quiet hours or opening hours); it goes out when the window opens.';
  if (reason === 'offline') return 'No connection to the provider; it goes out as soon as the connection is back.';
  if (reason === 'rate-limited') return 'The provider asked to slow down; it goes out in a moment.';
  if (reason.startsWith('channel-paused: ')) return `Sending is paused: ${reason.slice(16)}`;
  if (reason.startsWith('not-configured: ')) return `Waiting: ${reason.slice(16)}`;
  if (reason.startsWith('retry: ')) return `${reason.slice(7)}. Trying again${nextAttemptAt ? ' shortly' : ''}.`;
  return reason;
}

export function describeRow(r: MessageRow): string | null {
  switch (r.status) {
    case 'waiting':
      return describeWait(r.wait_reason, r.next_attempt_at);
    case 'sending':
      return r.claim_id ? 'Being sent now.' : 'The provider did not answer clearly; checking whether it went out before trying again.';
    case 'failed':
    case 'undelivered': {
      const help = r.error_code ? (ERROR_HELP[r.error_code] ?? null) : null;
      const base = r.error_message ?? 'Not delivered.';
      return help && !base.includes(help) ? `${base}. ${help}` : base;
    }
    case 'withdrawn':
    case 'cancelled':
    case 'expired':
      return r.wait_reason ?? r.error_message ?? null;
    default:
      return null;
  }
}

export function toItem(r: MessageRow, now: string): OutboxItem {
  return {
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    status: r.status,
    to: r.to_address,
    clientId: r.client_id,
    subject: r.subject,
    preview: r.body.length > 160 ? r.body.slice(0, 157) + '…' : r.body,
    segments: r.segments,
    estCost: r.est_cost,
    waitReason: r.wait_reason,
    why: describeRow(r),
    errorCode: r.error_code,
    attempts: r.attempts,
    notBefore: r.not_before,
    nextAttemptAt: r.next_attempt_at && r.next_attempt_at > now ? r.next_attempt_at : null,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    createdBy: r.created_by,
    canRetry: ['failed', 'undelivered', 'expired'].includes(r.status) && !(r.error_code && NO_RETRY_CODES.has(r.error_code)),
    canCancel: ['queued', 'waiting'].includes(r.status),
  };
}
