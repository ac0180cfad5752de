/**
 * Reports (what went out, what came back, what it cost, whether reminded pets came in) and
 * postcard batches (print-ready PDFs for households no digital channel reaches).
 */

export type ReportChannel = 'sms' | 'email' | 'postcard';
export type ReportKind = 'alert' | 'reply' | 'appointment' | 'reminder' | 'marketing';

export interface ReportQuery {
  /** Clinic-local calendar days, both included ('YYYY-MM-DD'). */
  from: string;
  to: string;
  channel?: ReportChannel | null;
  kind?: ReportKind | null;
}

/**
 * Messages counted by the day they went out (or failed, when they never left) and by the status
 * they hold now. `sent` is every message that went out or was tried; `awaiting` is the part with
 * no final report yet (email and postcards never get one, texts until Twilio reports).
 */
export interface DeliveryFigures {
  sent: number;
  delivered: number;
  awaiting: number;
  undelivered: number;
  failed: number;
  segments: number;
  /** Sum of the estimates made when each message was queued (USD). */
  estCost: number;
}

export interface ReportDay extends DeliveryFigures {
  day: string;
  replies: number;
  optOuts: number;
}

export interface ChannelFigures extends DeliveryFigures {
  channel: ReportChannel;
}

export interface ComplianceRow {
  /** Category id ('vaccine') or step id ('before28'). */
  key: string;
  label: string;
  /** Reminded services (one pet, one service, one message). */
  reminded: number;
  /** A history row for that pet and service dated on/after the reminder went out. */
  cameIn: number;
  /** No visit in the history yet, but a covering appointment on/after that day (booked or done). */
  booked: number;
  /** (cameIn + booked) / reminded, 0..1; null when nothing was reminded. */
  rate: number | null;
}

export interface ComplianceFigures {
  /** Health-reminder messages that went out in the range (sent or delivered). */
  messages: number;
  /** Of those, messages after which at least one reminded pet came in or booked. */
  messagesFollowed: number;
  /** Distinct services (pet, service, due date) reminded in the range, counted from their first reminder. */
  services: number;
  cameIn: number;
  booked: number;
  rate: number | null;
  byCategory: ComplianceRow[];
  byStep: ComplianceRow[];
}

export interface ReportResult {
  query: { from: string; to: string; channel: ReportChannel | null; kind: ReportKind | null };
  timeZone: string;
  generatedAt: string;
  totals: DeliveryFigures & { replies: number; optOuts: number; deliveryRate: number | null };
  byChannel: ChannelFigures[];
  /** Opt-outs by where they came from ('keyword', 'carrier-21610', 'staff', ...). */
  optOutsBySource: { source: string; count: number }[];
  days: ReportDay[];
  compliance: ComplianceFigures;
  /** What the figures do and do not cover, in words for the manager. */
  notes: string[];
}

export type PostcardProblemReason = 'no-client' | 'client-gone' | 'no-address';

export interface PostcardProblem {
  messageId: number;
  clientId: number | null;
  /** Shown to staff only, never logged. */
  clientName: string | null;
  reason: PostcardProblemReason;
  /** What is missing and what to do, in words. */
  detail: string;
}

export interface PostcardPending {
  /** Due postcards with a usable address: what 'Generate batch' would print now. */
  ready: number;
  problems: PostcardProblem[];
  /** Postcards queued for a later day. */
  later: number;
}

export interface PostcardBatchSummary {
  id: string;
  createdAt: string;
  cards: number;
  pages: number;
  fileName: string;
}

export interface PostcardGenerateResult {
  /** null when nothing was ready to print. */
  batch: PostcardBatchSummary | null;
  problems: PostcardProblem[];
}

export interface PostcardFile {
  fileName: string;
  /** The PDF, base64-encoded (the renderer turns it into a blob download). */
  base64: string;
  bytes: number;
  pages: number;
}

export interface ReportsApi {
  'reports.summary': (arg: ReportQuery) => ReportResult;
  /** The same figures as CSV text (sections: totals, channels, days, opt-outs, compliance). */
  'reports.csv': (arg: ReportQuery) => { fileName: string; csv: string };
  'postcards.pending': (arg: void) => PostcardPending;
  /** Prints every due postcard with a usable address into a new batch and marks them sent. */
  'postcards.generate': (arg: void) => PostcardGenerateResult;
  'postcards.batches': (arg: { limit?: number } | void) => PostcardBatchSummary[];
  /** The batch's PDF; rebuilt identically from the database when the file is missing. */
  'postcards.file': (arg: { id: string }) => PostcardFile;
}

export interface ReportsEvents {
  'postcards.generated': PostcardBatchSummary;
}
