/**
 * Two-way texting: conversations, threads, replies, and the day's schedule with confirmation
 * and arrival state. Inbound text is plain text; the UI renders it as text, never as HTML.
 */

/** How the sender's number was matched when the conversation was opened. */
export type ConversationMatch = 'client' | 'ambiguous' | 'unknown' | 'short-code';
export type ConversationStatus = 'open' | 'closed';
/** Why a conversation needs a person even if it has been read. */
export type ConversationAttention = 'reschedule' | 'probable-opt-out' | null;

/** What the desk understood from an inbound text (and did about it). */
export type InboundIntent =
  | 'none'
  | 'opt-out'
  | 'opt-in'
  | 'help'
  | 'confirm'
  | 'reschedule'
  | 'arrived'
  | 'probable-opt-out';

export type InboxFilter = 'all' | 'unread' | 'mine' | 'ambiguous' | 'unknown' | 'closed';

export interface ConversationSummary {
  id: number;
  /** E.164, or the short code as received. */
  address: string;
  /** '(206) 555-0123' for NANP numbers, else the address. */
  displayAddress: string;
  match: ConversationMatch;
  clientId: number | null;
  /** 'Dana Whitfield' or null for unknown / ambiguous senders. */
  clientName: string | null;
  /** Pet names of the household, for the list line. */
  pets: string[];
  status: ConversationStatus;
  assignedTo: string | null;
  unread: number;
  attention: ConversationAttention;
  lastMessageAt: string;
  lastDirection: 'inbound' | 'outbound' | 'note' | null;
  /** First characters of the last message, as text. */
  lastPreview: string;
}

export interface InboxListArgs {
  filter?: InboxFilter;
  /** Staff name for the 'mine' filter. */
  me?: string | null;
  /** Search words: names, pets, numbers, message text. */
  q?: string;
  offset?: number;
  limit?: number;
}

export interface InboxListResult {
  total: number;
  offset: number;
  items: ConversationSummary[];
}

export type DeliveryState = 'queued' | 'waiting' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'cancelled' | 'withdrawn' | 'expired';

export interface ThreadMedia {
  id: number;
  contentType: string;
  state: 'pending' | 'stored' | 'failed';
  bytes: number | null;
  error: string | null;
}

export type ThreadItem =
  | {
      type: 'inbound';
      id: number;
      at: string;
      body: string;
      intent: InboundIntent;
      /** What the desk did, e.g. 'Confirmed Rex's appointment Tue Dec 8 at 2:30 PM'. */
      outcome: string | null;
      numMedia: number;
      mediaState: 'none' | 'pending' | 'stored' | 'failed';
      mediaError: string | null;
      media: ThreadMedia[];
    }
  | {
      type: 'outbound';
      id: number;
      at: string;
      body: string;
      kind: 'alert' | 'reply' | 'appointment' | 'reminder' | 'marketing';
      status: DeliveryState;
      /** Why it failed or waits, in words (Twilio code included). */
      error: string | null;
      waitReason: string | null;
      sentAt: string | null;
      createdBy: string;
    }
  | { type: 'note'; id: number; at: string; body: string; author: string | null }
  | { type: 'event'; id: number; at: string; body: string; author: string | null };

export interface ThreadPet {
  id: number;
  name: string;
  species: string | null;
  breed: string | null;
}

export interface ThreadReminder {
  petName: string;
  description: string;
  dueDate: string;
}

export interface ThreadAppointment {
  id: number;
  petName: string | null;
  startLocal: string;
  reason: string | null;
  confirmState: ScheduleConfirmState;
  arrivedAt: string | null;
}

export interface ClientCandidate {
  id: number;
  name: string;
  pets: string[];
  phones: string[];
  /** When this household was last texted from the clinic at the number in question. */
  lastMessagedAt?: string | null;
}

export interface ThreadView {
  conversation: ConversationSummary;
  client: { id: number; name: string; firstName: string | null; phones: string[]; email: string | null } | null;
  pets: ThreadPet[];
  reminders: ThreadReminder[];
  appointments: ThreadAppointment[];
  /** Households sharing the number (ambiguous conversations). */
  candidates: ClientCandidate[];
  /** Why a reply cannot go out at all (short code, opted out), or null. */
  replyBlocked: string | null;
  optedOut: boolean;
  /** The campaign the owner's latest text answers (the last text sent to the number before it), when it was a campaign's. */
  campaign?: { id: number; name: string };
  /** Oldest first. `hasMore` when older items exist before `items[0]`. */
  items: ThreadItem[];
  hasMore: boolean;
}

export interface SmsDraftAnalysis {
  /** The text as it will be sent (merge fields filled in). */
  rendered: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  perSegmentLimit: number;
  nonGsmChars: string[];
  /** How many curly quotes / dashes the one-click fix would replace. */
  fixable: number;
  /** The draft after the fix (merge fields untouched). */
  fixed: string;
  estCost: number;
  /** Over Twilio's 1,600-character limit, or empty. */
  error: string | null;
  /** Merge fields that have no value for this conversation. */
  missingFields: string[];
}

export interface ReplyTemplate {
  id: string;
  name: string;
  body: string;
}

export interface SendReplyArgs {
  conversationId: number;
  body: string;
  /** A fresh id per draft: a double click or a retried call never sends twice. */
  requestId: string;
  /** Staff name, shown in the thread. */
  staff?: string | null;
  /**
   * Outside quiet hours the call fails with code 'quiet-hours' unless this says what to do:
   * 'wait' queues for the next send window, 'override' sends now (after the desk asked the staff member).
   */
  quietHours?: 'wait' | 'override';
}

export interface SendReplyResult {
  messageId: number;
  status: DeliveryState;
  notBefore: string;
  duplicate: boolean;
}

export interface MediaContent {
  contentType: string;
  /** data: URL, so the strict CSP (img-src 'self' data:) needs no exception. */
  dataUrl: string;
  bytes: number;
}

export type ScheduleConfirmState = 'none' | 'requested' | 'confirmed' | 'reschedule' | 'no-answer';

export interface ScheduleAppointment {
  id: number;
  startLocal: string;
  startUtc: string;
  durationMin: number | null;
  reason: string | null;
  doctor: string | null;
  pimsStatus: string;
  clientId: number | null;
  clientName: string | null;
  petName: string | null;
  species: string | null;
  confirmState: ScheduleConfirmState;
  /** 'confirmed' comes from the PIMS's own status, not an answer at the desk or by text. */
  confirmedInPims: boolean;
  confirmAt: string | null;
  arrivedAt: string | null;
  /** The number one-click messages go to, or null with the reason in `smsBlocked`. */
  smsTo: string | null;
  smsBlocked: string | null;
  conversationId: number | null;
  /** Last one-click message sent for this appointment ('come-in', 'ready'), with its delivery state. */
  lastMessage: { kind: string; status: DeliveryState; at: string } | null;
}

export interface ScheduleDay {
  /** 'YYYY-MM-DD', clinic-local. */
  date: string;
  timeZone: string;
  appointments: ScheduleAppointment[];
  counts: { total: number; confirmed: number; requested: number; reschedule: number; noAnswer: number; arrived: number };
}

export type ScheduleMessageKind = 'come-in' | 'ready' | 'custom';

export interface InboxApi {
  'inbox.list': (arg: InboxListArgs) => InboxListResult;
  'inbox.thread': (arg: { conversationId: number; before?: string; limit?: number }) => ThreadView;
  'inbox.markRead': (arg: { conversationId: number }) => ConversationSummary;
  'inbox.assign': (arg: { conversationId: number; staff: string | null; by?: string | null }) => ConversationSummary;
  'inbox.close': (arg: { conversationId: number; by?: string | null }) => ConversationSummary;
  'inbox.reopen': (arg: { conversationId: number; by?: string | null }) => ConversationSummary;
  'inbox.addNote': (arg: { conversationId: number; body: string; author?: string | null }) => { id: number };
  /** Attaches an unknown or ambiguous sender to a household. */
  'inbox.link': (arg: { conversationId: number; clientId: number; by?: string | null }) => ConversationSummary;
  /** Clients by name, pet or phone, for the link dialog. */
  'inbox.findClients': (arg: { q: string }) => ClientCandidate[];
  /** The conversation for a client's texting number (created when needed), to start one from the schedule. */
  'inbox.openForClient': (arg: { clientId: number }) => ConversationSummary;
  'inbox.analyze': (arg: { conversationId?: number | null; body: string }) => SmsDraftAnalysis;
  'inbox.templates': (arg: void) => ReplyTemplate[];
  'inbox.renderTemplate': (arg: { conversationId: number; templateId: string }) => { text: string };
  'inbox.send': (arg: SendReplyArgs) => SendReplyResult;
  /** Staff confirm a probable opt-out ("Stop. Thank you"): records it like a STOP keyword. */
  'inbox.optOut': (arg: { conversationId: number; by?: string | null }) => ConversationSummary;
  'inbox.media': (arg: { mediaId: number }) => MediaContent;
  'inbox.retryMedia': (arg: { messageId: number }) => { queued: boolean };
  'inbox.pollNow': (arg: void) => { fetched: number; stored: number };
  'inbox.staff': (arg: void) => string[];
  'inbox.saveStaff': (arg: { names: string[] }) => string[];

  'schedule.day': (arg: { date?: string }) => ScheduleDay;
  'schedule.message': (arg: {
    appointmentId: number;
    kind: ScheduleMessageKind;
    body?: string;
    requestId: string;
    staff?: string | null;
    quietHours?: 'wait' | 'override';
  }) => SendReplyResult;
  'schedule.setState': (arg: { appointmentId: number; confirmState?: ScheduleConfirmState; arrived?: boolean; by?: string | null }) => ScheduleAppointment;
}

export interface InboxMessageEvent {
  conversationId: number;
  messageId: number;
  direction: 'inbound';
  /** Only the first name: desktop notifications show nothing more. */
  clientFirstName: string | null;
  preview: string;
  intent: InboundIntent;
}

export interface InboxEvents {
  'inbox.message': InboxMessageEvent;
  'inbox.changed': { conversationIds: number[] };
  'schedule.changed': { appointmentIds: number[] };
}
