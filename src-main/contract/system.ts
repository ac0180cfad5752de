/** Desk-wide status: what the frame shows at all times. */

export type ChannelState = 'connected' | 'not-configured' | 'offline' | 'paused';

export interface ChannelStatus {
  channel: 'sms' | 'email';
  state: ChannelState;
  /** Why paused/offline, in words a receptionist understands. */
  reason?: string;
  since?: string;
}

export interface DeskStatus {
  clinicName: string | null;
  demo: boolean;
  channels: ChannelStatus[];
  unreadConversations: number;
  arrivalsToday: number;
  outbox: { waiting: number; queued: number; sending: number; failedToday: number };
  lastImportAt: string | null;
  lastPlanAt: string | null;
  /** Planned reminder messages waiting for "Approve and queue" on the Reminders screen. */
  awaitingApproval?: number;
  /** Warnings the desk must see (e.g. database on a network share). */
  warnings: string[];
}

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'web';
  dataDir: string;
  schemaVersion: number;
}

export interface SystemApi {
  'system.info': (arg: void) => AppInfo;
  'system.status': (arg: void) => DeskStatus;
  /** Only allow-listed https links (Twilio console, help pages) are opened, by the host. */
  'system.openExternal': (arg: { url: string }) => { opened: boolean };
}

export interface SystemEvents {
  'system.status': DeskStatus;
}
