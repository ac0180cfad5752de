export interface SimApiKey {
  sid: string;
  secret: string;
  /** Twilio's Standard keys (the default) may not read the /Accounts resource; Main keys may. */
  type?: 'standard' | 'main';
}

export interface SimAccount {
  sid: string;
  authToken: string;
  friendlyName?: string;
  apiKeys?: SimApiKey[];
  /** When given, From must be one of these (else 21606), and Messaging Service sends go out from the first. */
  numbers?: string[];
}

export type DeliveryFailureStatus = 'undelivered' | 'failed';

export interface DeliveryFailure {
  code: number;
  status?: DeliveryFailureStatus;
}

export interface RateLimit {
  messagesPerSecond?: number;
  segmentsPerSecond?: number;
  /** Bucket capacity in the same unit; defaults to one second's worth. */
  burst?: number;
}

export interface Delays {
  /** queued -> sent */
  sentMs: number;
  /** sent -> delivered | undelivered; (failed happens at the sent step) */
  deliveredMs: number;
}

export interface TwilioSimOptions {
  port?: number;
  host?: string;
  accounts?: SimAccount[];
  delays?: Partial<Delays>;
  rateLimit?: RateLimit;
  /** Positive price per segment as Twilio prints it; the resource shows it negated. Default 0.00790. */
  pricePerSegment?: number;
  priceUnit?: string;
  optedOut?: string[];
  landlines?: string[];
  deliveryFailures?: Record<string, number | DeliveryFailure>;
  /** Twilio's default Advanced Opt-Out: an inbound STOP blocks further sends to that number. Default true. */
  autoOptOut?: boolean;
  /** Milliseconds since epoch; lets a test drive the status progression and the rate bucket. */
  now?: () => number;
}

export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';
export type MessageDirection = 'inbound' | 'outbound-api';

export interface SimMedia {
  sid: string;
  contentType: string;
  bytes: Buffer;
  createdAt: number;
}

/** One message as the simulator holds it; status fields are kept current on every read. */
export interface SimMessage {
  seq: number;
  sid: string;
  accountSid: string;
  direction: MessageDirection;
  from: string | null;
  to: string;
  body: string;
  status: MessageStatus;
  errorCode: number | null;
  numSegments: number;
  messagingServiceSid: string | null;
  createdAt: number;
  sentAt: number | null;
  updatedAt: number;
  media: SimMedia[];
  /** Outbound only: media URLs the client asked to attach. */
  mediaUrls: string[];
  /** Delays in force when the message was created; later setDelays calls do not move it. */
  timing: Delays;
  /** What the progression ends in. */
  outcome: { status: 'delivered' | DeliveryFailureStatus; errorCode: number | null };
  /** Sender the Messaging Service picks once the message leaves the queue. */
  serviceFrom: string | null;
}

export interface InboundMediaInput {
  contentType: string;
  bytes: Buffer | Uint8Array | string;
}

export interface InboundInput {
  from: string;
  to: string;
  body: string;
  media?: InboundMediaInput[];
  accountSid?: string;
  /** Received-at time; default now. */
  at?: Date;
}

export interface SimStats {
  requests: number;
  created: number;
  rateLimited: number;
  serverErrors: number;
  /** Count of error answers by Twilio code (20003, 21211, 20429, ...). */
  byCode: Record<number, number>;
}

export type OfflineMode = 'refuse' | 'reset' | 'hang';
