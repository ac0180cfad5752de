/** Health reminders and appointment messages: rules, plan runs, the plan's preview and approval. */

export type PlanChannel = 'sms' | 'email' | 'postcard';
export type ReminderServiceCategory = 'vaccines' | 'exam' | 'heartworm' | 'dental' | 'lab' | 'parasite' | 'other';

export interface ReminderStep {
  /** Stable id used in dedupe keys ('before28'); editing the offset keeps it. */
  id: string;
  label: string;
  /** Days relative to the due date: -28 = four weeks before, 14 = two weeks overdue. */
  offsetDays: number;
  /** In order of preference. */
  channels: PlanChannel[];
  /** 'first': the first channel the client can be reached on (fallback); 'all': every reachable one. */
  send: 'first' | 'all';
  /** Template id, e.g. 'reminder.upcoming'. */
  template: string;
}

export type ReminderRuleMatch = { kind: 'default' } | { kind: 'category'; value: ReminderServiceCategory } | { kind: 'code'; value: string };

export interface ReminderRule {
  id: number;
  name: string;
  match: ReminderRuleMatch;
  enabled: boolean;
  /** Messages go straight to the outbox; otherwise they wait for "Approve and queue". */
  autoApprove: boolean;
  steps: ReminderStep[];
  /** Stop rule: nothing more once the service is this many days overdue. */
  stopAfterDaysOverdue: number;
}

export type ReminderRuleInput = Omit<ReminderRule, 'id'> & { id?: number };

export interface AppointmentMessageSettings {
  confirmEnabled: boolean;
  /** Confirmation request N days before the visit. */
  confirmDaysBefore: number;
  /** A request that would fall on these days goes on the weekday before (Monday visits: Friday). */
  confirmSkipDays: ('sat' | 'sun')[];
  dayOfEnabled: boolean;
  /** Day-of reminder this long before the visit (moved into the send window). */
  dayOfLeadMinutes: number;
}

export interface PlannerSettings {
  /** Per-client cap: at most one health reminder per this many days (several due are merged). */
  capDays: number;
  /** An appointment covers a service due up to this many days after the visit. */
  coverDays: number;
  /** Repeat "Reply STOP to opt out" when a number has not seen it for this many days. */
  optOutEveryDays: number;
  appointments: AppointmentMessageSettings;
}

export type ReminderSuppressionReason =
  | 'patient-deceased'
  | 'patient-inactive'
  | 'client-inactive'
  | 'suspended'
  | 'satisfied'
  | 'appointment-booked'
  | 'no-channel'
  | 'opted-out'
  | 'frequency-cap'
  | 'rule-disabled';

export type AppointmentSkipReason = 'patient-deceased' | 'confirmed' | 'no-channel' | 'opted-out' | 'too-late';

export type PlanTrigger = 'schedule' | 'import' | 'cli' | 'manual';

export interface PlanStepCount {
  step: string;
  label: string;
  channel: PlanChannel;
  messages: number;
  households: number;
  segments: number;
  estCost: number;
}

/** Households per EXPECTED.json's definition of to_remind, for comparing with the plan. */
export interface ToRemindFigure {
  value: number;
  definition: string;
  breakdown: { reachableBySms: number; reachableByEmailOnly: number; notContactable: number };
}

export interface PlanSummary {
  runId: number | null;
  asOf: string;
  trigger: PlanTrigger;
  dryRun: boolean;
  startedAt: string;
  durationMs: number;
  reminders: {
    byStep: PlanStepCount[];
    /** Households with a new message in this run. */
    households: number;
    messages: number;
    queued: number;
    proposed: number;
    /** Households already messaged for today's step (earlier run): not repeated. */
    alreadyPlannedHouseholds: number;
    suppressed: Partial<Record<ReminderSuppressionReason, number>>;
    /** Queued messages taken back because their reason disappeared. */
    withdrawn: Record<string, number>;
  };
  appointments: {
    confirmations: number;
    dayOf: number;
    alreadyPlanned: number;
    skipped: Partial<Record<AppointmentSkipReason, number>>;
    withdrawn: Record<string, number>;
  };
  toRemind: ToRemindFigure;
  /** Households the plan reaches (new or already) for a service due in the next 30 days, and how that differs from to_remind. */
  dueNext30: {
    planned: number;
    inBoth: number;
    toRemindNotPlanned: Record<string, number>;
    plannedNotToRemind: Record<string, number>;
  };
  /** Milliseconds per phase (load, reminders, appointments, render, toRemind, write, summary). */
  timings?: Record<string, number>;
}

export interface PlanSuppressedRow {
  kind: 'reminder' | 'appointment';
  clientId: number | null;
  clientName: string;
  patientId: number | null;
  petName: string;
  code: string | null;
  dueDate: string | null;
  step: string | null;
  appointmentId: number | null;
  reason: string;
  detail: string | null;
}

export interface PlanPreviewRow {
  id: number;
  clientId: number | null;
  clientName: string;
  step: string;
  channel: PlanChannel;
  status: 'proposed' | 'queued' | 'superseded';
  to: string;
  subject: string | null;
  body: string;
  segments: number | null;
  estCost: number | null;
  notBefore: string;
  pets: number;
  services: number;
}

export interface PlanPage<T> {
  total: number;
  rows: T[];
}

export interface RemindersApi {
  'reminders.rules.list': (arg: void) => ReminderRule[];
  'reminders.rules.save': (arg: ReminderRuleInput) => ReminderRule;
  'reminders.rules.delete': (arg: { id: number }) => { deleted: boolean };
  'reminders.settings.get': (arg: void) => PlannerSettings;
  'reminders.settings.save': (arg: PlannerSettings) => PlannerSettings;
  /** Runs the planner now (asOf: clinic-local date, default today). */
  'reminders.plan.run': (arg: { asOf?: string; dryRun?: boolean }) => PlanSummary;
  'reminders.plan.latest': (arg: void) => PlanSummary | null;
  'reminders.plan.suppressed': (arg: { runId?: number; reason?: string; offset?: number; limit?: number }) => PlanPage<PlanSuppressedRow>;
  'reminders.plan.preview': (arg: { runId?: number; step?: string; channel?: PlanChannel; status?: 'proposed' | 'queued'; offset?: number; limit?: number }) => PlanPage<PlanPreviewRow>;
  /** Queues the run's proposed messages (optionally one step/channel). */
  'reminders.plan.approve': (arg: { runId: number; step?: string; channel?: PlanChannel }) => { queued: number; duplicates: number };
  /** A hold entered at the desk: no reminders for this client or pet until the date (or until lifted). */
  'reminders.hold': (arg: { clientId?: number; patientId?: number; until?: string | null; reason?: string }) => { id: number };
}

export interface RemindersEvents {
  'reminders.planned': PlanSummary;
}
