/**
 * What the desk and a campaign's writer thread say to each other. Rows travel as one flat array
 * per page (ROW_WIDTH values a message): cloning a few hundred flat arrays across threads costs a
 * fraction of cloning 60,000 objects, and what every row of a campaign shares (kind, send instant,
 * meta, author) travels once, in the setup.
 */
import type { CampaignKind } from '../../contract';
import type { MessageKind } from '../messaging/types';

export const MESSAGE_KIND: Record<CampaignKind, MessageKind> = { alert: 'alert', health: 'reminder', marketing: 'marketing' };

/** One outbox row per client and channel per campaign, forever. */
export const dedupeKey = (campaignId: number, clientId: number, channel: 'sms' | 'email') => `campaign:${campaignId}:${clientId}:${channel}`;

export interface WriterSetup {
  dbPath: string;
  campaignId: number;
  kind: MessageKind;
  createdBy: string;
  meta: Record<string, unknown>;
  /** ISO instants. */
  notBefore: string;
  now: string;
  pricePerSegment: number;
  /**
   * How long one transaction may hold the database's write lock while pages keep coming (ms); the
   * desk's own writes wait for it. 0: commit every page (tests pace the enqueue page by page).
   */
  maxTxMs: number;
  /** db/open.ts deskLockRequests: the desk's transactions waiting for the lock (null: nobody counts them). */
  deskLock: SharedArrayBuffer | null;
}

/** clientId, channel (0 sms, 1 email), to, subject, body, html, segments, encoding. */
export const ROW_WIDTH = 8;
export type PackedRows = (string | number | null)[];

export function packSms(out: PackedRows, clientId: number, to: string, body: string, segments: number | null, encoding: string | null): void {
  out.push(clientId, 0, to, null, body, null, segments, encoding);
}
export function packEmail(out: PackedRows, clientId: number, to: string, subject: string, body: string, html: string | null): void {
  out.push(clientId, 1, to, subject, body, html, null, null);
}

export type ToWriter = { t: 'rows'; rows: PackedRows } | { t: 'end' };

export interface WireError {
  name: string;
  message: string;
  code?: string;
}

export type FromWriter =
  /** A transaction committed: what it inserted, what was there already, and what it parked because the campaign is paused. */
  | { t: 'committed'; inserted: number[]; duplicates: number; held: number[] }
  /** The campaign was no longer sending (cancelled, or gone): nothing more is written. */
  | { t: 'stopped' }
  | { t: 'done' }
  | { t: 'failed'; error: WireError };
