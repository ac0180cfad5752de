import { createHash } from 'node:crypto';
import type { ClinicProfile, PlanPage, PlanChannel, PlanPreviewRow, PlanSummary, PlanTrigger, PlanSuppressedRow } from '../../contract';
import { planAppointments, type PlannedAppointmentMessage } from '../appointments/planner';
import type { ConsentLedger } from '../consent/ledger';
import { reachContext, type ReachContext } from '../consent/reachability';
import type { Db } from '../db/open';
import type { Outbox } from '../messaging/outbox';
import type { OutboundDraft } from '../messaging/types';
import { addDays, atLocal, isIsoDate, localDate } from '../schedule/local-time';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import type { Logger } from '../shared/log';
import { loadOptOutNotices, type OptOutNotices } from '../templates/opt-out';
import type { Lang } from '../templates/locale';
import { renderVariant } from '../templates/render';
import type { TemplateStore } from '../templates/store';
import type { MessageContext } from '../templates/types';
import { loadAppointmentsFrom, loadHolds } from './load';
import { itemRowsCache, snapshotCache } from './snapshot';
import { planReminders, withdrawReasonText, type ItemRef, type PlannedMessage } from './planner';
import type { RuleStore } from './rules';
import { dueRange } from './steps';
import { upcomingByPatient } from './suppression';
import { toRemindFromFacts, type ToRemindResult } from './to-remind';
import { byStep, countBy, reconcile } from './plan-figures';

export interface PlannerDeps {
  db: Db;
  clock: Clock;
  settings: SettingsStore;
  outbox: Outbox;
  consent: ConsentLedger;
  templates: TemplateStore;
  rules: RuleStore;
  log: Logger;
  /** Called with each finished run's summary (the core forwards it as 'reminders.planned'). */
  onPlanned?: (s: PlanSummary) => void;
}

export interface RunOptions {
  trigger: PlanTrigger;
  /** Clinic-local date to plan for; default today. */
  asOf?: string;
  dryRun?: boolean;
  /** Queue every reminder message regardless of the rules' auto-approve (CLI --approve). */
  approveAll?: boolean;
  /** Plan for this clinic profile instead of the stored one (CLI on a bare data folder). */
  clinic?: ClinicProfile;
}

export interface Planner {
  run(opts: RunOptions): PlanSummary;
  latest(): PlanSummary | null;
  suppressed(q: { runId?: number; reason?: string; offset?: number; limit?: number }): PlanPage<PlanSuppressedRow>;
  preview(q: { runId?: number; step?: string; channel?: PlanChannel; status?: 'proposed' | 'queued'; offset?: number; limit?: number }): PlanPage<PlanPreviewRow>;
  approve(q: { runId: number; step?: string; channel?: PlanChannel }): { queued: number; duplicates: number };
  /** The to_remind yardstick and the plan's own figure, for CLI output and checks. */
  lastToRemind(): ToRemindResult | null;
}

/** How many runs keep their suppression list and previews (older runs keep only the summary). */
const KEEP_DETAIL_RUNS = 10;

/**
 * A proposal as stored: the draft plus what renders it (template, language, merge context), so
 * an email waiting for approval is rendered when previewed or approved, not on every plan.
 */
interface StoredDraft {
  draft: Omit<OutboundDraft, 'notBefore' | 'expiresAt'> & { notBefore: string; expiresAt: string | null };
  templateId: string;
  lang: Lang;
  ctx: MessageContext;
  optOut: boolean;
  rendered: boolean;
  items: ItemRef[];
  plannedFor: string;
  pets: number;
}

const toStored = (m: PlannedMessage, asOf: string): StoredDraft => ({
  draft: { ...m.draft, notBefore: m.draft.notBefore.toISOString(), expiresAt: m.draft.expiresAt ? m.draft.expiresAt.toISOString() : null },
  templateId: m.templateId,
  lang: m.lang,
  ctx: m.ctx,
  optOut: m.hasOptOut,
  rendered: m.rendered,
  items: m.items,
  plannedFor: asOf,
  pets: m.pets,
});

const fromStored = (s: StoredDraft): OutboundDraft => ({ ...s.draft, notBefore: new Date(s.draft.notBefore), expiresAt: s.draft.expiresAt ? new Date(s.draft.expiresAt) : null });

/** Fills in the text of a stored proposal that was not rendered when planned. */
function renderStored(templates: TemplateStore, s: StoredDraft): StoredDraft {
  if (s.rendered) return s;
  const ch = s.draft.channel;
  const t = templates.resolve(s.templateId, s.lang, ch);
  const r = renderVariant(s.templateId, t?.text ?? { body: '{{pets}}.' }, s.ctx, { lang: s.lang, channel: ch, optOut: s.optOut });
  return { ...s, rendered: true, draft: { ...s.draft, subject: r.subject, body: r.body, html: r.html } };
}

export function createPlanner(deps: PlannerDeps): Planner {
  const { db, clock, settings, outbox } = deps;
  let lastToRemind: ToRemindResult | null = null;
  const pimsSnapshot = snapshotCache(db);
  const itemRows = itemRowsCache(db);

  const insertRun = db.prepare("INSERT INTO plan_runs (as_of, trigger, started_at, status) VALUES (?, ?, ?, 'running')");
  const finishRun = db.prepare("UPDATE plan_runs SET status = 'ok', finished_at = ?, summary = ? WHERE id = ?");
  const insertItem = db.prepare('INSERT INTO reminder_items (message_id, client_id, patient_id, reminder_id, code, due_date, step, channel, planned_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertProposal = db.prepare('INSERT INTO plan_proposals (run_id, status, client_id, step, channel, dedupe_key, draft, segments, est_cost, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertSuppression = db.prepare(
    'INSERT INTO plan_suppressions (run_id, kind, client_id, patient_id, reminder_id, appointment_id, code, due_date, step, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const setItemStatus = db.prepare('UPDATE reminder_items SET status = ? WHERE message_id = ?');
  const upsertApptPlan = db.prepare('INSERT INTO appointment_plan (appointment_id, start_utc, updated_at) VALUES (?, ?, ?) ON CONFLICT(appointment_id) DO UPDATE SET start_utc = excluded.start_utc, updated_at = excluded.updated_at');
  const resetConfirm = db.prepare("UPDATE appointments SET confirm_state = 'none', confirm_at = NULL WHERE id = ? AND confirm_state <> 'none'");
  const latestRun = db.prepare<[], { id: number; summary: string | null }>("SELECT id, summary FROM plan_runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1");
  const setSuppressed = db.prepare('UPDATE plan_runs SET suppressed_digest = ?, suppressed_run = ? WHERE id = ?');
  const previousSuppressed = db.prepare<[number], { digest: string; rowsRun: number }>(
    `SELECT suppressed_digest digest, suppressed_run rowsRun FROM plan_runs WHERE id < ? AND status = 'ok' AND suppressed_run IS NOT NULL
       AND id >= (SELECT MIN(id) FROM (SELECT id FROM plan_runs ORDER BY id DESC LIMIT ${KEEP_DETAIL_RUNS}))
     ORDER BY id DESC LIMIT 1`,
  );
  /** The run whose plan_suppressions rows hold a run's suppression list. */
  const suppressedRun = db.prepare<[number], { r: number }>('SELECT coalesce(suppressed_run, id) r FROM plan_runs WHERE id = ?');

  /** Queues reminder messages and records which items each covers. */
  const queueReminders = (list: StoredDraft[]): { queued: number; duplicates: number; ids: (number | null)[] } => {
    if (!list.length) return { queued: 0, duplicates: 0, ids: [] };
    const stored = list.map((s) => renderStored(deps.templates, s));
    const price = settings.twilio()?.pricePerSegment ?? 0.0083;
    const r = outbox.enqueue(stored.map(fromStored), { pricePerSegment: price });
    // The outbox returns the ids of the rows it inserted, in draft order; with no duplicate they
    // line up with the drafts, otherwise each key is looked up.
    const ids: (number | null)[] =
      r.duplicates === 0
        ? r.ids
        : stored.map((s) => {
            const row = outbox.byDedupeKey(s.draft.dedupeKey);
            return row && r.ids.includes(row.id) ? row.id : null;
          });
    stored.forEach((s, i) => {
      const id = ids[i];
      if (id === null) return;
      for (const it of s.items) insertItem.run(id, s.draft.clientId, it.patientId, it.reminderId, it.code, it.due, it.step, s.draft.channel, s.plannedFor);
    });
    return { queued: r.inserted, duplicates: r.duplicates, ids };
  };

  const run = (opts: RunOptions): PlanSummary => {
    const started = performance.now();
    const now = clock.now();
    const clinic = opts.clinic ?? settings.clinic();
    if (!clinic) throw new ApiError('planner.no-clinic', 'Set up the clinic profile (name, phone, time zone) in Settings before planning reminders.');
    const tz = clinic.timeZone;
    const today = localDate(now, tz);
    if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) throw new ApiError('validation', 'Give the plan date as YYYY-MM-DD.', { asOf: 'Use YYYY-MM-DD' });
    const asOf = opts.asOf ?? today;
    // Planning "as of" another day behaves as if run that day at the configured plan time.
    const planInstant = asOf === today ? now : atLocal(asOf, settings.getGeneral('planTime') ?? '07:00', tz);
    const dryRun = !!opts.dryRun;
    const rules = deps.rules.list();
    const ps = deps.rules.settings();
    const price = settings.twilio()?.pricePerSegment ?? 0.0083;
    // Where the time goes, per phase (ms): reported in the summary for the benchmark and the log.
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (name: string) => {
      const t = performance.now();
      timings[name] = Math.round((timings[name] ?? 0) + t - mark);
      mark = t;
    };
    const holds = loadHolds(db, asOf);
    const appointments = loadAppointmentsFrom(db, asOf);
    const upcoming = upcomingByPatient(appointments, asOf);
    const base = { db, ledger: deps.consent, templates: deps.templates, clinic, settings: ps, asOf, planInstant, pricePerSegment: price };

    // The rules' window, stretched to asOf + 30 days for the to_remind yardstick.
    const ruleRange = dueRange(rules, asOf);
    const horizon = addDays(asOf, 30);
    const range = { from: ruleRange.from < asOf ? ruleRange.from : asOf, to: ruleRange.to > horizon ? ruleRange.to : horizon };
    const snapshot = pimsSnapshot.get(range);
    const facts = snapshot.facts;
    lap('load');
    let reachX: ReachContext | null = null;
    const reach = () => (reachX ??= reachContext(db, deps.consent));
    const rem = planReminders({ ...base, rules, holds, upcoming, facts, range, households: snapshot.households, reachContext: reach, itemRows, lap });
    lap('reminders');
    const appt = planAppointments({ ...base, appointments, households: snapshot.households, reachContext: reach });
    lap('appointments');
    const autoQueue = (m: PlannedMessage) => !!opts.approveAll || m.autoApprove;
    // Queued texts first; texts waiting for approval are judged on their own, so an approval
    // never sends a number its first text without the opt-out sentence.
    const notices = () => loadOptOutNotices(db, planInstant, ps.optOutEveryDays);
    renderAll([...appt.messages, ...rem.messages.filter(autoQueue)], notices);
    // Texts waiting for approval are rendered now for their segment count and cost; emails and
    // postcards waiting for approval only when previewed or approved.
    renderAll(
      rem.messages.filter((m) => !autoQueue(m) && m.channel === 'sms'),
      notices,
    );
    lap('render');
    const toRemind = snapshot.toRemind(asOf, () => toRemindFromFacts(db, facts, asOf));
    lap('toRemind');
    lastToRemind = toRemind;

    let runId: number | null = null;
    let queued = 0;
    let proposed = 0;
    const withdrawnRem: Record<string, number> = {};
    const withdrawnAppt: Record<string, number> = {};
    const count = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
    for (const r of rem.withdrawals.values()) count(withdrawnRem, withdrawReasonText(r));
    for (const r of appt.withdrawals.values()) count(withdrawnAppt, r);

    if (!dryRun) {
      db.transaction(() => {
        const nowIso = clock.now().toISOString();
        for (const [reason, ids] of group(rem.withdrawals)) outbox.withdraw({ ids }, `planner: ${withdrawReasonText(reason)}`);
        for (const [id, st] of rem.statusChanges) setItemStatus.run(st, id);
        for (const id of rem.withdrawals.keys()) setItemStatus.run('withdrawn', id);
        for (const [reason, ids] of group(appt.withdrawals)) outbox.withdraw({ ids }, `planner: ${reason}`);
        for (const r of appt.rescheduled) resetConfirm.run(r.id);
        for (const p of appt.plannedStarts) upsertApptPlan.run(p.id, p.startUtc, nowIso);

        runId = Number(insertRun.run(asOf, opts.trigger, now.toISOString()).lastInsertRowid);
        db.prepare("UPDATE plan_proposals SET status = 'superseded' WHERE status = 'proposed'").run();

        const apptDrafts = appt.messages.map((m) => m.draft);
        if (apptDrafts.length) outbox.enqueue(apptDrafts, { pricePerSegment: price });

        const auto = rem.messages.filter(autoQueue);
        const q = queueReminders(auto.map((m) => toStored(m, asOf)));
        queued = q.queued;
        const autoIds = new Map(auto.map((m, i) => [m, q.ids[i]]));
        for (const m of rem.messages) {
          // A queued message lives in the outbox; its row here only points at it.
          if (autoIds.has(m)) insertProposal.run(runId, 'queued', m.clientId, m.step, m.channel, m.draft.dedupeKey, '', m.segments, m.estCost, autoIds.get(m) ?? null);
          else {
            proposed++;
            insertProposal.run(runId, 'proposed', m.clientId, m.step, m.channel, m.draft.dedupeKey, JSON.stringify(toStored(m, asOf)), m.segments, m.estCost, null);
          }
        }
        // The suppression list rarely changes between runs of a day: an identical one points at the rows already written.
        const rows: SuppressionRow[] = [
          ...rem.suppressed.map((s): SuppressionRow => ['reminder', s.clientId, s.patientId, s.reminderId, null, s.code, s.due, s.step, s.reason, s.detail]),
          ...appt.skipped.map((s): SuppressionRow => ['appointment', s.clientId, s.patientId, null, s.appointmentId, null, null, s.kind, s.reason, s.detail]),
        ];
        const digest = suppressionDigest(rows);
        const prev = previousSuppressed.get(runId);
        if (prev && prev.digest === digest) setSuppressed.run(digest, prev.rowsRun, runId);
        else {
          for (const r of rows) insertSuppression.run(runId, ...r);
          setSuppressed.run(digest, runId, runId);
        }
        db.prepare(
          `DELETE FROM plan_suppressions WHERE run_id < (SELECT MIN(coalesce(suppressed_run, id)) FROM (SELECT id, suppressed_run FROM plan_runs ORDER BY id DESC LIMIT ${KEEP_DETAIL_RUNS}))`,
        ).run();
        db.prepare(
          `DELETE FROM plan_proposals WHERE status <> 'proposed' AND run_id < (SELECT MIN(id) FROM (SELECT id FROM plan_runs ORDER BY id DESC LIMIT ${KEEP_DETAIL_RUNS}))`,
        ).run();
        settings.setDoc('planner.lastRunAt', nowIso);
      })();
    } else {
      for (const m of rem.messages) if (autoQueue(m)) queued++;
      proposed = rem.messages.length - queued;
    }

    if (!dryRun) lap('write');
    const summary: PlanSummary = {
      runId,
      asOf,
      trigger: opts.trigger,
      dryRun,
      startedAt: now.toISOString(),
      durationMs: 0,
      reminders: {
        byStep: byStep(rem.messages, rules),
        households: new Set(rem.messages.map((m) => m.clientId)).size,
        messages: rem.messages.length,
        queued,
        proposed,
        alreadyPlannedHouseholds: rem.alreadyPlannedHouseholds,
        suppressed: countBy(rem.suppressed.map((s) => s.reason)),
        withdrawn: withdrawnRem,
      },
      appointments: {
        confirmations: appt.messages.filter((m) => m.kind === 'confirm').length,
        dayOf: appt.messages.filter((m) => m.kind === 'dayof').length,
        alreadyPlanned: appt.alreadyPlanned,
        skipped: countBy(appt.skipped.map((s) => s.reason)),
        withdrawn: withdrawnAppt,
      },
      toRemind: { value: toRemind.value, definition: toRemind.definition, breakdown: toRemind.breakdown },
      dueNext30: reconcile(rem, toRemind, asOf),
      timings,
    };
    lap('summary');
    summary.durationMs = Math.round(performance.now() - started);
    if (runId !== null) finishRun.run(clock.now().toISOString(), JSON.stringify(summary), runId);
    deps.log.info('plan finished', { runId, asOf, trigger: opts.trigger, dryRun, messages: rem.messages.length + appt.messages.length, ms: summary.durationMs });
    deps.onPlanned?.(summary);
    return summary;
  };

  const resolveRun = (runId?: number): number | null => runId ?? latestRun.get()?.id ?? null;

  return {
    run,
    latest() {
      const r = latestRun.get();
      if (!r?.summary) return null;
      const summary = JSON.parse(r.summary) as PlanSummary;
      // Approvals happen after the run was summarised: report today's proposal states, not the run's.
      const states = db.prepare<[number], { status: string; n: number }>('SELECT status, COUNT(*) n FROM plan_proposals WHERE run_id = ? GROUP BY status').all(r.id);
      if (states.length && summary.reminders) {
        const by = Object.fromEntries(states.map((x) => [x.status, x.n]));
        const stillProposed = Math.min(by.proposed ?? 0, summary.reminders.proposed);
        summary.reminders.queued += summary.reminders.proposed - stillProposed;
        summary.reminders.proposed = stillProposed;
      }
      return summary;
    },
    suppressed(q) {
      const asked = resolveRun(q.runId);
      const runId = asked === null ? null : suppressedRun.get(asked)?.r ?? asked;
      if (runId === null) return { total: 0, rows: [] };
      const where = q.reason ? 'WHERE s.run_id = ? AND s.reason = ?' : 'WHERE s.run_id = ?';
      const args: unknown[] = q.reason ? [runId, q.reason] : [runId];
      const total = db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) n FROM plan_suppressions s ${where}`).get(...args)!.n;
      const rows = db
        .prepare<unknown[], { kind: 'reminder' | 'appointment'; client_id: number | null; first_name: string | null; last_name: string | null; patient_id: number | null; pname: string | null; code: string | null; due_date: string | null; step: string | null; appointment_id: number | null; reason: string; detail: string | null }>(
          `SELECT s.kind, s.client_id, c.first_name, c.last_name, s.patient_id, p.name pname, s.code, s.due_date, s.step, s.appointment_id, s.reason, s.detail
           FROM plan_suppressions s LEFT JOIN clients c ON c.id = s.client_id LEFT JOIN patients p ON p.id = s.patient_id
           ${where} ORDER BY s.reason, c.last_name, c.first_name, s.id LIMIT ? OFFSET ?`,
        )
        .all(...args, clampLimit(q.limit), q.offset ?? 0);
      return {
        total,
        rows: rows.map((r) => ({
          kind: r.kind,
          clientId: r.client_id,
          clientName: [r.first_name, r.last_name].filter(Boolean).join(' '),
          patientId: r.patient_id,
          petName: r.pname ?? '',
          code: r.code,
          dueDate: r.due_date,
          step: r.step,
          appointmentId: r.appointment_id,
          reason: r.reason,
          detail: r.detail,
        })),
      };
    },
    preview(q) {
      const runId = resolveRun(q.runId);
      if (runId === null) return { total: 0, rows: [] };
      const where = ['p.run_id = ?'];
      const args: unknown[] = [runId];
      if (q.step) (where.push('p.step = ?'), args.push(q.step));
      if (q.channel) (where.push('p.channel = ?'), args.push(q.channel));
      if (q.status) (where.push('p.status = ?'), args.push(q.status));
      const w = where.join(' AND ');
      const total = db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) n FROM plan_proposals p WHERE ${w}`).get(...args)!.n;
      const rows = db
        .prepare<unknown[], { id: number; client_id: number | null; first_name: string | null; last_name: string | null; step: string; channel: PlanChannel; status: PlanPreviewRow['status']; draft: string; segments: number | null; est_cost: number | null; m_to: string | null; m_subject: string | null; m_body: string | null; m_not_before: string | null; m_items: number | null; m_pets: number | null }>(
          `SELECT p.id, p.client_id, c.first_name, c.last_name, p.step, p.channel, p.status, p.draft, p.segments, p.est_cost,
             m.to_address m_to, m.subject m_subject, m.body m_body, m.not_before m_not_before,
             (SELECT COUNT(*) FROM reminder_items ri WHERE ri.message_id = m.id) m_items,
             (SELECT COUNT(DISTINCT ri.patient_id) FROM reminder_items ri WHERE ri.message_id = m.id) m_pets
           FROM plan_proposals p LEFT JOIN clients c ON c.id = p.client_id LEFT JOIN messages m ON m.id = p.message_id
           WHERE ${w} ORDER BY c.last_name, c.first_name, p.id LIMIT ? OFFSET ?`,
        )
        .all(...args, clampLimit(q.limit), q.offset ?? 0);
      return {
        total,
        rows: rows.map((r) => {
          const base = { id: r.id, clientId: r.client_id, clientName: [r.first_name, r.last_name].filter(Boolean).join(' '), step: r.step, channel: r.channel, status: r.status, segments: r.segments, estCost: r.est_cost };
          if (!r.draft) return { ...base, to: r.m_to ?? '', subject: r.m_subject, body: r.m_body ?? '', notBefore: r.m_not_before ?? '', pets: r.m_pets ?? 0, services: r.m_items ?? 0 };
          const s = renderStored(deps.templates, JSON.parse(r.draft) as StoredDraft);
          return {
            id: r.id,
            clientId: r.client_id,
            clientName: [r.first_name, r.last_name].filter(Boolean).join(' '),
            step: r.step,
            channel: r.channel,
            status: r.status,
            to: s.draft.to,
            subject: s.draft.subject ?? null,
            body: s.draft.body,
            segments: r.segments,
            estCost: r.est_cost,
            notBefore: s.draft.notBefore,
            pets: s.pets,
            services: s.items.length,
          };
        }),
      };
    },
    approve(q) {
      const latest = latestRun.get();
      if (!latest || latest.id !== q.runId)
        throw new ApiError('plan.stale', 'A newer plan exists (the planner ran again after an import or on schedule). Review the latest plan and approve that one.');
      const where = ["run_id = ?", "status = 'proposed'"];
      const args: unknown[] = [q.runId];
      if (q.step) (where.push('step = ?'), args.push(q.step));
      if (q.channel) (where.push('channel = ?'), args.push(q.channel));
      return db.transaction(() => {
        const rows = db.prepare<unknown[], { id: number; draft: string }>(`SELECT id, draft FROM plan_proposals WHERE ${where.join(' AND ')} ORDER BY id`).all(...args);
        const stored = rows.map((r) => renderStored(deps.templates, JSON.parse(r.draft) as StoredDraft));
        const res = queueReminders(stored);
        const mark = db.prepare("UPDATE plan_proposals SET status = 'queued', message_id = ? WHERE id = ?");
        rows.forEach((r, i) => mark.run(res.ids[i], r.id));
        return { queued: res.queued, duplicates: res.duplicates };
      })();
    },
    lastToRemind: () => lastToRemind,
  };
}

/**
 * Renders every planned text. Per number, the text that goes out first carries "Reply STOP to
 * opt out" when the number has not had it lately; later texts in the run do not repeat it.
 */
function renderAll(all: (PlannedMessage | PlannedAppointmentMessage)[], loadNotices: () => OptOutNotices): void {
  if (!all.length) return;
  const notices = loadNotices();
  const order = all
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.draft.notBefore.getTime() - b.m.draft.notBefore.getTime() || a.i - b.i);
  for (const { m } of order) {
    if (m.channel !== 'sms') {
      m.render(false);
      continue;
    }
    m.render(notices.needs(m.draft.to));
    if (m.hasOptOut) notices.mark(m.draft.to);
  }
}

type SuppressionRow = [
  kind: 'reminder' | 'appointment',
  clientId: number | null,
  patientId: number | null,
  reminderId: number | null,
  appointmentId: number | null,
  code: string | null,
  due: string | null,
  step: string | null,
  reason: string,
  detail: string | null,
];

/** A fingerprint of a run's suppression list, in its order. */
function suppressionDigest(rows: SuppressionRow[]): string {
  const h = createHash('sha1');
  for (const r of rows) h.update(r.join('\x1f') + '\x1e');
  return `${rows.length}:${h.digest('hex')}`;
}

function clampLimit(n: number | undefined): number {
  return Math.max(1, Math.min(500, n ?? 100));
}

function group(m: Map<number, string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [id, reason] of m) {
    const list = out.get(reason) ?? [];
    list.push(id);
    out.set(reason, list);
  }
  return out;
}

export type { PlannedAppointmentMessage };
