import type {
  AudienceCount,
  CampaignDetail,
  CampaignPreviewArgs,
  CampaignProgress,
  CampaignStatus,
  CampaignSummary,
  Handlers,
  RecipientOption,
} from '../../contract';
import type { CoreContext, Service } from '../index';
import { formatLocal, isInsideWindow, nextSendTime } from '../schedule/send-window';
import { atLocal } from '../schedule/local-time';
import { ApiError } from '../shared/errors';
import { DEFAULT_MARKETING_CAP } from './caps';
import { enqueueCampaign, firstSendTime, WRITER_TX_MS } from './enqueue';
import { createHolds } from './hold';
import { filterOptions } from './filter-options';
import { createPreview } from './preview';
import { createProgressReader } from './progress';
import { checkContent, requireOverrideConfirmation } from './start-checks';
import { resolveAudience, type Recipient } from './resolve';
import { LOCAL_TIME, parseAudience, parseInput } from './schema';
import { createCampaignStore, type Campaign } from './store';

export interface CampaignsOptions {
  /** How often scheduled campaigns are checked and progress is pushed (ms). */
  tickMs?: number;
  /**
   * Tests: recipients per enqueue page, fixed, each page committed before the next is rendered.
   * Without it pages adapt to chunkBudgetMs and the writer thread commits every WRITER_TX_MS.
   */
  chunk?: number;
  /** How long rendering one enqueue page may hold the event loop; 0 = fixed pages. Default 8 ms. */
  chunkBudgetMs?: number;
  /** How long the writer thread may hold the write lock while pages keep coming. Default WRITER_TX_MS. */
  writerTxMs?: number;
  /** Test hook (with `chunk`): runs after each committed enqueue page; throwing simulates a crash there. */
  afterChunk?: (campaignId: number, chunk: number) => void;
}

export interface CampaignsDeps {
  /** Tells the dispatcher (and the frame) that messages changed outside outbox.enqueue/withdraw. */
  onMessagesChanged?: (ids: number[]) => void;
}

type CampaignHandlers = Pick<Handlers, Extract<keyof Handlers, `campaigns.${string}`>>;

const RETRY_FAILED_ENQUEUE_MS = 30_000;
/** Scheduling further out is a typo (a year 9999 even sorted before today as text). */
const MAX_AHEAD_DAYS = 366;
/** How long after it ends a campaign's progress is still pushed (carriers report deliveries late). */
const SETTLING_MS = 48 * 3600_000;

/**
 * Broadcasts and campaigns: the API the Campaigns screen calls, and a background service that starts
 * scheduled campaigns at their clinic-local time, finishes enqueues a crash interrupted, pushes
 * live progress and marks campaigns finished when nothing of theirs is left to send.
 */
export function createCampaigns(ctx: CoreContext, deps: CampaignsDeps = {}, o: CampaignsOptions = {}) {
  const { db, clock, events, settings, log, outbox, consent } = ctx;
  const store = createCampaignStore(db, clock);
  const holds = createHolds(db);
  const progress = createProgressReader(db);
  const running = new Map<number, Promise<void>>();
  const failedAt = new Map<number, number>();
  const lastPushed = new Map<number, string>();
  let dirty = true;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;

  const marketingCap = () => settings.getDoc<number>('campaigns.marketingCap') ?? DEFAULT_MARKETING_CAP;
  const price = () => settings.twilio()?.pricePerSegment ?? 0.0083;
  const zone = () => settings.clinic()?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const changed = (id: number, status: CampaignStatus) => {
    dirty = true;
    events.emit('campaigns.changed', { id, status });
  };
  const messagesChanged = (ids: number[]) => {
    if (ids.length) deps.onMessagesChanged?.(ids);
  };

  const progressOf = (c: Campaign): CampaignProgress => progress.read(c.row.id, c.row.status, c.row.enqueue_state === 'running');

  const summary = (c: Campaign): CampaignSummary => ({
    id: c.row.id,
    name: c.row.name,
    kind: c.row.kind,
    status: c.row.status,
    delivery: c.row.delivery,
    scheduledLocal: c.row.scheduled_local,
    sendAt: c.row.send_at,
    createdAt: c.row.created_at,
    updatedAt: c.row.updated_at,
    startedAt: c.row.started_at,
    finishedAt: c.row.finished_at,
    progress: progressOf(c),
  });

  /** A sentence when the messages will not go out at the moment the manager expects. */
  const windowNote = (c: Campaign): string | null => {
    const clinic = settings.clinic();
    if (!clinic || c.row.status === 'finished' || c.row.status === 'cancelled') return null;
    if (c.row.emergency_override) return 'Emergency override: goes out at once, even outside the sending window (after your confirmation).';
    const now = clock.now();
    const at = c.row.send_at && Date.parse(c.row.send_at) > now.getTime() ? new Date(c.row.send_at) : now;
    const opts = c.row.kind === 'alert' ? {} : { openingHours: true };
    if (isInsideWindow(at, clinic, opts)) return null;
    const next = nextSendTime(at, clinic, opts);
    const which = c.row.kind === 'alert' ? `the clinic's sending hours, ${clinic.quietHours.start}-${clinic.quietHours.end}` : 'opening hours and sending hours';
    return `Outside ${which}: messages wait until ${formatLocal(next, clinic.timeZone)}.`;
  };

  const detail = (id: number): CampaignDetail => {
    const c = store.get(id);
    return {
      ...summary(c),
      audience: c.audience,
      content: c.content,
      emergencyOverride: !!c.row.emergency_override,
      snapshot: c.snapshot,
      log: store.logOf(id),
      windowNote: windowNote(c),
    };
  };

  const requireClinic = () => {
    const clinic = settings.clinic();
    if (!clinic) throw new ApiError('clinic.missing', 'Set up the clinic profile (name, time zone, quiet hours) in Settings before sending.');
    return clinic;
  };

  // ---- enqueue ----

  let marketingTurn: Promise<void> = Promise.resolve();
  const launch = (id: number) => {
    if (running.has(id)) return running.get(id)!;
    const clinic = settings.clinic();
    if (!clinic) return Promise.resolve();
    // Marketing enqueues take turns: each one's cap count (marketingContacts, read as its audience
    // is resolved) must see the messages the one before it queued, or two campaigns sent at once
    // would both reach a client who had one left.
    let release = () => {};
    const turn = store.get(id).row.kind === 'marketing' ? marketingTurn : null;
    if (turn) marketingTurn = new Promise<void>((r) => (release = r));
    const p = (async () => {
      try {
        if (turn) await turn;
        const r = await enqueueCampaign(
          {
            db,
            clock,
            outbox,
            consent,
            store,
            clinic,
            pricePerSegment: price(),
            marketingCap: marketingCap(),
            chunk: o.chunk ?? 100,
            // The desk's calls wait for at most one page: 8 ms leaves room under the inbox's 50 ms
            // for a page that overruns (the writer thread and other programs share the CPU) and the call itself.
            budgetMs: o.chunkBudgetMs ?? (o.chunk ? 0 : 8),
            maxTxMs: o.chunk ? 0 : (o.writerTxMs ?? WRITER_TX_MS),
            afterChunk: o.afterChunk ? (n) => o.afterChunk!(id, n) : undefined,
            onHeld: messagesChanged,
          },
          id,
        );
        store.update(id, { enqueue_state: 'done' });
        failedAt.delete(id);
        if (r.stoppedBy === 'cancelled') store.log(id, 'enqueue stopped', null, `cancelled after ${r.inserted} messages were queued`);
        else store.log(id, 'enqueued', null, `${r.inserted} messages queued${r.duplicates ? `, ${r.duplicates} already there` : ''}${r.skipped ? `, ${r.skipped} texts too long` : ''}`);
      } catch (e) {
        failedAt.set(id, Date.now());
        log.error('campaign enqueue interrupted', { campaign: id, error: e instanceof Error ? e.name : 'unknown' });
      } finally {
        release();
        running.delete(id);
        dirty = true;
        schedule(0);
      }
    })();
    running.set(id, p);
    return p;
  };

  const start = (id: number, by: string | null, from: CampaignStatus[], confirmOverride: boolean): boolean => {
    const now = clock.now().toISOString();
    const c = store.get(id);
    const ok = store.update(
      id,
      {
        status: 'sending',
        enqueue_state: 'running',
        started_at: now,
        ...(c.row.emergency_override && confirmOverride && !c.row.override_confirmed_at ? { override_confirmed_by: by, override_confirmed_at: now } : {}),
      },
      from,
    );
    if (!ok) return false;
    store.log(id, 'started', by, c.row.emergency_override ? 'emergency override confirmed' : null);
    changed(id, 'sending');
    void launch(id);
    return true;
  };

  // ---- the background service ----

  const finishIfDone = (id: number) => {
    const c = store.get(id);
    if (c.row.status !== 'sending' || c.row.enqueue_state !== 'done' || running.has(id)) return;
    const p = progressOf(c);
    if (p.queued + p.held + p.sending > 0) return;
    if (store.update(id, { status: 'finished', finished_at: clock.now().toISOString() }, ['sending'])) {
      store.log(id, 'finished', null, `${p.sent + p.delivered} sent, ${p.failed} failed`);
      changed(id, 'finished');
    }
  };

  const push = (id: number) => {
    const c = store.get(id);
    const p = progressOf(c);
    const key = JSON.stringify(p);
    if (lastPushed.get(id) === key) return;
    lastPushed.set(id, key);
    events.emit('campaigns.progress', p);
  };

  const tick = () => {
    const now = clock.now();
    const clinic = settings.clinic();
    if (clinic) {
      // A change of the clinic's zone re-anchors scheduled campaigns to the wall-clock time typed.
      for (const r of store.scheduled()) {
        if (r.time_zone === clinic.timeZone || !r.scheduled_local) continue;
        const m = LOCAL_TIME.exec(r.scheduled_local)!;
        store.update(r.id, { time_zone: clinic.timeZone, send_at: atLocal(m[1], `${m[2]}:${m[3]}`, clinic.timeZone).toISOString() }, ['scheduled']);
      }
      for (const r of store.due(now.toISOString())) {
        if (start(r.id, 'schedule', ['scheduled'], false)) log.info('scheduled campaign started', { campaign: r.id });
      }
    }
    const active = store.open();
    for (const r of active) {
      if (r.enqueue_state === 'running' && !running.has(r.id)) {
        if (r.status === 'cancelled') store.update(r.id, { enqueue_state: 'done' });
        else if (Date.now() - (failedAt.get(r.id) ?? 0) >= RETRY_FAILED_ENQUEUE_MS || !failedAt.has(r.id)) void launch(r.id);
      }
    }
    if (dirty) {
      dirty = false;
      for (const r of active) {
        finishIfDone(r.id);
        push(r.id);
      }
      const settling = new Set(store.settling(new Date(now.getTime() - SETTLING_MS).toISOString()));
      for (const id of settling) push(id);
      for (const id of [...lastPushed.keys()]) {
        if (!active.some((r) => r.id === id) && !settling.has(id)) {
          push(id);
          lastPushed.delete(id);
        }
      }
    }
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      try {
        tick();
      } catch (e) {
        log.error('campaign tick failed', { error: e instanceof Error ? e.name : 'unknown' });
      }
      schedule(o.tickMs ?? 1000);
    }, ms);
    timer.unref?.();
  };

  const offs = [events.on('outbox.changed', () => (dirty = true)), events.on('inbox.message', () => (dirty = true))];

  const service: Service = {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const off of offs) off();
      await Promise.allSettled([...running.values()]);
    },
  };

  // ---- preview and counts ----

  const resolveFor = (
    a: { kind: CampaignPreviewArgs['kind']; audience: unknown; delivery: CampaignPreviewArgs['delivery']; campaignId?: number | null },
    more: { explain?: boolean; onPage?: (page: Recipient[]) => void; collect?: boolean } = {},
  ) =>
    resolveAudience(db, consent, parseAudience(a.audience), {
      kind: a.kind,
      delivery: a.delivery,
      now: clock.now(),
      campaignId: a.campaignId ?? null,
      marketingCap: marketingCap(),
      explain: more.explain,
      onPage: more.onPage,
      collect: more.collect ?? true,
    });

  const preview = createPreview({ db, clock, settings, resolveFor, price, zone });

  const by = (s: string | null | undefined) => s?.trim() || null;

  const handlers = {
    'campaigns.list': () => store.list().map(summary),
    'campaigns.get': ({ id }) => detail(id),
    'campaigns.create': (arg) => {
      const input = parseInput(arg);
      const id = store.insert({
        name: input.name,
        kind: input.kind,
        audience: input.audience,
        delivery: input.delivery,
        content: input.content,
        emergencyOverride: !!input.emergencyOverride,
        createdBy: by(arg.by),
      });
      changed(id, 'draft');
      return detail(id);
    },
    'campaigns.update': (arg) => {
      const input = parseInput(arg);
      const cur = store.get(arg.id);
      if (cur.row.status !== 'draft' && cur.row.status !== 'scheduled')
        throw new ApiError('campaign.state', 'A campaign that has started can no longer be edited. Duplicate it instead.');
      if (cur.row.status === 'scheduled') checkContent(settings.clinic(), { ...cur, row: { ...cur.row, delivery: input.delivery }, content: input.content });
      const override = !!input.emergencyOverride;
      // The manager confirmed an emergency for what the campaign said and whom it reached then: any
      // edit of an override alert (or switching the override) asks for a fresh confirmation, and a
      // scheduled one goes back to draft to get it.
      const reconfirm = override || override !== !!cur.row.emergency_override;
      store.update(
        arg.id,
        {
          name: input.name,
          kind: input.kind,
          audience: JSON.stringify(input.audience),
          delivery: input.delivery,
          content: JSON.stringify(input.content),
          emergency_override: override ? 1 : 0,
          ...(reconfirm ? { override_confirmed_by: null, override_confirmed_at: null } : {}),
          ...(reconfirm && override && cur.row.status === 'scheduled' ? { status: 'draft' as const, send_at: null, scheduled_local: null } : {}),
        },
        ['draft', 'scheduled'],
      );
      changed(arg.id, store.row(arg.id).status);
      return detail(arg.id);
    },
    'campaigns.delete': ({ id }) => {
      const ok = store.remove(id);
      if (!ok) throw new ApiError('campaign.state', 'Only a draft can be deleted; cancel a scheduled or running campaign instead.');
      changed(id, 'cancelled');
      return { deleted: true };
    },
    'campaigns.count': async (a): Promise<AudienceCount> => (await resolveFor(a, { collect: false })).count,
    'campaigns.recipients': async (a): Promise<RecipientOption[]> => {
      const q = (a.q ?? '').trim().toLowerCase();
      const out: RecipientOption[] = [];
      for (const r of (await resolveFor(a)).recipients) {
        const name = [r.firstName, r.lastName].filter(Boolean).join(' ') || `Client #${r.clientId}`;
        if (q && !name.toLowerCase().includes(q) && !r.pets.some((p) => p.toLowerCase().includes(q))) continue;
        out.push({ clientId: r.clientId, name, lang: r.lang, sms: !!r.sms, email: !!r.email });
        if (out.length >= Math.min(200, a.limit ?? 50)) break;
      }
      return out;
    },
    'campaigns.preview': preview,
    'campaigns.filterOptions': () => filterOptions(db, settings, clock, zone(), marketingCap()),
    'campaigns.send': ({ id, confirmOverride, by: who }) => {
      const c = store.get(id);
      if (c.row.status === 'sending' || c.row.status === 'paused' || c.row.status === 'finished') return detail(id);
      if (c.row.status === 'cancelled') throw new ApiError('campaign.state', 'This campaign was cancelled. Duplicate it to send it again.');
      requireClinic();
      checkContent(settings.clinic(), c);
      requireOverrideConfirmation(c, confirmOverride);
      start(id, by(who), ['draft', 'scheduled'], !!confirmOverride);
      return detail(id);
    },
    'campaigns.schedule': ({ id, at, confirmOverride, by: who }) => {
      const c = store.get(id);
      if (c.row.status !== 'draft' && c.row.status !== 'scheduled') throw new ApiError('campaign.state', 'Only a draft or a scheduled campaign can be scheduled.');
      const clinic = requireClinic();
      const m = LOCAL_TIME.exec(at ?? '');
      if (!m) throw new ApiError('validation', 'Choose a date and time.', { at: 'Use a date and time like 2026-12-08T09:00' });
      const sendAt = atLocal(m[1], `${m[2]}:${m[3]}`, clinic.timeZone);
      if (Number.isNaN(sendAt.getTime())) throw new ApiError('validation', 'Choose a date and time.', { at: 'This date does not exist' });
      if (sendAt.getTime() <= clock.now().getTime())
        throw new ApiError('validation', 'That time has already passed at the clinic.', { at: 'Choose a later time, or use Send now' });
      if (sendAt.getTime() > clock.now().getTime() + MAX_AHEAD_DAYS * 86_400_000)
        throw new ApiError('validation', 'A campaign can be scheduled at most a year ahead.', { at: 'Choose a time within the next 12 months' });
      checkContent(settings.clinic(), c);
      requireOverrideConfirmation(c, confirmOverride);
      const now = clock.now().toISOString();
      store.update(
        id,
        {
          status: 'scheduled',
          scheduled_local: at,
          time_zone: clinic.timeZone,
          send_at: sendAt.toISOString(),
          ...(c.row.emergency_override ? { override_confirmed_by: by(who), override_confirmed_at: now } : {}),
        },
        ['draft', 'scheduled'],
      );
      store.log(id, 'scheduled', by(who), `${at} ${clinic.timeZone}`);
      changed(id, 'scheduled');
      schedule(Math.max(0, sendAt.getTime() - clock.now().getTime()));
      return detail(id);
    },
    'campaigns.unschedule': ({ id, by: who }) => {
      if (store.update(id, { status: 'draft', send_at: null, scheduled_local: null, override_confirmed_by: null, override_confirmed_at: null }, ['scheduled'])) {
        store.log(id, 'unscheduled', by(who));
        changed(id, 'draft');
      }
      return detail(id);
    },
    'campaigns.pause': ({ id, by: who }) => {
      const now = clock.now().toISOString();
      const ids = db.transaction(() => (store.update(id, { status: 'paused', paused_at: now }, ['sending']) ? holds.hold(id, now) : null))();
      if (ids === null) {
        if (store.row(id).status === 'paused') return detail(id);
        throw new ApiError('campaign.state', 'Only a campaign that is sending can be paused.');
      }
      store.log(id, 'paused', by(who), `${ids.length} messages held`);
      messagesChanged(ids);
      changed(id, 'paused');
      return detail(id);
    },
    'campaigns.resume': ({ id, by: who }) => {
      const now = clock.now().toISOString();
      const ids = db.transaction(() => (store.update(id, { status: 'sending', paused_at: null }, ['paused']) ? holds.release(id, now) : null))();
      if (ids === null) {
        if (store.row(id).status === 'sending') return detail(id);
        throw new ApiError('campaign.state', 'Only a paused campaign can be resumed.');
      }
      store.log(id, 'resumed', by(who), `${ids.length} messages released`);
      messagesChanged(ids);
      changed(id, 'sending');
      return detail(id);
    },
    'campaigns.cancel': ({ id, by: who }) => {
      const c = store.get(id);
      if (c.row.status === 'cancelled') return detail(id);
      if (c.row.status === 'finished') throw new ApiError('campaign.state', 'This campaign has finished: everything has already gone out.');
      const now = clock.now().toISOString();
      // The status changes first: an enqueue chunk checks it inside its own transaction, so none lands after this.
      if (!store.update(id, { status: 'cancelled', cancelled_at: now }, [c.row.status])) return detail(id);
      const withdrawn = outbox.withdraw({ campaignId: id }, 'Campaign cancelled by the manager', 'cancelled');
      store.log(id, 'cancelled', by(who), `${withdrawn} messages withdrawn`);
      changed(id, 'cancelled');
      return detail(id);
    },
    'campaigns.progress': ({ id }) => progressOf(store.get(id)),
    'campaigns.replies': ({ id }) => {
      store.row(id);
      return progress.replies(id).map((r) => ({ conversationId: r.conversation_id, address: r.from_address, receivedAt: r.received_at }));
    },
  } satisfies CampaignHandlers;

  return {
    handlers,
    service,
    store,
    /** Resolves when the campaign's current enqueue (if any) has finished. */
    settle: (id: number) => running.get(id) ?? Promise.resolve(),
    /** One pass of the background service (tests drive it with a fixed clock). */
    tick,
    firstSendTime: (id: number) => {
      const clinic = requireClinic();
      return firstSendTime(store.get(id), clock.now(), clinic);
    },
  };
}

export type Campaigns = ReturnType<typeof createCampaigns>;
