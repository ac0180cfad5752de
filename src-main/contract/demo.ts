/**
 * Demo mode (`npm run demo`): a local Twilio simulator and SMTP server stand in for the
 * clinic's accounts. These methods let an evaluator play the pet owner: text the clinic, and
 * look at the owner's phone and mailbox. Outside demo mode every method fails with code 'not-demo'.
 */

export interface DemoSms {
  sid: string;
  direction: 'to-owner' | 'from-owner';
  /** The owner's number (E.164). */
  owner: string;
  body: string;
  /** Twilio status as the simulator reports it: queued, sent, delivered, undelivered, failed, received. */
  status: string;
  errorCode: number | null;
  segments: number;
  at: string;
}

export interface DemoPhone {
  number: string;
  /** Household name when the number belongs to one demo client (for picking who to play). */
  label: string | null;
  received: number;
  sent: number;
  lastAt: string | null;
}

export interface DemoMail {
  id: number;
  to: string[];
  from: string;
  replyTo: string | null;
  subject: string;
  text: string;
  /** Whether an HTML part came along (the plain-text part is what the panel shows). */
  hasHtml: boolean;
  listUnsubscribe: string | null;
}

export interface DemoInfo {
  /** The clinic's number in the simulator: where owners' texts go. */
  clinicNumber: string;
  twilioUrl: string;
  smtp: string;
  dataDir: string;
  /** The calendar day the demo export was moved to. */
  today: string;
}

export interface DemoApi {
  'demo.info': (arg: void) => DemoInfo;
  /** An owner texts the clinic's number (the simulator records it; the desk picks it up on its next poll). */
  'demo.injectInbound': (arg: { from: string; body: string }) => DemoSms;
  /** Numbers that texted or were texted, plus demo clients with a cell number to pick from. */
  'demo.phones': (arg: void) => DemoPhone[];
  /** The conversation on one owner's phone, oldest first. */
  'demo.phone': (arg: { number: string }) => DemoSms[];
  /** Emails the local SMTP server received, newest first. */
  'demo.mailbox': (arg: { limit?: number }) => DemoMail[];
}

export interface DemoEvents {
  /** Something arrived at the simulator or the mail server (counts only). */
  'demo.changed': { sms: number; mail: number };
}
