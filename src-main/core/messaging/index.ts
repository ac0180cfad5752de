import type { ChannelStatus, DeskStatus } from '../../contract';
import type { CoreContext, Service } from '../index';
import { formatLocal } from '../schedule/send-window';
import type { StatusContributor } from '../system/handlers';
import { createChannelHub, type ChannelFactories } from './channel-hub';
import { createChannelStates, type ChannelName } from './channel-state';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher';
import { outboxHandlers } from './handlers';
import { createQueueStore } from './queue-store';
import { createRetryPolicy, type RetryConfig } from './retry-policy';
import { createStatusPoller, type StatusPoller } from './status-poller';

export interface MessagingOptions extends DispatcherOptions {
  /** Overrides the sender type's segments per second; Infinity = unlimited (simulator benchmarks only). */
  rate?: number;
  statusPollMs?: number;
  statusPageSize?: number;
  retry?: Partial<RetryConfig>;
  random?: () => number;
  twilioTimeoutMs?: number;
  smtpTimeoutMs?: number;
  factories?: ChannelFactories;
  /** Minimum time between 'outbox.changed' events. */
  changeEventMs?: number;
}

export interface Messaging {
  handlers: ReturnType<typeof outboxHandlers>;
  services: Service[];
  contributor: StatusContributor;
  dispatcher: Dispatcher;
  poller: StatusPoller;
  /** Called by the outbox on every enqueue / withdraw. */
  notify(ids: number[]): void;
  channels(): ChannelStatus[];
}

/**
 * The outbox's moving parts: channels built from settings, the dispatcher, the status poller, the
 * handlers the desk calls and the channel status the frame shows.
 */
export function createMessaging(ctx: CoreContext, o: MessagingOptions = {}): Messaging {
  const { db, clock, events, settings, log } = ctx;
  const store = createQueueStore(db);
  const states = createChannelStates(db, clock);
  const sockets = Math.max(o.concurrency?.sms ?? 4, 4);
  const hub = createChannelHub(settings, {
    factories: o.factories,
    twilioTimeoutMs: o.twilioTimeoutMs,
    twilioSockets: sockets,
    smtpMaxConnections: o.concurrency?.email ?? 3,
    smtpTimeoutMs: o.smtpTimeoutMs,
    rateOverride: o.rate,
  });
  const retry = createRetryPolicy(o.retry, o.random);
  let clinic = settings.clinic();

  // 'outbox.changed' is throttled: a drain changes hundreds of rows a second, the desk needs a few refreshes.
  const pendingIds = new Set<number>();
  let changeTimer: NodeJS.Timeout | null = null;
  let closed = false;
  const changeEventMs = o.changeEventMs ?? 250;
  const flushChanged = () => {
    changeTimer = null;
    if (closed || !pendingIds.size) return;
    const ids = [...pendingIds].slice(0, 500);
    pendingIds.clear();
    events.emit('outbox.changed', { ids });
  };
  const onChanged = (ids: number[]) => {
    for (const id of ids) pendingIds.add(id);
    if (!changeTimer && !closed) {
      changeTimer = setTimeout(flushChanged, changeEventMs);
      changeTimer.unref?.();
    }
  };

  const channels = (): ChannelStatus[] => {
    const out: ChannelStatus[] = [];
    for (const ch of ['sms', 'email'] as ChannelName[]) {
      const link = ch === 'sms' ? hub.sms() : hub.email();
      const p = states.paused(ch);
      const off = states.offline(ch);
      if (!link.ok) out.push({ channel: ch, state: 'not-configured', reason: link.reason });
      else if (!clinic)
        out.push({ channel: ch, state: 'not-configured', reason: 'Set up the clinic profile (time zone, quiet hours) in Settings: messages wait until then.' });
      else if (p) {
        const until = p.until ? ` Sending resumes ${formatLocal(p.until, clinic.timeZone)}.` : '';
        out.push({ channel: ch, state: 'paused', reason: `${p.reason}${until}`, since: p.since });
      } else if (off)
        out.push({
          channel: ch,
          state: 'offline',
          reason: `${off.reason}. Messages wait and go out by themselves when the connection is back.`,
          since: off.since,
        });
      else out.push({ channel: ch, state: 'connected' });
    }
    return out;
  };
  const onChannelStatus = () => events.emit('channel.status', channels());

  const dispatcher = createDispatcher(
    {
      clock,
      log,
      consent: ctx.consent,
      clinic: () => clinic,
      hub,
      states,
      store,
      retry,
      onChanged,
      onChannelStatus,
      onProgress: (p) => events.emit('outbox.progress', p),
    },
    { reconcileGraceMs: o.twilioTimeoutMs ?? 15_000, ...o },
  );
  const poller = createStatusPoller({ clock, log, hub, states, store, retry, onChanged, intervalMs: o.statusPollMs ?? 30_000, pageSize: o.statusPageSize });

  const resume = (ch: ChannelName) => {
    const a = states.resume(ch);
    const b = states.setOnline(ch);
    if (a || b) onChannelStatus();
    dispatcher.wake();
  };

  const offSettings = events.on('settings.changed', () => {
    clinic = settings.clinic();
    // New credentials or a new server: lift pauses and try again.
    for (const ch of hub.rebuild()) {
      states.resume(ch);
      states.setOnline(ch);
    }
    onChannelStatus();
    dispatcher.wake();
  });

  const lifecycle: Service = {
    start() {},
    stop() {
      closed = true;
      offSettings();
      if (changeTimer) clearTimeout(changeTimer);
      hub.close();
    },
  };

  return {
    handlers: outboxHandlers({ db, clock, outbox: ctx.outbox, dispatcher, channels, resume, onChanged }),
    // Stopped in reverse order by nobody in particular: the lifecycle entry closes the channels last.
    services: [dispatcher, poller, lifecycle],
    contributor: (s: DeskStatus) => {
      s.channels = channels();
    },
    dispatcher,
    poller,
    notify: (ids) => {
      onChanged(ids);
      dispatcher.wake();
    },
    channels,
  };
}
