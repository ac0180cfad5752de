export type Channel = 'sms' | 'email' | 'postcard';
export type MessageKind = 'alert' | 'reply' | 'appointment' | 'reminder' | 'marketing';
export type MessageStatus = 'queued' | 'waiting' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'cancelled' | 'withdrawn' | 'expired';

/** Lower sends first. Health messages always outrank marketing; a staff reply outranks reminders. */
export const PRIORITY: Record<MessageKind, number> = { alert: 0, reply: 1, appointment: 2, reminder: 3, marketing: 4 };

export const OPEN_STATUSES: MessageStatus[] = ['queued', 'waiting'];
export const FINAL_STATUSES: MessageStatus[] = ['delivered', 'undelivered', 'failed', 'cancelled', 'withdrawn', 'expired'];

/** What planners, campaigns and the inbox hand to the outbox. */
export interface OutboundDraft {
  /** Unique forever: e.g. reminder:<patient>:<code>:<due>:<step>:<channel>, appointment:<id>:<kind>:<start>:<channel>, campaign:<id>:<client>:<channel>. */
  dedupeKey: string;
  channel: Channel;
  kind: MessageKind;
  clientId?: number | null;
  appointmentId?: number | null;
  campaignId?: number | null;
  conversationId?: number | null;
  /** E.164 for SMS, an address for email, a postal address label for postcards. */
  to: string;
  subject?: string | null;
  body: string;
  html?: string | null;
  mediaUrls?: string[];
  /** Earliest send instant (already moved into the send window by the caller, or not: the dispatcher re-checks). */
  notBefore: Date;
  /** After this the message expires instead of going out late. */
  expiresAt?: Date | null;
  /** 'planner', 'campaign:12', 'staff:<name>'. */
  createdBy: string;
  meta?: Record<string, unknown>;
  /**
   * SMS only: the segment analysis the caller already made of exactly this `body` (as analyzeSms
   * returned it: `body` is its NFC-normalised text). The outbox then does not analyse the body again;
   * it still refuses an empty or too-long text.
   */
  analysis?: { segments: number; encoding: 'GSM-7' | 'UCS-2' };
}

export interface MessageRow {
  id: number;
  dedupe_key: string;
  channel: Channel;
  kind: MessageKind;
  priority: number;
  client_id: number | null;
  appointment_id: number | null;
  campaign_id: number | null;
  conversation_id: number | null;
  to_address: string;
  subject: string | null;
  body: string;
  html: string | null;
  media: string | null;
  segments: number | null;
  encoding: string | null;
  est_cost: number | null;
  status: MessageStatus;
  wait_reason: string | null;
  not_before: string;
  expires_at: string | null;
  attempts: number;
  next_attempt_at: string | null;
  claim_id: string | null;
  claimed_at: string | null;
  provider_id: string | null;
  smtp_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_by: string;
  meta: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  final_at: string | null;
  /** Sender (number or Messaging Service SID) of the current attempt; set when claimed (migration 007). */
  sent_from: string | null;
  /** Re-sends after a carrier-side 30003 (migration 007). */
  delivery_retries: number;
}
