import type { ClinicProfile, PlannerSettings, ReminderRule, ReminderStep, ReminderSuppressionReason } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import { addressProblem, reachContext, reachOf, type Reach, type ReachContext } from '../consent/reachability';
import type { Db } from '../db/open';
import type { OutboundDraft } from '../messaging/types';
import { addDays, startOfLocalDay } from '../schedule/local-time';
import { nextSendTime } from '../schedule/send-window';
import { estimateCost } from '../text';
import { formatDate, toLang, type Lang } from '../templates/locale';
import { displayPetName, groupByPet, joinList, petsDatedPhrase, petsPhrase, serviceName, type DueService } from '../templates/phrasing';
import { clinicContext, renderVariant } from '../templates/render';
import type { TemplateStore } from '../templates/store';
import type { MessageContext, TemplateText } from '../templates/types';
import { loadItemLedger, loadReminderFactsById, type ClientFacts, type Coverage, type ItemLedger, type ItemRows, type ReminderFacts } from './load';
import type { Households } from './snapshot';
import type { ActiveStep } from './rules';
import { ruleFinder } from './rules';
import { activeStep } from './steps';
import { addressFor, isOptOut, itemSuppression, type Holds, type PlanChannelName, type Suppression, type UpcomingByPatient } from './suppression';

export interface ReminderPlanInput {
  db: Db;
  ledger: ConsentLedger;
  templates: TemplateStore;
  clinic: ClinicProfile;
  rules: ReminderRule[];
  settings: PlannerSettings;
  asOf: string;
  planInstant: Date;
  pricePerSegment: number;
  holds: Holds;
  upcoming: UpcomingByPatient;
  /** The run's reminders (loaded once by the caller; also used for the to_remind figure). */
  facts: readonly ReminderFacts[];
  /** The due-date range the facts cover. */
  range: { from: string; to: string };
  /** Households' names, addresses and contact points (kept between runs with the facts). */
  households: Households;
  /** Opt-outs and address flags, read once per plan run (shared with the appointment planner). */
  reachContext?: () => ReachContext;
  /** The item ledger's rows (kept between runs while reminder_items does not change). */
  itemRows?: (range: { from: string; to: string }) => ItemRows;
  /** Records the time of a sub-phase (benchmark). */
  lap?: (name: string) => void;
}

export interface ItemRef {
  reminderId: number;
  patientId: number;
  code: string;
  due: string;
  step: string;
}

/**
 * A planned household message. Its text is rendered on demand (`render`): texts are rendered
 * once the run knows which text each number receives first (that one carries the opt-out
 * sentence), and emails waiting for approval are rendered only when previewed or approved.
 */
export interface PlannedMessage {
  draft: OutboundDraft;
  clientId: number;
  step: string;
  stepLabel: string;
  channel: PlanChannelName;
  items: ItemRef[];
  pets: number;
  autoApprove: boolean;
  templateId: string;
  lang: Lang;
  /** The merge context, built on first use (a dry run never needs it for emails). */
  readonly ctx: MessageContext;
  segments: number | null;
  estCost: number | null;
  hasOptOut: boolean;
  rendered: boolean;
  render(optOut: boolean): void;
}

export interface SuppressedItem {
  clientId: number | null;
  patientId: number;
  reminderId: number;
  code: string;
  due: string;
  step: string | null;
  reason: ReminderSuppressionReason;
  detail: string | null;
}

export type ItemOutcome = 'planned' | 'already' | ReminderSuppressionReason;

export interface ReminderPlan {
  messages: PlannedMessage[];
  suppressed: SuppressedItem[];
  /** Queued reminder messages whose reason disappeared: message id -> reason. */
  withdrawals: Map<number, string>;
  /** Messages whose status the planner saw change since last time (to remember in reminder_items). */
  statusChanges: Map<number, string>;
  alreadyPlannedHouseholds: number;
  /** Every fact the run looked at, and what became of each item that had a step today. */
  facts: readonly ReminderFacts[];
  outcomes: Map<number, ItemOutcome>;
}

const WITHDRAW_WORDS: Record<string, string> = {
  'patient-deceased': 'pet deceased',
  'patient-inactive': 'pet inactive',
  'client-inactive': 'client inactive',
  suspended: 'reminders suspended',
  satisfied: 'service already done',
  'appointment-booked': 'appointment booked',
  'opted-out': 'client opted out',
  'address-changed': 'address changed',
  removed: 'reminder removed in the PIMS',
};

export function withdrawReasonText(reason: string): string {
  return WITHDRAW_WORDS[reason] ?? reason;
}


interface Item {
  f: ReminderFacts;
  rule: ReminderRule;
  active: ActiveStep;
}

const HANDLED = new Set(['queued', 'waiting', 'sending', 'sent', 'delivered', 'cancelled', 'expired']);
const FAILED = new Set(['failed', 'undelivered']);

/** The messages that covered a due service's step so far. */
const coveredBy = (planned: ItemLedger['planned'], f: ReminderFacts, step: string): Coverage[] | undefined => planned.get(f.itemKey)?.get(step);

/**
 * The step went out (or is going out) on every channel it was planned on. A channel whose every
 * message was withdrawn (the number or email changed, say) is not covered, even when another
 * channel of the same step went out: that one is planned again, to the new address.
 */
function isHandled(covered: Coverage[] | undefined): boolean {
  if (!covered) return false;
  let live: string[] | null = null;
  let takenBack: string[] | null = null;
  for (const c of covered) {
    if (HANDLED.has(c.status)) (live ??= []).push(c.channel);
    else if (c.status === 'withdrawn') (takenBack ??= []).push(c.channel);
  }
  if (!live) return false;
  return !takenBack || takenBack.every((ch) => live.includes(ch));
}

/** The step went out on this channel for every one of the household's pending items: not again. */
const doneOn = (planned: ItemLedger['planned'], pending: Item[], ch: string): boolean =>
  pending.every((it) => coveredBy(planned, it.f, it.active.step.id)?.some((c) => c.channel === ch && HANDLED.has(c.status)));

/** Most advanced step first (overdue before upcoming), then the earliest due, then a stable order. */
function leadOrder(a: Item, b: Item): number {
  return (
    b.active.step.offsetDays - a.active.step.offsetDays ||
    (a.f.due < b.f.due ? -1 : a.f.due > b.f.due ? 1 : 0) ||
    a.f.patientId - b.f.patientId ||
    (a.f.code < b.f.code ? -1 : a.f.code > b.f.code ? 1 : 0)
  );
}

/**
 * Plans the day's health reminders: which due services have a step today, which are suppressed
 * and why, one message per household and channel covering every pet and service, and which
 * queued messages must be taken back. Reads only; the caller writes.
 */
export function planReminders(input: ReminderPlanInput): ReminderPlan {
  const { db, asOf, settings, holds, upcoming } = input;
  const { facts, range } = input;
  const factById = new Map<number, ReminderFacts>();
  for (const f of facts) factById.set(f.reminderId, f);
  const itemCtx = { asOf, holds, upcoming, coverDays: settings.coverDays };

  // Queued messages first: what they cover may have changed since they were planned.
  const lap = input.lap ?? (() => {});
  lap('reminders.facts');
  const ledger = loadItemLedger(db, range, input.itemRows);
  lap('reminders.ledger');
  const missing = [...new Set(ledger.open.map((o) => o[1]).filter((id) => !factById.has(id)))];
  for (const f of loadReminderFactsById(db, missing)) factById.set(f.reminderId, f);
  const withdrawals = new Map<number, string>();
  for (const [id, reminderId] of ledger.open) {
    if (withdrawals.has(id)) continue;
    const f = factById.get(reminderId);
    if (!f || f.reminderGone) {
      withdrawals.set(id, 'removed');
      continue;
    }
    const s = itemSuppression(f, itemCtx);
    if (s) withdrawals.set(id, s.reason);
  }
  let reachCtx: ReachContext | null = null;
  const reachX = input.reachContext ?? (() => (reachCtx ??= reachContext(db, input.ledger)));
  if (ledger.open.length) for (const [id, reason] of addressWithdrawals(db, input.households, reachX())) if (!withdrawals.has(id)) withdrawals.set(id, reason);
  ledger.withdraw(withdrawals.keys());
  const planned = ledger.planned;
  lap('reminders.withdrawals');

  // Item level: which services have a step today and are not suppressed.
  const findRule = ruleFinder(input.rules);
  const suppressed: SuppressedItem[] = [];
  const outcomes = new Map<number, ItemOutcome>();
  const suppress = (f: ReminderFacts, step: string | null, s: Suppression) => {
    suppressed.push({ clientId: f.clientId, patientId: f.patientId, reminderId: f.reminderId, code: f.code, due: f.due, step, reason: s.reason, detail: s.detail });
    outcomes.set(f.reminderId, s.reason);
  };
  const byClient = new Map<number, Item[]>();
  for (const f of facts) {
    if (f.petGone) continue;
    const rule = findRule(f.code, f.category);
    if (!rule) continue;
    const active = activeStep(rule, f.due, asOf);
    if (!active) continue;
    if (!rule.enabled) {
      suppress(f, active.step.id, { reason: 'rule-disabled', detail: rule.name });
      continue;
    }
    const s = itemSuppression(f, itemCtx);
    if (s) {
      suppress(f, active.step.id, s);
      continue;
    }
    const list = byClient.get(f.clientId!) ?? [];
    list.push({ f, rule, active });
    byClient.set(f.clientId!, list);
  }

  lap('reminders.items');
  // Households with something still to send: only these need names, addresses and reachability.
  const pendingByClient = new Map<number, Item[]>();
  let alreadyPlannedHouseholds = 0;
  for (const [clientId, items] of byClient) {
    const pending: Item[] = [];
    for (const it of items) {
      if (planned.size && isHandled(coveredBy(planned, it.f, it.active.step.id))) outcomes.set(it.f.reminderId, 'already');
      else pending.push(it);
    }
    if (pending.length) pendingByClient.set(clientId, pending);
    else alreadyPlannedHouseholds++;
  }
  lap('reminders.pending');
  const ids = [...pendingByClient.keys()];
  const { clients, points } = input.households(ids);
  const reach = new Map<number, Reach>();
  for (const [id, p] of points) reach.set(id, reachOf(p, reachX()));
  lap('reminders.reach');
  const recent = ledger.recentSince(addDays(asOf, -settings.capDays));
  lap('reminders.households');

  // Household level: one message per client and channel, covering every pet and service due.
  const clinicCtx = clinicContext(input.clinic);
  const messages: PlannedMessage[] = [];
  const notBeforeBase = new Date(Math.max(input.planInstant.getTime(), startOfLocalDay(asOf, input.clinic.timeZone).getTime()));
  const sendAt = nextSendTime(notBeforeBase, input.clinic, { openingHours: true });

  for (const [clientId, pending] of [...pendingByClient.entries()].sort((a, b) => a[0] - b[0])) {
    const client = clients.get(clientId);
    if (!client) {
      for (const it of pending) suppress(it.f, it.active.step.id, { reason: 'client-inactive', detail: null });
      continue;
    }
    pending.sort(leadOrder);
    const lead = pending[0];
    const step = lead.active.step;
    const leadState = coveredBy(planned, lead.f, step.id);

    const chosen: { ch: PlanChannelName; to: string }[] = [];
    const blocked: string[] = [];
    // Planned again because a channel's message was withdrawn: the channels that went out stay done.
    const partly = !!leadState?.some((c) => HANDLED.has(c.status));
    let skipped = false;
    for (const ch of step.channels) {
      if (partly && doneOn(planned, pending, ch)) {
        skipped = true;
        continue;
      }
      if (leadState?.some((c) => c.channel === ch && FAILED.has(c.status))) {
        blocked.push(`${ch}: earlier attempt failed`);
        continue;
      }
      const a = addressFor(ch, reach.get(clientId), client);
      if ('blocked' in a) {
        blocked.push(`${ch}: ${a.blocked}`);
        continue;
      }
      chosen.push({ ch, to: a.to });
      if (step.send === 'first') break;
    }
    if (!chosen.length && skipped) {
      // The step reached the household on another channel; the withdrawn one has nowhere to go.
      for (const it of pending) outcomes.set(it.f.reminderId, 'already');
      continue;
    }
    if (!chosen.length) {
      const reason: ReminderSuppressionReason = blocked.some(isOptOut) ? 'opted-out' : 'no-channel';
      for (const it of pending) suppress(it.f, it.active.step.id, { reason, detail: blocked.join('; ') });
      continue;
    }
    const last = recent.get(clientId);
    // The cap spaces reminders out; the same step to a corrected address is not another reminder.
    if (last && !partly) {
      for (const it of pending) suppress(it.f, it.active.step.id, { reason: 'frequency-cap', detail: `last reminder planned ${last}` });
      continue;
    }

    for (const it of pending) outcomes.set(it.f.reminderId, 'planned');
    const refs: ItemRef[] = pending.map((it) => ({ reminderId: it.f.reminderId, patientId: it.f.patientId, code: it.f.code, due: it.f.due, step: it.active.step.id }));
    for (const { ch, to } of chosen) messages.push(buildMessage(input, clinicCtx, client, pending, step, lead, ch, to, refs, sendAt, planned));
  }

  lap('reminders.messages');
  return { messages, suppressed, withdrawals, statusChanges: ledger.changed, alreadyPlannedHouseholds, facts, outcomes };
}

/** The merge context of a household reminder, in the template's language. */
function reminderContext(clinicCtx: MessageContext['clinic'], client: ClientFacts, pending: Item[], asOf: string, lang: Lang): MessageContext {
  const due: DueService[] = pending.map((it) => ({
    petId: it.f.patientId,
    petName: it.f.petName,
    petSex: it.f.petSex,
    code: it.f.code,
    description: it.f.description,
    dueDate: it.f.due,
    overdue: it.f.due < asOf,
  }));
  let earliest = due[0].dueDate;
  for (const d of due) if (d.dueDate < earliest) earliest = d.dueDate;
  // Texts use only the sentence; the list fields are computed when a template (email, postcard) reads them.
  let petNamesText: string | null = null;
  let itemList: { pet: string; service: string; due: string }[] | null = null;
  return {
    clinic: clinicCtx,
    client: { firstName: client.firstName, lastName: client.lastName },
    pets: petsPhrase(due, lang),
    petsDated: petsDatedPhrase(due, lang),
    due: formatDate(earliest, lang),
    get petNames() {
      return (petNamesText ??= joinList(
        groupByPet(due, lang).map((g) => g.name),
        lang,
      ));
    },
    get items() {
      return (itemList ??= due.map((d) => ({ pet: displayPetName(d.petName, lang), service: serviceName(d.code, d.description, lang).text, due: formatDate(d.dueDate, lang) })));
    },
  };
}

/**
 * Queued messages whose address no longer reaches the household: the client opted out (ledger
 * or the PIMS's do-not flag), sending taught us the address is bad, or the number or email is no
 * longer the client's. Checked against the households' contact points the run already holds.
 */
function addressWithdrawals(db: Db, households: Households, x: ReachContext): Map<number, string> {
  const out = new Map<number, string>();
  const rows = db
    .prepare<[], [number, string, string, number | null]>(
      "SELECT id, channel, to_address, client_id FROM messages WHERE status IN ('queued','waiting') AND kind = 'reminder' AND channel IN ('sms','email')",
    )
    .raw()
    .all();
  const { points } = households([...new Set(rows.map((r) => r[3]).filter((c): c is number => c !== null))]);
  for (const [id, channel, to, clientId] of rows) {
    const problem = addressProblem(clientId === null ? undefined : points.get(clientId), channel, to, x);
    if (problem) out.set(id, problem);
  }
  return out;
}

const resolveCaches = new WeakMap<ReminderPlanInput, Map<string, ReturnType<TemplateStore['resolve']>>>();

/** Template lookups repeat for every household of a step: resolve each (id, language, channel) once per run. */
function resolveCached(input: ReminderPlanInput, id: string, lang: Lang, ch: PlanChannelName): ReturnType<TemplateStore['resolve']> {
  let cache = resolveCaches.get(input);
  if (!cache) {
    cache = new Map();
    resolveCaches.set(input, cache);
  }
  const k = `${id}|${lang}|${ch}`;
  if (!cache.has(k)) cache.set(k, input.templates.resolve(id, lang, ch));
  return cache.get(k)!;
}

function buildMessage(
  input: ReminderPlanInput,
  clinicCtx: MessageContext['clinic'],
  client: ClientFacts,
  pending: Item[],
  step: ReminderStep,
  lead: Item,
  ch: PlanChannelName,
  to: string,
  refs: ItemRef[],
  sendAt: Date,
  plannedItems: ItemLedger['planned'],
): PlannedMessage {
  const { asOf } = input;
  const resolved = resolveCached(input, step.template, toLang(client.language), ch);
  const lang: Lang = resolved?.lang ?? 'en';

  // A household message carries the key of its lead item; a revision suffix lets it be planned
  // again after an earlier message for the same item was withdrawn.
  const base = `reminder:${lead.f.patientId}:${lead.f.code}:${lead.f.due}:${step.id}:${ch}`;
  let earlier = 0;
  for (const c of coveredBy(plannedItems, lead.f, step.id) ?? []) if (c.channel === ch) earlier++;
  const draft: OutboundDraft = {
    dedupeKey: earlier ? `${base}:r${earlier + 1}` : base,
    channel: ch,
    kind: 'reminder',
    clientId: client.id,
    to,
    subject: null,
    body: '',
    notBefore: ch === 'postcard' ? input.planInstant : sendAt,
    // A step's message is stale once the next step takes over.
    expiresAt: startOfLocalDay(addDays(lead.f.due, lead.active.endOffset), input.clinic.timeZone),
    createdBy: 'planner',
    meta: { step: step.id, template: step.template, lang, items: refs.length, planned_for: asOf },
  };
  return new HouseholdMessage(draft, client, pending, step, ch, refs, lead.rule.autoApprove, lang, resolved?.text ?? { body: '{{pets}}.' }, clinicCtx, asOf, input.pricePerSegment);
}

/** A class, not an object of closures: a plan builds ~20k of these. */
class HouseholdMessage implements PlannedMessage {
  readonly clientId: number;
  readonly step: string;
  readonly stepLabel: string;
  readonly pets: number;
  readonly templateId: string;
  segments: number | null = null;
  estCost: number | null = null;
  hasOptOut = false;
  rendered = false;
  private context: MessageContext | null = null;

  constructor(
    readonly draft: OutboundDraft,
    private readonly client: ClientFacts,
    private readonly pending: Item[],
    stepDef: ReminderStep,
    readonly channel: PlanChannelName,
    readonly items: ItemRef[],
    readonly autoApprove: boolean,
    readonly lang: Lang,
    private readonly text: TemplateText,
    private readonly clinicCtx: MessageContext['clinic'],
    private readonly asOf: string,
    private readonly pricePerSegment: number,
  ) {
    this.clientId = client.id;
    this.step = stepDef.id;
    this.stepLabel = stepDef.label;
    this.templateId = stepDef.template;
    this.pets = countPets(items);
  }

  get ctx(): MessageContext {
    return (this.context ??= reminderContext(this.clinicCtx, this.client, this.pending, this.asOf, this.lang));
  }

  render(optOut: boolean): void {
    const r = renderVariant(this.templateId, this.text, this.ctx, { lang: this.lang, channel: this.channel, optOut });
    this.draft.subject = r.subject;
    this.draft.body = r.body;
    this.draft.html = r.html;
    this.segments = r.segments;
    this.estCost = r.segments === null ? null : estimateCost(r.segments, this.pricePerSegment);
    this.hasOptOut = r.hasOptOut;
    this.rendered = true;
  }
}

function countPets(refs: ItemRef[]): number {
  let n = 0;
  for (let i = 0; i < refs.length; i++) if (refs.findIndex((r) => r.patientId === refs[i].patientId) === i) n++;
  return n;
}

export type { Reach };
