import type { AppointmentSkipReason, ClinicProfile, PlannerSettings } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import { loadContactPoints, reachContext, reachOf, type Reach, type ReachContext } from '../consent/reachability';
import type { Db } from '../db/open';
import type { OutboundDraft } from '../messaging/types';
import { loadAppointmentsById, loadAppointmentsFrom, loadClients, type AppointmentFacts, type ClientFacts } from '../reminders/load';
import type { Households } from '../reminders/snapshot';
import { addressFor, isOptOut, type PlanChannelName } from '../reminders/suppression';
import { addDays, startOfLocalDay } from '../schedule/local-time';
import { nextSendTime } from '../schedule/send-window';
import { RELATIVE_DAY } from '../templates/defaults';
import { formatDay, formatTime, localParts, toLang } from '../templates/locale';
import { displayPetName } from '../templates/phrasing';
import { clinicContext, renderVariant } from '../templates/render';
import type { TemplateStore } from '../templates/store';
import { estimateCost } from '../text';
import { confirmationDate, dayOfSendTime, relativeDay } from './timing';

export type AppointmentMessageKind = 'confirm' | 'dayof';

export interface AppointmentPlanInput {
  db: Db;
  ledger: ConsentLedger;
  templates: TemplateStore;
  clinic: ClinicProfile;
  settings: PlannerSettings;
  asOf: string;
  planInstant: Date;
  pricePerSegment: number;
  /** Appointments from asOf on, already loaded by the caller (shared with reminder coverage). */
  appointments?: AppointmentFacts[];
  /** Households kept by the reminder planner's PIMS snapshot; read here when absent. */
  households?: Households;
  /** Opt-outs and address flags, read once per plan run; read here when absent. */
  reachContext?: () => ReachContext;
}

export interface PlannedAppointmentMessage {
  draft: OutboundDraft;
  /** Fills the text; see PlannedMessage.render in the reminder planner. */
  render(optOut: boolean): void;
  hasOptOut: boolean;
  appointmentId: number;
  kind: AppointmentMessageKind;
  channel: PlanChannelName;
  segments: number | null;
  estCost: number | null;
}

export interface AppointmentSkip {
  appointmentId: number;
  clientId: number | null;
  patientId: number | null;
  kind: AppointmentMessageKind;
  reason: AppointmentSkipReason;
  detail: string | null;
}

export interface AppointmentPlan {
  messages: PlannedAppointmentMessage[];
  skipped: AppointmentSkip[];
  alreadyPlanned: number;
  /** Queued appointment messages to take back: id -> reason. */
  withdrawals: Map<number, string>;
  /** Appointments whose start moved since they were last planned (confirmation state resets). */
  rescheduled: { id: number; startUtc: string }[];
  /** Start times planned for now, to remember. */
  plannedStarts: { id: number; startUtc: string }[];
}

/** How far ahead appointments get their messages queued (they wait in the outbox for their time). */
const HORIZON_DAYS = 10;

/** appointment:<id>:<kind>:<start UTC>:<channel> — a new start time is a new message. */
export function appointmentKey(id: number, kind: AppointmentMessageKind, startUtc: string, channel: string): string {
  return `appointment:${id}:${kind}:${startUtc}:${channel}`;
}

function parseKey(key: string): { id: number; kind: AppointmentMessageKind; start: string; channel: string } | null {
  const m = /^appointment:(\d+):(confirm|dayof):(.+):(sms|email|postcard)$/.exec(key);
  return m ? { id: Number(m[1]), kind: m[2] as AppointmentMessageKind, start: m[3], channel: m[4] } : null;
}

interface PetRow {
  id: number;
  name: string | null;
  deceased: number;
  dod: string | null;
  client_id: number | null;
}

/**
 * Confirmation requests and day-of reminders from the schedule. A confirmed visit is not asked
 * again, a cancelled one hears nothing more, a moved one gets a fresh request for its new time
 * while anything still queued for the old time is taken back.
 */
export function planAppointments(input: AppointmentPlanInput): AppointmentPlan {
  const { db, asOf, settings, clinic } = input;
  const s = settings.appointments;
  const tz = clinic.timeZone;
  const all = input.appointments ?? loadAppointmentsFrom(db, asOf);
  const horizonEnd = addDays(asOf, HORIZON_DAYS);
  const inHorizon = all.filter((a) => a.date <= horizonEnd && new Date(a.startUtc).getTime() > input.planInstant.getTime());

  const open = db
    .prepare<[], { id: number; dedupe_key: string; channel: PlanChannelName; to_address: string; appointment_id: number | null }>(
      `SELECT id, dedupe_key, channel, to_address, appointment_id FROM messages WHERE kind = 'appointment' AND created_by = 'planner' AND status IN ('queued','waiting')`,
    )
    .all();
  const apptById = new Map(all.map((a) => [a.id, a]));
  const missing = [...new Set(open.map((o) => o.appointment_id).filter((id): id is number => id !== null && !apptById.has(id)))];
  for (const a of loadAppointmentsById(db, missing)) apptById.set(a.id, a);

  const patientIds = [...new Set([...apptById.values()].map((a) => a.patientId).filter((x): x is number => x !== null))];
  const pets = new Map(
    (patientIds.length
      ? db.prepare<[string], PetRow>('SELECT id, name, deceased, dod, client_id FROM patients WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(patientIds))
      : []
    ).map((p) => [p.id, p]),
  );
  const clientOf = (a: AppointmentFacts) => a.clientId ?? (a.patientId !== null ? pets.get(a.patientId)?.client_id ?? null : null);
  const clientIds = [...new Set([...apptById.values()].map(clientOf).filter((x): x is number => x !== null))];
  const { clients, points } = input.households ? input.households(clientIds) : { clients: loadClients(db, clientIds), points: loadContactPoints(db, clientIds) };
  const x = input.reachContext?.() ?? reachContext(db, input.ledger);
  const reach = new Map<number, Reach>();
  for (const [id, p] of points) reach.set(id, reachOf(p, x));
  const deceased = (a: AppointmentFacts) => {
    const p = a.patientId !== null ? pets.get(a.patientId) : undefined;
    return !!p && (!!p.deceased || !!p.dod);
  };
  const confirmed = (a: AppointmentFacts) => a.pimsConfirmed || a.confirmState === 'confirmed';

  const lastPlanned = new Map(
    db.prepare<[], { appointment_id: number; start_utc: string }>('SELECT appointment_id, start_utc FROM appointment_plan').all().map((r) => [r.appointment_id, r.start_utc]),
  );
  const rescheduled: { id: number; startUtc: string }[] = [];
  for (const a of apptById.values()) {
    const before = lastPlanned.get(a.id);
    if (before && before !== a.startUtc) rescheduled.push({ id: a.id, startUtc: a.startUtc });
  }
  const movedIds = new Set(rescheduled.map((r) => r.id));

  // Take back what no longer fits the appointment as it stands.
  const withdrawals = new Map<number, string>();
  for (const o of open) {
    const k = parseKey(o.dedupe_key);
    const a = o.appointment_id !== null ? apptById.get(o.appointment_id) : undefined;
    if (!k || !a || a.gone || a.state === 'cancelled') withdrawals.set(o.id, 'appointment cancelled');
    else if (a.state !== 'upcoming') withdrawals.set(o.id, 'appointment already took place');
    else if (deceased(a)) withdrawals.set(o.id, 'pet deceased');
    else if (k.start !== a.startUtc) withdrawals.set(o.id, 'appointment rescheduled');
    else if (k.kind === 'confirm' && confirmed(a) && !movedIds.has(a.id)) withdrawals.set(o.id, 'appointment confirmed');
    else {
      const cid = clientOf(a);
      const client = cid !== null ? clients.get(cid) : undefined;
      const addr = client ? addressFor(o.channel, reach.get(client.id), client) : { blocked: 'no-client' };
      if ('blocked' in addr) withdrawals.set(o.id, isOptOut(addr.blocked) ? 'client opted out' : 'address changed');
      else if (addr.to !== o.to_address) withdrawals.set(o.id, 'address changed');
    }
  }

  const existing = new Set(
    db
      .prepare<[], { dedupe_key: string }>("SELECT dedupe_key FROM messages WHERE kind = 'appointment' AND appointment_id IS NOT NULL AND status NOT IN ('withdrawn')")
      .all()
      .map((r) => r.dedupe_key),
  );
  for (const id of withdrawals.keys()) {
    const o = open.find((x) => x.id === id);
    if (o) existing.delete(o.dedupe_key);
  }

  const messages: PlannedAppointmentMessage[] = [];
  const skipped: AppointmentSkip[] = [];
  let alreadyPlanned = 0;
  const clinicCtx = clinicContext(clinic);
  const plannedStarts: { id: number; startUtc: string }[] = [];

  for (const a of inHorizon.sort((x, y) => (x.startUtc < y.startUtc ? -1 : x.startUtc > y.startUtc ? 1 : x.id - y.id))) {
    if (a.gone || a.state !== 'upcoming') continue;
    const cid = clientOf(a);
    const client = cid !== null ? clients.get(cid) : undefined;
    const skip = (kind: AppointmentMessageKind, reason: AppointmentSkipReason, detail: string | null = null) =>
      skipped.push({ appointmentId: a.id, clientId: cid, patientId: a.patientId, kind, reason, detail });
    if (deceased(a)) {
      skip('confirm', 'patient-deceased');
      continue;
    }
    if (!client) continue;
    plannedStarts.push({ id: a.id, startUtc: a.startUtc });
    const start = new Date(a.startUtc);
    const pet = a.patientId !== null ? pets.get(a.patientId)?.name ?? null : null;

    // Day-of first: a confirmation that could only go out with it is not sent at all.
    const dayOfAt = s.dayOfEnabled ? dayOfSendTime(start, s.dayOfLeadMinutes, clinic, input.planInstant) : null;
    // HERE needs a text, so the day-of reminder has no email fallback.
    const dayOfReach = channelFor(['sms'], reach.get(client.id), client);
    const dayOfGoes = dayOfAt !== null && !('blocked' in dayOfReach);

    if (s.confirmEnabled) {
      if (confirmed(a) && !movedIds.has(a.id)) skip('confirm', 'confirmed');
      else if (confirmed(a) && a.pimsConfirmed) skip('confirm', 'confirmed');
      else {
        const day = confirmationDate(a.date, s);
        const base = new Date(Math.max(input.planInstant.getTime(), startOfLocalDay(day, tz).getTime()));
        const at = nextSendTime(base, clinic);
        if (at.getTime() > start.getTime() - 60 * 60_000 || (dayOfGoes && at.getTime() >= dayOfAt.getTime())) skip('confirm', 'too-late');
        else {
          const r = channelFor(['sms', 'email'], reach.get(client.id), client);
          if ('blocked' in r) skip('confirm', r.optedOut ? 'opted-out' : 'no-channel', r.blocked);
          else {
            const key = appointmentKey(a.id, 'confirm', a.startUtc, r.ch);
            if (existing.has(key)) alreadyPlanned++;
            else messages.push(render(input, clinicCtx, client, a, pet, 'confirm', r.ch, r.to, at, start, key));
          }
        }
      }
    }

    if (s.dayOfEnabled) {
      const r = dayOfReach;
      if (!dayOfAt) skip('dayof', 'too-late');
      else if ('blocked' in r) skip('dayof', r.optedOut ? 'opted-out' : 'no-channel', r.blocked);
      else {
        const key = appointmentKey(a.id, 'dayof', a.startUtc, r.ch);
        if (existing.has(key)) alreadyPlanned++;
        else messages.push(render(input, clinicCtx, client, a, pet, 'dayof', r.ch, r.to, dayOfAt, start, key));
      }
    }
  }
  return { messages, skipped, alreadyPlanned, withdrawals, rescheduled, plannedStarts };
}

function channelFor(order: PlanChannelName[], reach: Reach | undefined, client: ClientFacts): { ch: PlanChannelName; to: string } | { blocked: string; optedOut: boolean } {
  const why: string[] = [];
  for (const ch of order) {
    const a = addressFor(ch, reach, client);
    if ('to' in a) return { ch, to: a.to };
    why.push(`${ch}: ${a.blocked}`);
  }
  return { blocked: why.join('; '), optedOut: why.some(isOptOut) };
}

function render(
  input: AppointmentPlanInput,
  clinicCtx: ReturnType<typeof clinicContext>,
  client: ClientFacts,
  a: AppointmentFacts,
  petName: string | null,
  kind: AppointmentMessageKind,
  ch: PlanChannelName,
  to: string,
  at: Date,
  start: Date,
  key: string,
): PlannedAppointmentMessage {
  const tz = input.clinic.timeZone;
  const templateId = kind === 'confirm' ? 'appointment.confirm' : 'appointment.dayof';
  const resolved = input.templates.resolve(templateId, toLang(client.language), ch);
  const lang = resolved?.lang ?? 'en';
  // The body states clinic-local wall time, from the instant, so it is right on DST days too.
  const local = localParts(start, tz);
  const rel = relativeDay(at, start, tz);
  const ctx = {
    clinic: clinicCtx,
    client: { firstName: client.firstName, lastName: client.lastName },
    pet: displayPetName(petName, lang),
    date: formatDay(local.date, lang),
    time: formatTime(local.time, lang),
    when: rel ? RELATIVE_DAY[lang][rel] : formatDay(local.date, lang),
    doctor: a.doctor ?? '',
  };
  const text = resolved?.text ?? { body: '{{pet}} {{date}} {{time}}' };
  const draft: OutboundDraft = {
    dedupeKey: key,
    channel: ch,
    kind: 'appointment',
    clientId: client.id,
    appointmentId: a.id,
    to,
    subject: null,
    body: '',
    notBefore: at,
    // Asking after the visit has begun helps nobody.
    expiresAt: start,
    createdBy: 'planner',
    meta: { kind, template: templateId, lang },
  };
  const m: PlannedAppointmentMessage = {
    draft,
    appointmentId: a.id,
    kind,
    channel: ch,
    segments: null,
    estCost: null,
    hasOptOut: false,
    render(optOut) {
      const r = renderVariant(templateId, text, ctx, { lang, channel: ch, optOut });
      draft.subject = r.subject;
      draft.body = r.body;
      draft.html = r.html;
      m.segments = r.segments;
      m.estCost = r.segments === null ? null : estimateCost(r.segments, input.pricePerSegment);
      m.hasOptOut = r.hasOptOut;
    },
  };
  return m;
}
