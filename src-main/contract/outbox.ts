/** The outbox as the desk sees it: what waits and why, what failed and why, retry / cancel, drain progress. */
import type { ChannelStatus } from './system';

export type OutboxChannel = 'sms' | 'email' | 'postcard';
export type OutboxKind = 'alert' | 'reply' | 'appointment' | 'reminder' | 'marketing';
export type OutboxStatus = 'queued' | 'waiting' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'cancelled' | 'withdrawn' | 'expired';

/**
 * waiting: due but held back (quiet hours, offline, paused, retry later) plus those being sent;
 * scheduled: queued for later; failed: failed, undelivered, expired, withdrawn; sent: sent and delivered.
 */
export type OutboxView = 'waiting' | 'scheduled' | 'failed' | 'sent' | 'all';

export interface OutboxItem {
  id: number;
  channel: OutboxChannel;
  kind: OutboxKind;
  status: OutboxStatus;
  /** Phone or email address (shown to staff only, never logged). */
  to: string;
  clientId: number | null;
  subject: string | null;
  /** First 160 characters of the body. */
  preview: string;
  segments: number | null;
  estCost: number | null;
  /** Machine reason ('quiet-hours', 'offline', 'channel-paused: …', 'not-configured: …', 'rate-limited', 'retry: …'). */
  waitReason: string | null;
  /** The reason or the error, in words for the desk, with what to do next when there is something to do. */
  why: string | null;
  errorCode: string | null;
  attempts: number;
  notBefore: string;
  /** When it will be tried next, if later than now. */
  nextAttemptAt: string | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  createdBy: string;
  canRetry: boolean;
  canCancel: boolean;
}

export interface OutboxEventItem {
  at: string;
  from: OutboxStatus | null;
  to: OutboxStatus;
  code: string | null;
  detail: string | null;
}

export interface OutboxCounts {
  byStatus: Record<OutboxStatus, number>;
  /** Waiting messages grouped by reason, most first. */
  waitingByReason: { reason: string; why: string; count: number }[];
  failedToday: number;
}

export interface DrainProgress {
  /** true while a batch is going out. */
  active: boolean;
  startedAt: string | null;
  /** Sent in this batch. */
  done: number;
  failed: number;
  /** Withdrawn (opt-out, bad number) or expired instead of sent. */
  skipped: number;
  /** Still to go now (due and not waiting for a window), including those in flight. */
  remaining: number;
  total: number;
  perSecond: number;
  etaSeconds: number | null;
}

export interface OutboxListArgs {
  view: OutboxView;
  channel?: 'sms' | 'email';
  limit?: number;
  /** Paging: items with a smaller id than this. */
  beforeId?: number;
}

export interface OutboxApi {
  'outbox.list': (arg: OutboxListArgs) => { items: OutboxItem[]; total: number };
  'outbox.get': (arg: { id: number }) => { item: OutboxItem; events: OutboxEventItem[] };
  'outbox.counts': (arg: void) => OutboxCounts;
  /** Failed, undelivered or expired messages go back in the queue (a new attempt, same dedupe key). */
  'outbox.retry': (arg: { ids: number[] }) => { retried: number };
  /** Queued or waiting messages are cancelled. */
  'outbox.cancel': (arg: { ids: number[] }) => { cancelled: number };
  'outbox.progress': (arg: void) => DrainProgress;
  'outbox.channels': (arg: void) => ChannelStatus[];
  /** Lifts a pause by hand (e.g. after fixing the account at the provider's website). */
  'outbox.resumeChannel': (arg: { channel: 'sms' | 'email' }) => ChannelStatus[];
}

export interface OutboxEvents {
  /** Messages changed status; ids capped at 500 (refresh lists on any). */
  'outbox.changed': { ids: number[] };
  'outbox.progress': DrainProgress;
  'channel.status': ChannelStatus[];
}
