import type { AppInfo, ClientDetail, Envelope, Handlers } from '../contract';
import { createCampaigns, type CampaignsOptions } from './campaigns';
import { consentHandlers } from './consent/handlers';
import { createConsentLedger, type ConsentLedger } from './consent/ledger';
import type { InboundOptions } from './inbound';
import { createInbox } from './inbox';
import { demoHandlers, type DemoLink } from './demo/handlers';
import { openDatabase, type Db } from './db/open';
import { createMessaging, type MessagingOptions } from './messaging';
import { createPims } from './pims/handlers';
import { createPostcards } from './postcards';
import type { WatcherOptions } from './pims/watcher';
import { createOutbox, type Outbox } from './messaging/outbox';
import { createLoop, type Loop } from './loop';
import { remindersDomain } from './reminders';
import { createReports } from './reports';
import { invoke } from './rpc';
import { keyFileSecretBox, type SecretBox } from './settings/secrets';
import { settingsHandlers } from './settings/handlers';
import { setupHandlers } from './setup/handlers';
import { createSettingsStore, type SettingsStore } from './settings/store';
import { systemClock, type Clock } from './shared/clock';
import { createEventBus, type EventBus } from './shared/events';
import { createLogger, type Logger } from './shared/log';
import { buildStatus, systemHandlers, type StatusContributor } from './system/handlers';

export interface CoreOptions {
  dataDir: string;
  clock?: Clock;
  /** Electron passes a safeStorage-backed box; the Node host uses a key file. */
  secretBox?: SecretBox;
  logger?: Logger;
  host: AppInfo['host'];
  version?: string;
  demo?: boolean;
  /** The demo host's simulator and mail server (npm run demo); demo.* methods refuse without it. */
  demoLink?: DemoLink;
  isNetworkPath?: (p: string) => boolean;
  openExternal?: (url: string) => void;
  /** Inbound poll timing (tests use short intervals). */
  inbound?: InboundOptions;
  /** Dispatcher tuning (concurrency, poll and probe intervals, rate override for the simulator). */
  outbox?: MessagingOptions;
  /** Campaign scheduler tick and enqueue chunking (tests). */
  campaigns?: CampaignsOptions;
  /** Export-folder watch timing (tests use short waits). */
  importWatch?: WatcherOptions;
}

/** What every domain factory receives: only shared, injectable pieces. */
export interface CoreContext {
  db: Db;
  clock: Clock;
  events: EventBus;
  settings: SettingsStore;
  log: Logger;
  dataDir: string;
  outbox: Outbox;
  consent: ConsentLedger;
  demo: boolean;
}

export interface Core extends CoreContext {
  handlers: Handlers;
  /** The daily loop once, headless (`pawline run`, check:larkspur). */
  loop: Loop;
  invoke(method: string, arg: unknown): Promise<Envelope<unknown>>;
  /** Starts background work (dispatcher, pollers, watcher, daily plan). */
  start(): void;
  close(): Promise<void>;
}

/** Background services a domain runs while the desk is open. */
export interface Service {
  start(): void;
  stop(): Promise<void> | void;
}

export function createCore(opts: CoreOptions): Core {
  const clock = opts.clock ?? systemClock;
  const log = opts.logger ?? createLogger();
  const opened = openDatabase(opts.dataDir, { isNetworkPath: opts.isNetworkPath });
  const db = opened.db;
  const events = createEventBus();
  const box = opts.secretBox ?? keyFileSecretBox(opts.dataDir);
  const settings = createSettingsStore(db, box, clock);
  const contributors: StatusContributor[] = [];
  const services: Service[] = [];
  for (const w of opened.warnings) log.warn('database', { warning: w });
  // The frame's outbox counter follows every outbox change, coalesced per tick.
  let statusPending = false;
  // At most one status push per STATUS_MIN_GAP_MS: a 30k-message enqueue changes the outbox
  // hundreds of times, and recounting the frame after each chunk starves the inbox. The last
  // change is always pushed.
  const STATUS_MIN_GAP_MS = 250;
  let lastStatusAt = 0;
  const queueStatus = () => {
    if (statusPending) return;
    statusPending = true;
    const wait = Math.max(0, lastStatusAt + STATUS_MIN_GAP_MS - Date.now());
    const push = () => {
      statusPending = false;
      lastStatusAt = Date.now();
      if (!closed) events.emit('system.status', status());
    };
    // A lone change goes out on the next turn; only bursts are spaced out.
    if (wait === 0) setImmediate(push);
    else setTimeout(push, wait).unref?.();
  };
  // The dispatcher hears of every enqueue / withdraw at once (set once messaging exists below).
  let outboxChanged: (ids: number[]) => void = () => {};
  const outbox = createOutbox(
    db,
    clock,
    (ids) => {
      queueStatus();
      outboxChanged(ids);
    },
    () => settings.getDoc<{ pricePerSegment?: number }>('twilio')?.pricePerSegment,
  );
  const consent = createConsentLedger(db, clock);
  const ctx: CoreContext = { db, clock, events, settings, log, dataDir: opts.dataDir, outbox, consent, demo: !!opts.demo };

  const info: AppInfo = { name: 'Pawline', version: opts.version ?? '0.1.0', host: opts.host, dataDir: opts.dataDir, schemaVersion: opened.schemaVersion };
  const system = systemHandlers({ db, info, settings, clock, warnings: opened.warnings, demo: !!opts.demo, contributors, openExternal: opts.openExternal });
  const status = () => system['system.status'](undefined) as ReturnType<typeof buildStatus>;
  // Domains register here: their handlers, background services and status contributions.
  const inbox = createInbox(ctx, opts.inbound);
  services.push(inbox.service);
  contributors.push(inbox.contributor);
  // Unread and arrival counts in the frame follow the inbox.
  events.on('inbox.changed', () => queueStatus());
  events.on('schedule.changed', () => queueStatus());
  const messaging = createMessaging(ctx, opts.outbox);
  outboxChanged = messaging.notify;
  services.push(...messaging.services);
  contributors.push(messaging.contributor);
  // A draining batch changes rows all the time; the frame's counters need a refresh a second at most.
  let outboxStatusAt = 0;
  let outboxStatusTimer: NodeJS.Timeout | null = null;
  events.on('outbox.changed', () => {
    if (outboxStatusTimer) return;
    const wait = Math.max(0, outboxStatusAt + 1000 - Date.now());
    outboxStatusTimer = setTimeout(() => {
      outboxStatusTimer = null;
      outboxStatusAt = Date.now();
      queueStatus();
    }, wait);
    outboxStatusTimer.unref?.();
  });
  events.on('channel.status', () => queueStatus());
  // Health reminders, appointment messages and the shared templates; plans daily and after imports.
  const reminders = remindersDomain(ctx);
  services.push(...reminders.services);
  // Broadcasts and campaigns: scheduled starts, crash-safe enqueue, pause/resume, live progress.
  const campaigns = createCampaigns(ctx, { onMessagesChanged: messaging.notify }, opts.campaigns);
  services.push(campaigns.service);
  // PIMS import (runs, profiles, export-folder watch) and the clients it fills.
  const pims = createPims({ db, clock, events, log, settings, dataDir: opts.dataDir, watch: opts.importWatch });
  services.push({ start: () => pims.watcher.start(), stop: () => pims.watcher.stop() });
  events.on('imports.finished', () => queueStatus());
  // Reports (computed on demand) and postcard batches (printed on demand, never by the dispatcher).
  const reports = createReports(ctx);
  const postcards = createPostcards(ctx);
  // The daily loop headless (pawline run) and the frame's line on the plan's approval backlog.
  const loop = createLoop(ctx, {
    importer: pims.importer,
    planner: reminders.planner,
    dispatcher: messaging.dispatcher,
    statusPoller: messaging.poller,
    pollInbound: () => inbox.inbound.pollOnce(),
    startAll: () => startAll(),
  });
  contributors.push(loop.contributor);
  events.on('reminders.planned', () => queueStatus());
  const handlers: Handlers = {
    ...system,
    ...pims.handlers,
    ...consentHandlers({ db, consent, getClient: (id) => pims.handlers['clients.get']({ id }) as ClientDetail }),
    ...settingsHandlers(settings, events),
    ...inbox.handlers,
    ...messaging.handlers,
    ...reminders.handlers,
    ...campaigns.handlers,
    ...reports.handlers,
    ...postcards.handlers,
    ...setupHandlers(db, settings, events),
    ...demoHandlers(db, opts.demoLink ?? null),
  };

  let closed = false;
  function startAll() {
    for (const s of services) s.start();
  }
  return {
    ...ctx,
    handlers,
    loop,
    invoke: (method, arg) => invoke(handlers, method, arg, log),
    start: startAll,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of services) await s.stop();
      db.close();
    },
  };
}
