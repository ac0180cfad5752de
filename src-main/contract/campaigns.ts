/**
 * Broadcast alerts and campaigns for practice managers: audiences built from the imported data,
 * per-language content, send now or at a clinic-local time, live progress, pause/resume/cancel.
 */

export type CampaignKind = 'alert' | 'health' | 'marketing';
export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'finished' | 'cancelled';
/** Which channels each recipient gets: every reachable one, one of them, or SMS with email as fallback. */
export type CampaignDelivery = 'both' | 'sms' | 'email' | 'sms-else-email';
export type CampaignLang = 'en' | 'fr' | 'es';
export type CampaignChannel = 'sms' | 'email';

/** Dates are clinic-local 'YYYY-MM-DD', ranges inclusive. Every filter given must hold (AND). */
export interface AudienceFilter {
  /** Clients with a (not cancelled) appointment on a day in the range: the "tomorrow's appointments" alert. */
  appointment?: { from: string; to: string } | null;
  /** Clients with a living pet of one of these species (case-insensitive, as the PIMS writes them). */
  species?: string[];
  /** Clients with a living pet whose service (reminder) is due in the range and not yet done; past dates = overdue. */
  serviceDue?: { from: string; to: string; codes?: string[]; categories?: string[] } | null;
  /** Last service date in the history (any pet of the household) before / after a date. */
  lastVisit?: { before?: string | null; after?: string | null } | null;
  /** City names (case-insensitive). */
  cities?: string[];
  /** Postal/ZIP code prefixes ('981', 'V6K'); spaces and case ignored. */
  postalPrefixes?: string[];
  languages?: CampaignLang[];
  /** true: only clients reachable by text; false: only those who are not. */
  hasSms?: boolean | null;
  hasEmail?: boolean | null;
}

export type SuppressionReason =
  | 'inactive'
  | 'deceased-only'
  | 'opted-out'
  | 'no-channel'
  | 'no-marketing-consent'
  | 'marketing-cap'
  | 'shared-address';

export interface AudienceCount {
  /** Clients the filters matched. */
  matched: number;
  /** Clients who will receive at least one message. */
  recipients: number;
  /** Messages per channel. */
  byChannel: { sms: number; email: number };
  byLanguage: Record<CampaignLang, number>;
  suppressed: { total: number; byReason: Record<SuppressionReason, number> };
  /** Recipients missing one channel (reached on the other), by why. */
  channelGaps: { sms: Record<string, number>; email: Record<string, number> };
}

export interface CampaignEmailText {
  subject: string;
  /** Plain text; also the HTML when `html` is empty. */
  body: string;
  /** Simple HTML (a fragment); merge fields are HTML-escaped. */
  html?: string | null;
}

/** Mustache merge fields: client.firstName, client.lastName, pets, clinic.*, appointment.{date,time,pet} (appointment audiences). */
export interface CampaignContent {
  /** Used for clients whose language has no variant. */
  defaultLang: CampaignLang;
  sms: Partial<Record<CampaignLang, string>>;
  email: Partial<Record<CampaignLang, CampaignEmailText>>;
}

export interface CampaignInput {
  name: string;
  kind: CampaignKind;
  audience: AudienceFilter;
  delivery: CampaignDelivery;
  content: CampaignContent;
  /** Alerts only: send outside quiet hours and 08:00-21:00. Sending still needs `confirmOverride`. */
  emergencyOverride?: boolean;
}

export interface CampaignChannelFigures {
  total: number;
  /** queued + waiting. */
  queued: number;
  held: number;
  sending: number;
  sent: number;
  delivered: number;
  /** failed + undelivered. */
  failed: number;
  /** cancelled, withdrawn (opt-out meanwhile) or expired. */
  stopped: number;
}

export interface CampaignProgress {
  campaignId: number;
  status: CampaignStatus;
  /** Still writing messages into the outbox. */
  enqueueing: boolean;
  total: number;
  queued: number;
  /** Held by a pause. */
  held: number;
  sending: number;
  sent: number;
  delivered: number;
  failed: number;
  stopped: number;
  replies: number;
  /** Messages that reached an outcome (sent, delivered, failed, stopped). */
  done: number;
  percent: number;
  byChannel: { sms: CampaignChannelFigures; email: CampaignChannelFigures };
  estCost: number;
}

export interface CampaignSummary {
  id: number;
  name: string;
  kind: CampaignKind;
  status: CampaignStatus;
  delivery: CampaignDelivery;
  /** Clinic-local 'YYYY-MM-DDTHH:MM' when scheduled. */
  scheduledLocal: string | null;
  sendAt: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: CampaignProgress;
}

export interface CampaignDetail extends CampaignSummary {
  audience: AudienceFilter;
  content: CampaignContent;
  emergencyOverride: boolean;
  /** The audience count taken when the send started. */
  snapshot: AudienceCount | null;
  /** Why the messages will wait (outside the sending window), or the override in words; null when they go at the time shown. */
  windowNote: string | null;
  log: { at: string; action: string; by: string | null; detail: string | null }[];
}

export interface RecipientOption {
  clientId: number;
  name: string;
  lang: CampaignLang;
  sms: boolean;
  email: boolean;
}

export interface CampaignPreview {
  clientId: number | null;
  clientName: string | null;
  lang: CampaignLang;
  sms: { body: string; segments: number; encoding: 'GSM-7' | 'UCS-2'; characters: number; nonGsmChars: string[]; fixable: number } | null;
  email: { subject: string; text: string; html: string } | null;
  /** Why this recipient gets nothing on a channel, or null. */
  smsBlocked: string | null;
  emailBlocked: string | null;
  /** Over the whole audience. */
  estimate: { smsMessages: number; segments: number; cost: number; emails: number; pricePerSegment: number };
  /** Merge fields the template uses that are empty for this recipient. */
  problems: string[];
}

export interface CampaignPreviewArgs {
  kind: CampaignKind;
  audience: AudienceFilter;
  delivery: CampaignDelivery;
  content: CampaignContent;
  clientId?: number | null;
  /** Preview in this language's variant instead of the client's own. */
  lang?: CampaignLang | null;
  /** The campaign being edited (its own marketing messages do not count toward the cap). */
  campaignId?: number | null;
}

export interface CampaignSendArgs {
  id: number;
  /** Required when the campaign asks for the emergency override: the manager said yes to the prompt. */
  confirmOverride?: boolean;
  by?: string | null;
}

export interface CampaignFilterOptions {
  species: string[];
  cities: string[];
  serviceCategories: string[];
  serviceCodes: { code: string; description: string | null }[];
  timeZone: string | null;
  /** Clinic-local today, for date pickers ('tomorrow' = today + 1). */
  today: string;
  marketingCapPerMonth: number;
}

export interface CampaignsApi {
  'campaigns.list': (arg: void) => CampaignSummary[];
  'campaigns.get': (arg: { id: number }) => CampaignDetail;
  'campaigns.create': (arg: CampaignInput & { by?: string | null }) => CampaignDetail;
  /** Drafts and scheduled campaigns only. */
  'campaigns.update': (arg: CampaignInput & { id: number }) => CampaignDetail;
  /** Drafts only. */
  'campaigns.delete': (arg: { id: number }) => { deleted: boolean };
  'campaigns.count': (arg: { kind: CampaignKind; audience: AudienceFilter; delivery: CampaignDelivery; campaignId?: number | null }) => AudienceCount;
  'campaigns.recipients': (arg: { kind: CampaignKind; audience: AudienceFilter; delivery: CampaignDelivery; q?: string; limit?: number }) => RecipientOption[];
  'campaigns.preview': (arg: CampaignPreviewArgs) => CampaignPreview;
  'campaigns.filterOptions': (arg: void) => CampaignFilterOptions;
  /** Starts now. A second call (double click) returns the same campaign and enqueues nothing more. */
  'campaigns.send': (arg: CampaignSendArgs) => CampaignDetail;
  /** `at` is clinic-local 'YYYY-MM-DDTHH:MM'. */
  'campaigns.schedule': (arg: CampaignSendArgs & { at: string }) => CampaignDetail;
  'campaigns.unschedule': (arg: { id: number; by?: string | null }) => CampaignDetail;
  'campaigns.pause': (arg: { id: number; by?: string | null }) => CampaignDetail;
  'campaigns.resume': (arg: { id: number; by?: string | null }) => CampaignDetail;
  /** Withdraws every message not yet handed to Twilio or the mail server. */
  'campaigns.cancel': (arg: { id: number; by?: string | null }) => CampaignDetail;
  'campaigns.progress': (arg: { id: number }) => CampaignProgress;
  /** Inbox conversations that replied to the campaign's texts. */
  'campaigns.replies': (arg: { id: number }) => { conversationId: number | null; address: string; receivedAt: string }[];
}

export interface CampaignsEvents {
  'campaigns.progress': CampaignProgress;
  'campaigns.changed': { id: number; status: CampaignStatus };
}
