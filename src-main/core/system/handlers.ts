import type { AppInfo, DeskStatus, Handlers } from '../../contract';
import type { Db } from '../db/open';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';

/** A domain adds its part of the frame's status (unread count, arrivals, channel state). */
export type StatusContributor = (s: DeskStatus) => void;

export interface SystemDeps {
  db: Db;
  info: AppInfo;
  settings: SettingsStore;
  clock: Clock;
  warnings: string[];
  demo: boolean;
  contributors: StatusContributor[];
  openExternal?: (url: string) => void;
}

/** Links the app may open in the system browser; everything else is refused. */
const EXTERNAL_ALLOW = [/^https:\/\/(www\.|console\.)?twilio\.com\//, /^https:\/\/support\.microsoft\.com\//, /^https:\/\/support\.google\.com\//];

/** Shared with the Electron window, which opens clicked links through the same allow-list. */
export function isExternalUrlAllowed(url: string): boolean {
  return EXTERNAL_ALLOW.some((re) => re.test(url));
}

export function buildStatus(d: SystemDeps): DeskStatus {
  // Two small partial indexes answer this (messages_open, messages_inflight): no scan of the outbox.
  const counts = d.db
    .prepare<[], { status: string; n: number }>(
      "SELECT status, COUNT(*) n FROM messages WHERE status IN ('queued','waiting') GROUP BY status UNION ALL SELECT 'sending', COUNT(*) FROM messages WHERE status = 'sending'",
    )
    .all();
  const by = Object.fromEntries(counts.map((c) => [c.status, c.n]));
  // "Failed today" on the frame means the last 24 hours: a receptionist's shift, whatever the zone.
  const dayAgo = new Date(d.clock.now().getTime() - 24 * 3600_000).toISOString();
  const failedToday = d.db.prepare<[string], { n: number }>("SELECT COUNT(*) n FROM messages WHERE status = 'failed' AND updated_at >= ?").get(dayAgo)?.n ?? 0;
  const lastImport = d.db.prepare<[], { t: string | null }>("SELECT MAX(finished_at) t FROM import_runs WHERE status IN ('ok','unchanged')").get()?.t ?? null;
  const tw = d.settings.twilio();
  const sm = d.settings.smtp();
  const status: DeskStatus = {
    clinicName: d.settings.clinic()?.name ?? null,
    demo: d.demo,
    channels: [
      { channel: 'sms', state: tw ? 'connected' : 'not-configured', reason: tw ? undefined : 'Twilio is not set up yet: texts wait in the outbox.' },
      { channel: 'email', state: sm ? 'connected' : 'not-configured', reason: sm ? undefined : 'Email is not set up yet: emails wait in the outbox.' },
    ],
    unreadConversations: 0,
    arrivalsToday: 0,
    outbox: { waiting: by.waiting ?? 0, queued: by.queued ?? 0, sending: by.sending ?? 0, failedToday },
    lastImportAt: lastImport,
    lastPlanAt: d.settings.getDoc<string>('planner.lastRunAt'),
    warnings: [...d.warnings],
  };
  for (const c of d.contributors) c(status);
  return status;
}

export function systemHandlers(d: SystemDeps): Pick<Handlers, 'system.info' | 'system.status' | 'system.openExternal'> {
  return {
    'system.info': () => d.info,
    'system.status': () => buildStatus(d),
    'system.openExternal': ({ url }) => {
      if (!d.openExternal || !isExternalUrlAllowed(url)) return { opened: false };
      d.openExternal(url);
      return { opened: true };
    },
  };
}
