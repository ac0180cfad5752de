import type { DeskStatus, ImportRunSummary, PlanSummary } from '../../contract';
import type { CoreContext } from '../index';
import type { Dispatcher } from '../messaging/dispatcher';
import type { StatusPoller } from '../messaging/status-poller';
import type { Importer } from '../pims/importer';
import type { Planner } from '../reminders/runner';
import { ApiError } from '../shared/errors';
import type { StatusContributor } from '../system/handlers';
import { createQueueState, type RunMark } from './queue-state';
import type { HeadlessRunOptions, RunEnd, RunImportPart, RunPlanPart, RunReport } from './types';

export interface LoopParts {
  importer: Importer;
  planner: Planner;
  dispatcher: Dispatcher;
  statusPoller: StatusPoller;
  pollInbound(): Promise<{ fetched: number; stored: number; error?: { kind: string; message: string } }>;
  /** Starts every background service of the desk (watch, daily plan, send, polls). */
  startAll(): void;
}

export interface Loop {
  /** The daily loop once, headless: import, plan, approve, send, poll (`pawline run`). */
  run(o: HeadlessRunOptions): Promise<RunReport>;
  /** Adds the plan's approval backlog to the frame's status line. */
  contributor: StatusContributor;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const importPart = (s: ImportRunSummary): RunImportPart => ({
  runId: s.runId,
  status: s.status,
  source: s.source,
  files: s.files.length,
  rowsRead: s.rowsRead,
  errors: s.errors,
  warnings: s.warnings,
  byEntity: s.byEntity,
  ...(s.error ? { error: s.error } : {}),
});

const planPart = (s: PlanSummary): RunPlanPart => {
  const byChannel: Record<string, number> = {};
  for (const b of s.reminders.byStep) byChannel[b.channel] = (byChannel[b.channel] ?? 0) + b.messages;
  return {
    runId: s.runId,
    asOf: s.asOf,
    reminders: {
      messages: s.reminders.messages,
      households: s.reminders.households,
      byChannel,
      queued: s.reminders.queued,
      awaitingApproval: s.reminders.proposed,
      alreadyPlannedHouseholds: s.reminders.alreadyPlannedHouseholds,
    },
    appointments: { confirmations: s.appointments.confirmations, dayOf: s.appointments.dayOf, alreadyPlanned: s.appointments.alreadyPlanned },
    toRemind: s.toRemind.value,
  };
};

/**
 * The daily loop the desk runs while open (folder watch, daily plan, dispatcher, pollers: each a
 * Service of its domain) run once on demand for IT and scripted checks, and the frame's line
 * about it.
 */
export function createLoop(ctx: CoreContext, parts: LoopParts): Loop {
  const q = createQueueState(ctx.db);

  /** Until nothing can go out within soonMs and nothing is in flight, for three checks in a row. */
  const drain = async (o: HeadlessRunOptions, deadline: number): Promise<RunEnd> => {
    parts.dispatcher.start();
    parts.dispatcher.wake();
    const soonMs = o.soonMs ?? 60_000;
    let calm = 0;
    let lastNote = 0;
    for (;;) {
      if (o.signal?.aborted) return 'stopped';
      if (deadline && Date.now() > deadline) return 'timeout';
      await sleep(250, o.signal);
      const inflight = parts.dispatcher.inflight();
      const busy = q.busy(ctx.clock.now(), soonMs) + inflight.sms + inflight.email;
      calm = busy === 0 ? calm + 1 : 0;
      if (calm >= 3) return 'idle';
      if (o.onProgress && Date.now() - lastNote > 5000) {
        lastNote = Date.now();
        const p = parts.dispatcher.progress();
        o.onProgress(`sending: ${p.done} sent, ${p.failed} failed, ${p.skipped} skipped, ${busy} to go${p.perSecond ? ` (${p.perSecond}/s)` : ''}`);
      }
    }
  };

  /**
   * Send, then read replies and statuses, until a pass changes nothing: a reply may queue an
   * answer (HELP) and a status poll may queue a re-send. Then keep polling statuses up to settleMs
   * for texts without a final status; every text sent has been polled at least once by then.
   */
  const untilIdle = async (o: HeadlessRunOptions, m: RunMark): Promise<RunEnd> => {
    const deadline = o.timeoutMs ? Date.now() + o.timeoutMs : 0;
    const settleMs = o.settleMs ?? 15_000;
    let settleUntil = 0;
    for (;;) {
      const end = await drain(o, deadline);
      if (end !== 'idle') return end;
      const pollAt = ctx.clock.now();
      const r = await parts.pollInbound();
      if (r.error && r.error.kind !== 'not-configured') o.onProgress?.(`could not check for replies: ${r.error.kind}`);
      await parts.statusPoller.pollNow();
      const inflight = parts.dispatcher.inflight();
      if (q.busy(ctx.clock.now(), o.soonMs ?? 60_000) + inflight.sms + inflight.email > 0) continue;
      // Sent after this poll began: not looked at yet.
      if (q.sentSince(pollAt) > 0) continue;
      settleUntil ||= Date.now() + settleMs;
      const open = q.outcomes(m).awaitingStatus;
      if (open === 0 || Date.now() >= settleUntil) return 'idle';
      if (deadline && Date.now() > deadline) return 'timeout';
      o.onProgress?.(`waiting for the final status of ${open} text${open === 1 ? '' : 's'}`);
      await sleep(1000, o.signal);
      if (o.signal?.aborted) return 'stopped';
    }
  };

  const report = (m: RunMark, end: RunEnd, got: { imported: RunImportPart | null; planned: RunPlanPart | null; plan: PlanSummary | null; t: { import: number; plan: number; send: number } }, error?: { code: string; message: string }): RunReport => {
    const out = q.outcomes(m);
    const waiting = q.waiting(ctx.clock.now());
    const byReason: Record<string, number> = {};
    for (const g of waiting) byReason[g.reason] = (byReason[g.reason] ?? 0) + g.count;
    const inbound = q.inbound(m);
    const consent = q.consent(m);
    const remSup = got.plan?.reminders.suppressed ?? {};
    const apptSup = got.plan?.appointments.skipped ?? {};
    const sum = (o: Partial<Record<string, number>>) => Object.values(o).reduce<number>((n, v) => n + (v ?? 0), 0);
    return {
      ok: !error && end !== 'timeout',
      ended: end,
      ...(error ? { error } : {}),
      dataDir: ctx.dataDir,
      timeZone: ctx.settings.clinic()?.timeZone ?? null,
      clockStart: m.clockAt,
      imported: got.imported,
      planned: got.planned,
      sent: { ...out.sent, total: out.sent.sms + out.sent.email },
      delivered: out.delivered,
      failed: { ...out.failed, total: out.failed.sms + out.failed.email, byCode: out.failedByCode },
      awaitingStatus: out.awaitingStatus,
      waiting: { total: waiting.reduce((n, g) => n + g.count, 0), byReason, details: waiting },
      suppressed: {
        total: sum(remSup) + sum(apptSup) + sum(out.withdrawnByReason) + out.expired,
        reminders: remSup,
        appointments: apptSup,
        withdrawn: out.withdrawnByReason,
        expired: out.expired,
      },
      inbound: { ...inbound, ...consent },
      outbox: q.outbox(),
      elapsedMs: { ...got.t, total: Date.now() - m.startedMs },
    };
  };

  const run = async (o: HeadlessRunOptions): Promise<RunReport> => {
    const m = q.mark(ctx.clock.now());
    const t = { import: 0, plan: 0, send: 0 };
    let imported: RunImportPart | null = null;
    let planned: RunPlanPart | null = null;
    let plan: PlanSummary | null = null;
    const fail = (e: unknown): RunReport => {
      const error = e instanceof ApiError ? { code: e.code, message: e.message } : { code: 'internal', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      return report(m, 'error', { imported, planned, plan, t }, error);
    };
    try {
      if (o.import) {
        o.onProgress?.(`importing ${o.import.path}`);
        const s0 = Date.now();
        const s = await parts.importer.run({ ...o.import }, 'cli');
        t.import = Date.now() - s0;
        imported = importPart(s);
        if (s.status === 'failed') return report(m, 'error', { imported, planned, plan, t }, { code: s.errorCode ?? 'import.failed', message: s.error ?? 'The import failed.' });
      }
      if (o.plan !== false) {
        o.onProgress?.(`planning${o.asOf ? ` as of ${o.asOf}` : ''}`);
        const s0 = Date.now();
        // Queued in the plan's own transaction: approving afterwards would render every draft twice.
        plan = parts.planner.run({ trigger: 'cli', asOf: o.asOf, approveAll: o.approve === 'all' });
        t.plan = Date.now() - s0;
        planned = planPart(plan);
      }
    } catch (e) {
      return fail(e);
    }
    const s0 = Date.now();
    let end: RunEnd;
    try {
      if (o.untilIdle) {
        o.onProgress?.('sending and polling until idle');
        end = await untilIdle(o, m);
      } else {
        o.onProgress?.('running the daily loop (folder watch, daily plan, sending, polling) until stopped');
        parts.startAll();
        await new Promise<void>((resolve) => {
          if (!o.signal || o.signal.aborted) return resolve();
          o.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        end = 'stopped';
        // The desk polls statuses every half minute: one last look makes the summary current.
        const giveUp = new AbortController();
        await Promise.race([parts.statusPoller.pollNow(), sleep(5000, giveUp.signal)]);
        giveUp.abort();
      }
    } catch (e) {
      t.send = Date.now() - s0;
      return fail(e);
    }
    t.send = Date.now() - s0;
    return report(m, end, { imported, planned, plan, t });
  };

  return {
    run,
    contributor: (s: DeskStatus) => {
      s.awaitingApproval = q.awaitingApproval();
    },
  };
}

export { runningClock } from './clock';
export type { HeadlessRunOptions, RunReport } from './types';
