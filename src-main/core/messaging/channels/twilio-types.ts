import type { DownloadedMedia } from './twilio-media';

export interface TwilioChannelOptions {
  accountSid: string;
  authToken?: string;
  /** API key SID (SK...) with its secret, instead of the auth token. */
  apiKey?: string;
  apiSecret?: string;
  /** Sender: a number of the account, or a Messaging Service. */
  from?: string;
  messagingServiceSid?: string;
  /** Another origin for every API call (a simulator or a Twilio-compatible proxy). */
  baseUrl?: string;
  timeoutMs?: number;
  maxSockets?: number;
}

export interface TwilioMessage {
  sid: string;
  accountSid: string;
  direction: string;
  from: string | null;
  to: string;
  body: string;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number;
  numMedia: number;
  price: number | null;
  priceUnit: string | null;
  messagingServiceSid: string | null;
  dateCreated: Date | null;
  dateSent: Date | null;
  dateUpdated: Date | null;
}

export interface TwilioSendResult {
  sid: string;
  status: string;
  numSegments: number;
  price?: number;
  from: string | null;
  dateCreated: Date | null;
}

export interface TwilioListQuery {
  to?: string;
  from?: string;
  /** Twilio's DateSent> filter: sent at or after this time (unsent messages have no date and do not match). */
  dateSentAfter?: Date;
  dateSentBefore?: Date;
  /** Filtered here: Twilio's list has no direction filter. 'outbound' matches every outbound-* direction. */
  direction?: 'inbound' | 'outbound';
  pageSize?: number;
}

export interface TwilioAccountInfo {
  sid: string;
  friendlyName: string;
  status: string;
}

export interface TwilioMediaRef {
  sid: string;
  contentType: string;
  /** Absolute URL of the content (without .json), for downloadMedia. */
  url: string;
}

export interface TwilioChannel {
  send(msg: { to: string; body: string; mediaUrls?: string[] }): Promise<TwilioSendResult>;
  fetch(sid: string): Promise<TwilioMessage>;
  list(query?: TwilioListQuery): AsyncIterable<TwilioMessage>;
  fetchAccount(): Promise<TwilioAccountInfo>;
  listMedia(messageSid: string): Promise<TwilioMediaRef[]>;
  downloadMedia(url: string): Promise<DownloadedMedia>;
  close(): void;
}

/** The fields of twilio's MessageInstance this channel reads. */
export type Instance = {
  sid: string;
  accountSid: string;
  direction: string;
  from: string | null;
  to: string;
  body: string;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: string;
  numMedia: string;
  price: string | null;
  priceUnit: string | null;
  messagingServiceSid: string | null;
  dateCreated: Date | null;
  dateSent: Date | null;
  dateUpdated: Date | null;
};
