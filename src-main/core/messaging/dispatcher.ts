import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { ClinicProfile, DrainProgress } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import type { Service } from '../index';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/log';
import type { ChannelHub, EmailLink, SmsLink } from './channel-hub';
import { CHANNELS, type ChannelName, type ChannelStates } from './channel-state';
import { ChannelError, classifySmtpError, classifyTwilioError } from './channels/errors';
import { composeEmail } from './email-composer';
import type { DueRow, QueueStore } from './queue-store';
import { SegmentRateLimiter } from './rate-limiter';
import { reconcileAddress, type ReconcileVerdict } from './reconciler';
import type { RetryPolicy } from './retry-policy';
import { PRIORITY, type MessageKind, type MessageRow } from './types';
import { KINDS_BY_CLASS, windowStates, type OverrideTier, type WindowClass } from './window-rules';

export interface DispatcherOptions {
  /** Sends in flight at once per channel. */
  concurrency?: { sms?: number; email?: number };
  /** Idle re-check for newly due messages (an enqueue also wakes the dispatcher at once). */
  pollMs?: number;
  /** While a channel is offline, how often the provider is tried again. */
  probeMs?: number;
  /**
   * After a restart, how long after its claim an interrupted send is looked up at Twilio: a request
   * cut off by the crash may still be landing there. Defaults to the HTTP timeout.
   */
  reconcileGraceMs?: number;
  reconcileSkewMs?: number;
  /** Rate bucket size in seconds of the sender's rate. */
  burstSeconds?: number;
  progressMs?: number;
  /**
   * While a batch drains, outcomes are written (and the next messages claimed) at most this often, in
   * one transaction, instead of one transaction per message.
   */
  batchMs?: number;
  /** Claims kept ready beyond the free slots, as a multiple of the concurrency (unpaced channels only). */
  claimAhead?: number;
}

export interface DispatcherDeps {
  clock: Clock;
  log: Logger;
  consent: ConsentLedger;
  clinic(): ClinicProfile | null;
  hub: ChannelHub;
  states: ChannelStates;
  store: QueueStore;
  retry: RetryPolicy;
  onChanged(ids: number[]): void;
  onChannelStatus(): void;
  onProgress(p: DrainProgress): void;
}

interface Claimed {
  row: DueRow;
  channel: ChannelName;
  segments: number;
  sms?: SmsLink;
  email?: EmailLink;
  limiter?: SegmentRateLimiter;
}

type Done =
  | { f: Claimed; ok: true; providerId: string | null; segments: number | null; detail: string }
  | { f: Claimed; ok: false; err: ChannelError };

type Gate = { ok: true } | { ok: false; reason: string };

/** The inbound helper's answer to HELP/INFO (core/inbound/ingest.ts marks it meta.auto = 'help'). */
function isHelpReply(row: DueRow): boolean {
  if (row.kind !== 'reply' || !row.meta) return false;
  try {
    return (JSON.parse(row.meta) as { auto?: unknown }).auto === 'help';
  } catch {
    return false;
  }
}

const KINDS: MessageKind[] = (Object.keys(PRIORITY) as MessageKind[]).sort((a, b) => PRIORITY[a] - PRIORITY[b]);
const ALL_PRIORITIES = KINDS.map((k) => PRIORITY[k]);

export interface Dispatcher extends Service {
  /** Re-check the queue now (after an enqueue, a retry, a settings change). */
  wake(): void;
  progress(): DrainProgress;
  /** Sends in flight per channel. */
  inflight(): Record<ChannelName, number>;
}

/**
 * The one sender. Each pass, in one transaction: record the outcomes of finished sends, expire what
 * is past its validity, hold back what may not go now (window, channel state) as 'waiting' with the
 * reason, and claim the next due messages in (priority, not_before, id) order: 'sending' with a claim
 * id, committed before any network call. Claims run a little ahead of the free send slots, so a slot
 * that frees starts its next send at once and the database is written in batches.
 */
export function createDispatcher(d: DispatcherDeps, opts: DispatcherOptions = {}): Dispatcher {
  const o = {
    concurrency: { sms: opts.concurrency?.sms ?? 4, email: opts.concurrency?.email ?? 3 },
    pollMs: opts.pollMs ?? 500,
    probeMs: opts.probeMs ?? 3_000,
    reconcileGraceMs: opts.reconcileGraceMs ?? 15_000,
    reconcileSkewMs: opts.reconcileSkewMs ?? 5 * 60_000,
    burstSeconds: opts.burstSeconds ?? 0.25,
    progressMs: opts.progressMs ?? 1_000,
    batchMs: opts.batchMs ?? 10,
    claimAhead: opts.claimAhead ?? 2,
  };
  const runId = randomBytes(4).toString('hex');
  let seq = 0;
  let stopped = true;
  let immediate = false;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;
  let probeTimer: NodeJS.Timeout | null = null;
  let progressTimer: NodeJS.Timeout | null = null;
  let reconciling: Promise<void> | null = null;
  let lastExpiry = 0;
  let rlStreak = 0;
  let statusChanged = false;
  // Orphans (sends of unknown outcome) are rare: the table is only read while some may exist.
  let orphansMaybe = true;
  let windowCache: { minute: number; clinic: ClinicProfile; states: ReturnType<typeof windowStates> } | null = null;
  let drain: { startedAt: number; done: number; failed: number; skipped: number } | null = null;
  const done: Done[] = [];
  const reconciled: { rows: MessageRow[]; verdicts?: ReconcileVerdict[]; err?: ChannelError }[] = [];
  const lookups = new Map<number, number>();
  const running = new Set<Promise<void>>();
  const inflightCount: Record<ChannelName, number> = { sms: 0, email: 0 };
  /** Claimed, not yet started: sent the moment a slot frees. */
  const ready: Record<ChannelName, Claimed[]> = { sms: [], email: [] };
  /** Claimed or in flight, per address: an interrupted send to it is looked up only when this is 0. */
  const busyTo = new Map<string, number>();
  const limiters = new Map<string, SegmentRateLimiter>();
  const lastMark = new Map<string, number>();

  // ---- scheduling ----

  /** Runs a pass after `ms` (0 = on the next turn of the event loop); keeps the earliest request. */
  const schedule = (ms: number) => {
    if (stopped) return;
    if (ms <= 0) {
      if (immediate) return;
      immediate = true;
      setImmediate(() => {
        immediate = false;
        tick();
      });
      return;
    }
    const at = Date.now() + ms;
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = null;
      timerAt = Infinity;
      tick();
    }, ms);
  };
  const soon = () => schedule(0);

  // ---- helpers ----

  const limiterFor = (link: SmsLink): SegmentRateLimiter => {
    let l = limiters.get(link.key);
    if (!l || l.rate !== link.rate) {
      l = new SegmentRateLimiter({ rate: link.rate, burstSeconds: o.burstSeconds });
      limiters.set(link.key, l);
    }
    return l;
  };

  const gate = (ch: ChannelName, clinic: ClinicProfile | null): Gate => {
    if (!clinic) return { ok: false, reason: 'not-configured: the clinic profile (time zone, quiet hours) is not set up yet' };
    const link = ch === 'sms' ? d.hub.sms() : d.hub.email();
    if (!link.ok) return { ok: false, reason: `not-configured: ${link.reason}` };
    const p = d.states.paused(ch);
    if (p) return { ok: false, reason: `channel-paused: ${p.reason}` };
    if (d.states.offline(ch)) return { ok: false, reason: 'offline' };
    return { ok: true };
  };

  /** Marks due messages waiting; repeated at most once a second for the same reason. */
  const markWaiting = (
    ch: ChannelName,
    priorities: number[],
    reason: string,
    nextAt: string | null,
    now: Date,
    changed: number[],
    tiers?: [OverrideTier, OverrideTier],
  ) => {
    const key = `${ch}|${priorities.join(',')}|${reason}|${nextAt}|${tiers?.join('-') ?? ''}`;
    if (lastMark.size > 200) lastMark.clear();
    const last = lastMark.get(key) ?? 0;
    if (now.getTime() - last < 1000 && now.getTime() >= last) return;
    lastMark.set(key, now.getTime());
    changed.push(...d.store.bulkWait(ch, priorities, reason, nextAt, now.toISOString(), tiers));
  };

  const markOrphan: QueueStore['orphan'] = (...args) => {
    orphansMaybe = true;
    return d.store.orphan(...args);
  };

  // Windows are defined in whole minutes: computed once a minute, not once a pass.
  const windowsAt = (now: Date, clinic: ClinicProfile) => {
    const minute = Math.floor(now.getTime() / 60_000);
    if (windowCache?.minute !== minute || windowCache.clinic !== clinic) windowCache = { minute, clinic, states: windowStates(now, clinic) };
    return windowCache.states;
  };

  const channelWord = (ch: ChannelName) => (ch === 'sms' ? 'texts' : 'emails');

  /** Reasons a due message must not go out at all any more. */
  const vet = (row: DueRow, ch: ChannelName, at: string): { to: 'withdrawn' | 'expired'; reason: string } | null => {
    if (row.expires_at && row.expires_at <= at) return { to: 'expired', reason: 'Its validity ended before it could be sent' };
    // CTIA: HELP is answered even for an opted-out number (the reply tells them how to stop).
    if (d.consent.isOptedOut(row.to_address, ch) && !isHelpReply(row))
      return { to: 'withdrawn', reason: `The owner opted out of ${channelWord(ch)}` };
    if (row.kind === 'marketing' && d.consent.latest(row.to_address, ch, 'marketing')?.status === 'opt-out')
      return { to: 'withdrawn', reason: `The owner opted out of marketing ${channelWord(ch)}` };
    const flags = d.store.flags(row.to_address);
    if (!flags.length) return null;
    if (ch === 'sms') {
      if (flags.includes('invalid')) return { to: 'withdrawn', reason: 'The number is not a valid mobile number' };
      if (flags.includes('not-mobile')) return { to: 'withdrawn', reason: 'The number is a landline or cannot take texts' };
    } else if (flags.includes('bounced')) {
      return { to: 'withdrawn', reason: 'Mail to this address bounced before' };
    }
    return null;
  };

  const messageIdFor = (row: DueRow, link: EmailLink): string => {
    const domain = link.config.fromAddress.split('@')[1] ?? 'pawline.local';
    return `<pawline.${row.id}.${randomBytes(8).toString('hex')}@${domain}>`;
  };

  const nextDayStart = (now: Date, clinic: ClinicProfile | null): Date =>
    DateTime.fromJSDate(now, { zone: clinic?.timeZone ?? 'UTC' }).plus({ days: 1 }).startOf('day').toJSDate();

  const hinted = (e: ChannelError) => (e.hint ? `${e.message}. ${e.hint}` : e.message);

  const busy = (to: string, delta: number) => {
    const n = (busyTo.get(to) ?? 0) + delta;
    if (n > 0) busyTo.set(to, n);
    else busyTo.delete(to);
  };

  // ---- sending ----

  const perform = async (f: Claimed): Promise<Done> => {
    if (f.sms) {
      try {
        const media = f.row.media ? (JSON.parse(f.row.media) as string[]) : undefined;
        const r = await f.sms.channel.send({ to: f.row.to_address, body: f.row.body, mediaUrls: media });
        return { f, ok: true, providerId: r.sid, segments: r.numSegments || null, detail: r.sid };
      } catch (e) {
        return { f, ok: false, err: classifyTwilioError(e) };
      }
    }
    try {
      const link = f.email!;
      const mail = composeEmail(
        { to: f.row.to_address, kind: f.row.kind, subject: f.row.subject, body: f.row.body, html: f.row.html, messageId: f.row.smtp_message_id! },
        d.clinic()!,
        { fromAddress: link.config.fromAddress, replyTo: link.config.replyTo || undefined },
      );
      const r = await link.channel.send(mail);
      return { f, ok: true, providerId: null, segments: null, detail: r.response.slice(0, 120) };
    } catch (e) {
      return { f, ok: false, err: classifySmtpError(e) };
    }
  };

  /** Starts claimed sends while slots are free and the channel is usable. */
  const pump = (ch: ChannelName) => {
    while (!stopped && inflightCount[ch] < o.concurrency[ch] && ready[ch].length && !d.states.paused(ch) && !d.states.offline(ch)) {
      const f = ready[ch].shift()!;
      inflightCount[ch]++;
      const p = perform(f).then((res) => {
        inflightCount[ch]--;
        busy(f.row.to_address, -1);
        done.push(res);
        running.delete(p);
        pump(ch);
        // With claims queued up the slot is already refilled; the bookkeeping can wait for a batch.
        schedule(ready[ch].length > 0 ? o.batchMs : 0);
      });
      running.add(p);
    }
  };

  // ---- outcomes ----

  const complete = (r: Done, now: Date, changed: number[]) => {
    const at = now.toISOString();
    const { row, channel: ch } = r.f;
    if (r.ok) {
      rlStreak = 0;
      if (d.store.sent(row.id, at, r.providerId, at, r.segments, r.detail)) {
        changed.push(row.id);
        if (drain) drain.done++;
      }
      return;
    }
    const err = r.err;
    const code = err.code !== undefined ? String(err.code) : null;
    const attempts = row.attempts + 1;
    const fail = (c: string | null, message: string) => {
      if (d.store.fail(row.id, at, c, message)) {
        changed.push(row.id);
        if (drain) drain.failed++;
      }
    };
    const requeue = (reason: string, nextAt: Date | null, counts: boolean) => {
      const ok = d.store.requeue(row.id, at, {
        status: 'waiting',
        reason,
        nextAt: nextAt ? nextAt.toISOString() : null,
        code,
        message: err.message,
        attemptsDelta: counts ? 0 : -1,
      });
      if (ok) changed.push(row.id);
    };
    const pause = (reason: string, until: Date | null = null) => {
      if (!d.states.paused(ch)) d.log.warn('channel paused', { channel: ch, kind: err.kind, code: err.code });
      d.states.pause(ch, reason, until);
      statusChanged = true;
      requeue(`channel-paused: ${reason}`, null, false);
    };
    switch (err.kind) {
      case 'opted-out':
        d.consent.record({ address: row.to_address, channel: 'sms', status: 'opt-out', source: 'carrier-21610', detail: `Twilio error ${code ?? '21610'}` });
        fail(code ?? '21610', err.message);
        return;
      case 'invalid-number':
        d.store.setFlag(row.to_address, 'invalid', code, at);
        fail(code, err.message);
        return;
      case 'not-mobile':
        d.store.setFlag(row.to_address, 'not-mobile', code, at);
        fail(code, err.message);
        return;
      case 'bounced':
        d.store.setFlag(row.to_address, 'bounced', [code, err.enhancedCode].filter(Boolean).join(' '), at);
        fail(code, err.message);
        return;
      case 'rate-limited':
        r.f.limiter?.slowDown();
        rlStreak++;
        requeue('rate-limited', new Date(now.getTime() + d.retry.rateLimited(rlStreak)), false);
        return;
      case 'offline':
        if (d.states.setOffline(ch, err.message)) {
          statusChanged = true;
          d.log.warn('channel offline', { channel: ch, kind: err.kind });
        }
        if (err.uncertain && ch === 'sms') {
          const next = new Date(now.getTime() + o.reconcileGraceMs).toISOString();
          if (markOrphan(row.id, at, next, code, err.message, 'connection lost mid-request: will look it up at Twilio before any retry')) changed.push(row.id);
        } else requeue('offline', null, false);
        return;
      case 'auth':
      case 'tls':
        pause(hinted(err));
        return;
      case 'quota':
        pause(hinted(err), nextDayStart(now, d.clinic()));
        return;
      case 'transient':
        if (err.uncertain && ch === 'sms') {
          // A timed-out request may still be landing at Twilio: look only once that could be over.
          const next = new Date(now.getTime() + Math.max(d.retry.lookup(1), o.reconcileGraceMs)).toISOString();
          if (markOrphan(row.id, at, next, code, err.message, 'no clear answer from Twilio: will look it up before any retry')) changed.push(row.id);
          return;
        }
        if (d.retry.exhausted(attempts)) fail(code, `${err.message}; gave up after ${attempts} attempts`);
        else requeue(`retry: ${err.message}`, new Date(now.getTime() + d.retry.transient(attempts)), true);
        return;
      case 'permanent':
        if (err.hint) pause(hinted(err));
        else fail(code, err.message);
        return;
    }
  };

  /** Gives claimed-but-unsent messages back (the channel closed, or the desk is stopping). */
  const release = (ch: ChannelName, reason: string | null, now: Date, changed: number[]) => {
    const at = now.toISOString();
    for (const f of ready[ch].splice(0)) {
      busy(f.row.to_address, -1);
      f.limiter?.refund(f.segments);
      const ok = d.store.requeue(f.row.id, at, {
        status: reason ? 'waiting' : 'queued',
        reason,
        nextAt: null,
        attemptsDelta: -1,
        detail: 'claimed but not sent: back in the queue',
      });
      if (ok) changed.push(f.row.id);
    }
  };

  const applyReconciled = (now: Date, changed: number[]) => {
    const at = now.toISOString();
    for (const r of reconciled.splice(0)) {
      if (r.err) {
        const e = r.err;
        if (e.kind === 'offline') {
          if (d.states.setOffline('sms', e.message)) statusChanged = true;
        } else if (e.kind === 'auth') {
          d.states.pause('sms', hinted(e));
          statusChanged = true;
        } else {
          for (const row of r.rows) {
            const n = (lookups.get(row.id) ?? 0) + 1;
            lookups.set(row.id, n);
            const next = new Date(now.getTime() + d.retry.lookup(n + 1)).toISOString();
            markOrphan(row.id, at, next, null, null, `lookup at Twilio failed (${e.kind}); will try again`);
          }
        }
        continue;
      }
      for (const v of r.verdicts ?? []) {
        lookups.delete(v.id);
        if (v.found) {
          const m = v.found;
          const sentAt = (m.dateSent ?? m.dateCreated ?? now).toISOString();
          if (d.store.sent(v.id, at, m.sid, sentAt, m.numSegments || null, `found at Twilio after an interrupted send: ${m.sid}`)) {
            changed.push(v.id);
            if (drain) drain.done++;
          }
        } else {
          const ok = d.store.requeue(v.id, at, {
            status: 'queued',
            reason: null,
            nextAt: null,
            attemptsDelta: -1,
            detail: 'not found at Twilio after an interrupted send: sending again',
          });
          if (ok) changed.push(v.id);
        }
      }
    }
  };

  const startReconcile = (link: SmsLink, rows: MessageRow[]) => {
    const groups = new Map<string, MessageRow[]>();
    for (const r of rows) groups.set(r.to_address, [...(groups.get(r.to_address) ?? []), r]);
    const queue = [...groups.values()];
    const worker = async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        try {
          const verdicts = await reconcileAddress(link.channel, g, { skewMs: o.reconcileSkewMs, isKnownSid: d.store.isKnownSid });
          reconciled.push({ rows: g, verdicts });
        } catch (e) {
          const err = classifyTwilioError(e);
          reconciled.push({ rows: g, err });
          if (err.kind === 'offline' || err.kind === 'auth') for (const rest of queue.splice(0)) reconciled.push({ rows: rest, err });
        }
      }
    };
    reconciling = Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker))
      .then(() => undefined)
      .catch((e) => d.log.error('reconcile crashed', { error: e instanceof Error ? e.name : 'unknown' }))
      .finally(() => {
        reconciling = null;
        soon();
      });
  };

  // ---- probing an offline channel ----

  const probe = async () => {
    probeTimer = null;
    if (stopped) return;
    let changedState = false;
    for (const ch of CHANNELS) {
      if (!d.states.offline(ch)) continue;
      try {
        if (ch === 'sms') {
          const link = d.hub.sms();
          if (link.ok) {
            const it = link.link.channel.list({ pageSize: 1 })[Symbol.asyncIterator]();
            await it.next();
            await it.return?.();
          }
        } else {
          const link = d.hub.email();
          if (link.ok) await link.link.channel.verify();
        }
        d.states.setOnline(ch);
        d.log.info('channel back online', { channel: ch });
        changedState = true;
      } catch (e) {
        const err = ch === 'sms' ? classifyTwilioError(e) : classifySmtpError(e);
        if (err.kind === 'auth') {
          d.states.setOnline(ch);
          d.states.pause(ch, hinted(err));
          changedState = true;
        }
      }
    }
    if (changedState) d.onChannelStatus();
    soon();
  };

  // ---- progress ----

  const progress = (): DrainProgress => {
    const now = d.clock.now();
    const remaining = d.store.remaining(now.toISOString()) + inflightCount.sms + inflightCount.email + ready.sms.length + ready.email.length;
    if (!drain) return { active: false, startedAt: null, done: 0, failed: 0, skipped: 0, remaining, total: remaining, perSecond: 0, etaSeconds: null };
    const elapsed = Math.max(0.001, (Date.now() - drain.startedAt) / 1000);
    const perSecond = drain.done / elapsed;
    return {
      active: true,
      startedAt: new Date(drain.startedAt).toISOString(),
      done: drain.done,
      failed: drain.failed,
      skipped: drain.skipped,
      remaining,
      total: drain.done + drain.failed + drain.skipped + remaining,
      perSecond: Math.round(perSecond * 10) / 10,
      etaSeconds: perSecond > 0 ? Math.round(remaining / perSecond) : null,
    };
  };

  const progressTick = () => {
    progressTimer = null;
    if (!drain) return;
    const p = progress();
    if (p.remaining === 0 && done.length === 0) {
      d.onProgress({ ...p, active: false, etaSeconds: 0 });
      drain = null;
      return;
    }
    d.onProgress(p);
    progressTimer = setTimeout(progressTick, o.progressMs);
    progressTimer.unref?.();
  };

  // ---- the pass ----

  function tick(): void {
    if (stopped) return;
    const now = d.clock.now();
    const at = now.toISOString();
    const changed: number[] = [];
    let claimedAny = false;
    let wakeIn = o.pollMs;
    const clinic = d.clinic();
    let orphanRows: MessageRow[] = [];

    d.store.tx(() => {
      for (const r of done.splice(0)) complete(r, now, changed);
      applyReconciled(now, changed);
      if (d.states.expirePauses().length) statusChanged = true;
      if (now.getTime() - lastExpiry >= 1000 || now.getTime() < lastExpiry) {
        lastExpiry = now.getTime();
        for (const r of d.store.expiredOpen(at)) {
          if (d.store.closeOpen(r, 'expired', at, 'Its validity ended before it could be sent')) {
            changed.push(r.id);
            if (drain) drain.skipped++;
          }
        }
      }
      if (orphansMaybe) {
        orphanRows = d.store.orphans();
        orphansMaybe = orphanRows.length > 0;
      }
      const blocked = new Set(orphanRows.map((r) => r.to_address));
      const windows = clinic ? windowsAt(now, clinic) : null;

      for (const ch of CHANNELS) {
        const g = gate(ch, clinic);
        if (!g.ok) {
          if (ready[ch].length) release(ch, g.reason, now, changed);
          markWaiting(ch, ALL_PRIORITIES, g.reason, null, now, changed);
          continue;
        }
        const link = ch === 'sms' ? d.hub.sms() : d.hub.email();
        if (!link.ok || !windows) continue;
        // Per kind, the least OverrideTier a row needs to go now: 0 inside its window, 1 (overrideQuietHours)
        // outside it but inside the legal hours, 2 (emergencyOverride) outside those too.
        const minTier = new Map<MessageKind, OverrideTier>();
        const legal = windows.legal;
        for (const cls of Object.keys(KINDS_BY_CLASS) as WindowClass[]) {
          const w = windows[cls];
          const tier: OverrideTier = w.open ? 0 : legal.open ? 1 : 2;
          for (const k of KINDS_BY_CLASS[cls]) minTier.set(k, tier);
          if (w.open) continue;
          const priorities = KINDS_BY_CLASS[cls].map((k) => PRIORITY[k]);
          markWaiting(ch, priorities, 'quiet-hours', w.opensAt!.toISOString(), now, changed, [0, 0]);
          // Overridden replies still keep to the legal hours: they wait only for 08:00, not the clinic's window.
          if (!legal.open) markWaiting(ch, priorities, 'quiet-hours', legal.opensAt!.toISOString(), now, changed, [1, 1]);
        }
        const limiter = ch === 'sms' ? limiterFor(link.link as SmsLink) : undefined;
        // Claim ahead of the free slots only when nothing paces the sends; a rate limit claims just in time.
        const ahead = limiter && !limiter.unlimited ? 0 : Math.round(o.concurrency[ch] * o.claimAhead);
        let free = o.concurrency[ch] + ahead - inflightCount[ch] - ready[ch].length;
        outer: for (const kind of KINDS) {
          const tier = minTier.get(kind) ?? 0;
          while (free > 0) {
            const want = free + (ch === 'sms' ? blocked.size : 0);
            const rows = d.store.selectDue(ch, PRIORITY[kind], at, want, tier);
            let progressed = false;
            for (const row of rows) {
              if (ch === 'sms' && blocked.has(row.to_address)) continue;
              const v = vet(row, ch, at);
              if (v) {
                if (d.store.closeOpen(row, v.to, at, v.reason)) {
                  changed.push(row.id);
                  if (drain) drain.skipped++;
                }
                progressed = true;
                continue;
              }
              const segments = Math.max(1, row.segments ?? 1);
              if (limiter && !limiter.tryTake(segments)) {
                wakeIn = Math.min(wakeIn, Math.max(1, limiter.msUntil(segments)));
                break outer;
              }
              const sms = ch === 'sms' ? (link.link as SmsLink) : undefined;
              const email = ch === 'email' ? (link.link as EmailLink) : undefined;
              const from = sms ? (sms.from ?? sms.key) : email!.config.fromAddress;
              // The Message-ID is fixed at the first claim and reused by every retry.
              const messageId = email ? (row.smtp_message_id ?? messageIdFor(row, email)) : null;
              if (!d.store.claim(row, `${runId}:${++seq}`, at, from, messageId)) {
                limiter?.refund(segments);
                continue;
              }
              progressed = true;
              claimedAny = true;
              busy(row.to_address, 1);
              ready[ch].push({ row: { ...row, status: 'sending', smtp_message_id: messageId }, channel: ch, segments, sms, email, limiter });
              changed.push(row.id);
              if (--free === 0) break;
            }
            if (!progressed || rows.length < want) break;
          }
        }
      }
    });

    for (const ch of CHANNELS) pump(ch);
    if (claimedAny && !drain) drain = { startedAt: Date.now(), done: 0, failed: 0, skipped: 0 };
    if (drain && !progressTimer) {
      progressTimer = setTimeout(progressTick, o.progressMs);
      progressTimer.unref?.();
    }

    // Interrupted sends are looked up once nothing else to the same number is claimed or in flight.
    const sms = d.hub.sms();
    if (orphanRows.length && !reconciling && sms.ok && gate('sms', clinic).ok) {
      const due = orphanRows.filter((r) => r.channel === 'sms' && (!r.next_attempt_at || r.next_attempt_at <= at) && !busyTo.has(r.to_address));
      if (due.length) startReconcile(sms.link, due);
      else {
        const next = orphanRows.filter((r) => r.next_attempt_at && r.next_attempt_at > at).map((r) => Date.parse(r.next_attempt_at!) - now.getTime());
        if (next.length) wakeIn = Math.min(wakeIn, ...next);
      }
    }
    if ((d.states.offline('sms') || d.states.offline('email')) && !probeTimer) {
      probeTimer = setTimeout(() => void probe(), o.probeMs);
      probeTimer.unref?.();
    }
    if (changed.length) d.onChanged(changed);
    if (statusChanged) {
      statusChanged = false;
      d.onChannelStatus();
    }
    schedule(wakeIn);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      // Whatever is 'sending' now was left by a process that died: nothing of ours is in flight yet.
      const now = d.clock.now();
      const at = now.toISOString();
      const changed: number[] = [];
      d.store.tx(() => {
        for (const row of d.store.sending()) {
          if (row.channel === 'sms') {
            const after = Math.max(now.getTime(), Date.parse(row.claimed_at ?? at) + o.reconcileGraceMs);
            markOrphan(row.id, at, new Date(after).toISOString(), null, null, 'interrupted by a restart: will look it up at Twilio before any retry');
          } else {
            d.store.requeue(row.id, at, {
              status: 'queued',
              reason: null,
              nextAt: null,
              attemptsDelta: -1,
              detail: 'interrupted by a restart: sending again with the same Message-ID',
            });
          }
          changed.push(row.id);
        }
      });
      if (changed.length) {
        d.log.info('outbox: interrupted sends found at start', { count: changed.length });
        d.onChanged(changed);
      }
      soon();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      if (probeTimer) clearTimeout(probeTimer);
      if (progressTimer) clearTimeout(progressTimer);
      timer = probeTimer = progressTimer = null;
      const wait = new Promise<void>((r) => setTimeout(r, 10_000).unref?.());
      await Promise.race([Promise.allSettled([...running, reconciling]), wait]);
      // Record what finished and hand back what never started, so a clean stop leaves nothing to reconcile.
      const changed: number[] = [];
      const now = d.clock.now();
      d.store.tx(() => {
        for (const r of done.splice(0)) complete(r, now, changed);
        applyReconciled(now, changed);
        for (const ch of CHANNELS) release(ch, null, now, changed);
      });
      if (changed.length) d.onChanged(changed);
    },
    wake: soon,
    progress,
    inflight: () => ({ ...inflightCount }),
  };
}
