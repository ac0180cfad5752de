import type { ClinicProfile, PlannerSettings, ReminderRule, ReminderStep, ReminderSuppressionReason } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import { loadReachability, type Reach } from '../consent/reachability';
import type { Db } from '../db/open';
import type { OutboundDraft } from '../messaging/types';
import { addDays, startOfLocalDay } from '../schedule/local-time';
import { nextSendTime } from '../schedule/send-window';
import { estimateCost } from '../text';
import { formatDate, toLang, type Lang } from '../templates/locale';
import { displayPetName, petNames, petsPhrase, serviceName, type DueService } from '../templates/phrasing';
import { clinicContext, renderVariant } from '../templates/render';
import type { TemplateStore } from '../templates/store';
import {
  loadClients,
  loadPlannedItems,
  loadRecentReminderClients,
  loadReminderFacts,
  loadReminderFactsById,
  type ClientFacts,
  type PlannedItemState,
  type ReminderFacts,
} from './load';
import type { ActiveStep } from './rules';
import { ruleFinder } from './rules';
import { activeStep, dueRange } from './steps';
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
}

export interface ItemRef {
  reminderId: number;
  patientId: number;
  code: string;
  due: string;
  step: string;
}

/**
 * A planned message. Its text is rendered last (`render`), once the run knows which text each
 * number receives first: that one carries the opt-out sentence.
 */
export interface PlannedMessage {
  draft: OutboundDraft;
  render(optOut: boolean): void;
  clientId: number;
  step: string;
  stepLabel: string;
  channel: PlanChannelName;
  items: ItemRef[];
  pets: number;
  segments: number | null;
  estCost: number | null;
  autoApprove: boolean;
  hasOptOut: boolean;
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
  alreadyPlannedHouseholds: number;
  /** Every fact the run looked at, and what became of each item that had a step today. */
  facts: ReminderFacts[];
  outcomes: Map<number, ItemOutcome>;
  clients: Map<number, ClientFacts>;
  reach: Map<number, Reach>;
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

interface OpenMessageRow {
  id: number;
  channel: PlanChannelName;
  to_address: string;
  client_id: number | null;
  reminder_id: number;
}

interface Item {
  f: ReminderFacts;
  rule: ReminderRule;
  active: ActiveStep;
}

const HANDLED = new Set(['queued', 'waiting', 'sending', 'sent', 'delivered', 'cancelled', 'expired']);
const FAILED = new Set(['failed', 'undelivered']);

const itemPrefix = (f: ReminderFacts, step: string) => `${f.patientId}:${f.code}:${f.due}:${step}`;

function isHandled(state: PlannedItemState | undefined): boolean {
  if (!state) return false;
  for (const list of state.byChannel.values()) if (list.some((s) => HANDLED.has(s))) return true;
  return false;
}

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
  const range = dueRange(input.rules, asOf);
  const facts = loadReminderFacts(db, range);
  const factById = new Map(facts.map((f) => [f.reminderId, f]));

  // Queued messages first: what they cover may have changed since they were planned.
  const open = db
    .prepare<[], OpenMessageRow>(
      `SELECT m.id, m.channel, m.to_address, m.client_id, ri.reminder_id FROM messages m JOIN reminder_items ri ON ri.message_id = m.id
       WHERE m.kind = 'reminder' AND m.status IN ('queued','waiting')`,
    )
    .all();
  const missing = [...new Set(open.map((o) => o.reminder_id).filter((id) => !factById.has(id)))];
  for (const f of loadReminderFactsById(db, missing)) factById.set(f.reminderId, f);

  const clientIds = new Set<number>();
  for (const f of factById.values()) if (f.clientId !== null) clientIds.add(f.clientId);
  const ids = [...clientIds];
  const clients = loadClients(db, ids);
  const reach = loadReachability(db, input.ledger, ids);
  const itemCtx = { asOf, holds, upcoming, coverDays: settings.coverDays };

  const withdrawals = new Map<number, string>();
  for (const o of open) {
    if (withdrawals.has(o.id)) continue;
    const f = factById.get(o.reminder_id);
    const client = f?.clientId != null ? clients.get(f.clientId) : undefined;
    if (!f || f.reminderGone) {
      withdrawals.set(o.id, 'removed');
      continue;
    }
    if (!client) {
      withdrawals.set(o.id, 'client-inactive');
      continue;
    }
    const s = itemSuppression(f, client, itemCtx);
    if (s) {
      withdrawals.set(o.id, s.reason);
      continue;
    }
    const addr = addressFor(o.channel, reach.get(client.id), client);
    if ('blocked' in addr) withdrawals.set(o.id, isOptOut(addr.blocked) ? 'opted-out' : 'address-changed');
    else if (addr.to !== o.to_address) withdrawals.set(o.id, 'address-changed');
  }

  const withdrawnIds = new Set(withdrawals.keys());
  const planned = loadPlannedItems(db, range, withdrawnIds);
  const recent = loadRecentReminderClients(db, addDays(asOf, -settings.capDays), withdrawnIds);
  const findRule = ruleFinder(input.rules);

  const suppressed: SuppressedItem[] = [];
  const outcomes = new Map<number, ItemOutcome>();
  const suppress = (f: ReminderFacts, step: string | null, s: Suppression) => {
    suppressed.push({ clientId: f.clientId, patientId: f.patientId, reminderId: f.reminderId, code: f.code, due: f.due, step, reason: s.reason, detail: s.detail });
    outcomes.set(f.reminderId, s.reason);
  };

  // Item level: which services have a step today and are not suppressed.
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
    const client = f.clientId !== null ? clients.get(f.clientId) : undefined;
    const s = itemSuppression(f, client, itemCtx);
    if (s) {
      suppress(f, active.step.id, s);
      continue;
    }
    const list = byClient.get(client!.id) ?? [];
    list.push({ f, rule, active });
    byClient.set(client!.id, list);
  }

  // Household level: one message per client and channel, covering every pet and service due.
  const clinicCtx = clinicContext(input.clinic);
  const messages: PlannedMessage[] = [];
  let alreadyPlannedHouseholds = 0;
  const notBeforeBase = new Date(Math.max(input.planInstant.getTime(), startOfLocalDay(asOf, input.clinic.timeZone).getTime()));
  const sendAt = nextSendTime(notBeforeBase, input.clinic, { openingHours: true });

  for (const [clientId, items] of [...byClient.entries()].sort((a, b) => a[0] - b[0])) {
    const client = clients.get(clientId)!;
    const pending: Item[] = [];
    for (const it of items) {
      if (isHandled(planned.get(itemPrefix(it.f, it.active.step.id)))) outcomes.set(it.f.reminderId, 'already');
      else pending.push(it);
    }
    if (!pending.length) {
      alreadyPlannedHouseholds++;
      continue;
    }
    pending.sort(leadOrder);
    const lead = pending[0];
    const step = lead.active.step;
    const leadState = planned.get(itemPrefix(lead.f, step.id));

    const chosen: { ch: PlanChannelName; to: string }[] = [];
    const blocked: string[] = [];
    for (const ch of step.channels) {
      if (leadState?.byChannel.get(ch)?.some((s) => FAILED.has(s))) {
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
    if (!chosen.length) {
      const reason: ReminderSuppressionReason = blocked.some(isOptOut) ? 'opted-out' : 'no-channel';
      for (const it of pending) suppress(it.f, it.active.step.id, { reason, detail: blocked.join('; ') });
      continue;
    }
    const last = recent.get(clientId);
    if (last) {
      for (const it of pending) suppress(it.f, it.active.step.id, { reason: 'frequency-cap', detail: `last reminder planned ${last}` });
      continue;
    }

    for (const it of pending) outcomes.set(it.f.reminderId, 'planned');
    const refs: ItemRef[] = pending.map((it) => ({ reminderId: it.f.reminderId, patientId: it.f.patientId, code: it.f.code, due: it.f.due, step: it.active.step.id }));
    for (const { ch, to } of chosen) {
      messages.push(buildMessage(input, clinicCtx, client, pending, step, lead, ch, to, refs, sendAt, planned));
    }
  }

  return { messages, suppressed, withdrawals, alreadyPlannedHouseholds, facts, outcomes, clients, reach };
}

function buildMessage(
  input: ReminderPlanInput,
  clinicCtx: ReturnType<typeof clinicContext>,
  client: ClientFacts,
  pending: Item[],
  step: ReminderStep,
  lead: Item,
  ch: PlanChannelName,
  to: string,
  refs: ItemRef[],
  sendAt: Date,
  plannedItems: Map<string, PlannedItemState>,
): PlannedMessage {
  const { asOf } = input;
  const wanted = toLang(client.language);
  const resolved = input.templates.resolve(step.template, wanted, ch);
  const lang: Lang = resolved?.lang ?? 'en';
  const due: DueService[] = pending.map((it) => ({
    petId: it.f.patientId,
    petName: it.f.petName,
    petSex: it.f.petSex,
    code: it.f.code,
    description: it.f.description,
    dueDate: it.f.due,
    overdue: it.f.due < asOf,
  }));
  const earliest = due.reduce((m, d) => (d.dueDate < m ? d.dueDate : m), due[0].dueDate);
  const ctx = {
    clinic: clinicCtx,
    client: { firstName: client.firstName, lastName: client.lastName },
    pets: petsPhrase(due, lang),
    petNames: petNames(due, lang),
    due: formatDate(earliest, lang),
    items: due.map((d) => ({ pet: displayPetName(d.petName, lang), service: serviceName(d.code, d.description, lang).text, due: formatDate(d.dueDate, lang) })),
  };
  const text = resolved?.text ?? { body: '{{pets}}.' };
  // A household message carries the key of its lead item; a revision suffix lets it be planned
  // again after an earlier message for the same item was withdrawn.
  const base = `reminder:${lead.f.patientId}:${lead.f.code}:${lead.f.due}:${step.id}:${ch}`;
  const earlier = plannedItems.get(itemPrefix(lead.f, step.id))?.byChannel.get(ch)?.length ?? 0;
  const dedupeKey = earlier ? `${base}:r${earlier + 1}` : base;
  const tz = input.clinic.timeZone;
  const draft: OutboundDraft = {
    dedupeKey,
    channel: ch,
    kind: 'reminder',
    clientId: client.id,
    to,
    subject: null,
    body: '',
    notBefore: ch === 'postcard' ? input.planInstant : sendAt,
    // A step's message is stale once the next step takes over.
    expiresAt: startOfLocalDay(lead.active.endDate, tz),
    createdBy: 'planner',
    meta: { step: step.id, template: step.template, lang, items: refs.length, planned_for: asOf },
  };
  const planned: PlannedMessage = {
    draft,
    clientId: client.id,
    step: step.id,
    stepLabel: step.label,
    channel: ch,
    items: refs,
    pets: new Set(refs.map((x) => x.patientId)).size,
    segments: null,
    estCost: null,
    autoApprove: lead.rule.autoApprove,
    hasOptOut: false,
    render(optOut) {
      const r = renderVariant(step.template, text, ctx, { lang, channel: ch, optOut });
      draft.subject = r.subject;
      draft.body = r.body;
      draft.html = r.html;
      planned.segments = r.segments;
      planned.estCost = r.segments === null ? null : estimateCost(r.segments, input.pricePerSegment);
      planned.hasOptOut = r.hasOptOut;
    },
  };
  return planned;
}
