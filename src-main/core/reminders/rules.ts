import { z } from 'zod';
import type { PlannerSettings, ReminderRule, ReminderRuleInput, ReminderStep } from '../../contract';
import type { Db } from '../db/open';
import { parseOrThrow } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import { SERVICE_CATEGORIES, type ServiceCategory } from './categories';

/** The cadence the issue names: 28 days before by email, 7 before by SMS, 14 overdue SMS+email, 45 overdue postcard. */
export const DEFAULT_STEPS: ReminderStep[] = [
  // Postcard last: a household no digital channel reaches still hears a month ahead.
  { id: 'before28', label: '28 days before', offsetDays: -28, channels: ['email', 'sms', 'postcard'], send: 'first', template: 'reminder.upcoming' },
  { id: 'before7', label: '7 days before', offsetDays: -7, channels: ['sms', 'email'], send: 'first', template: 'reminder.upcoming' },
  { id: 'overdue14', label: '14 days overdue', offsetDays: 14, channels: ['sms', 'email'], send: 'all', template: 'reminder.overdue' },
  { id: 'overdue45', label: '45 days overdue', offsetDays: 45, channels: ['postcard'], send: 'first', template: 'reminder.overdue' },
];

export const DEFAULT_RULE: Omit<ReminderRule, 'id'> = {
  name: 'All services',
  match: { kind: 'default' },
  enabled: true,
  autoApprove: false,
  steps: DEFAULT_STEPS,
  stopAfterDaysOverdue: 60,
};

export const DEFAULT_PLANNER_SETTINGS: PlannerSettings = {
  capDays: 7,
  coverDays: 30,
  optOutEveryDays: 30,
  appointments: { confirmEnabled: true, confirmDaysBefore: 2, confirmSkipDays: ['sat', 'sun'], dayOfEnabled: true, dayOfLeadMinutes: 120 },
};

const stepSchema = z.object({
  id: z.string().trim().regex(/^[a-z0-9-]{1,24}$/, 'A step id uses lower-case letters, digits and dashes'),
  label: z.string().trim().min(1, 'Name the step').max(40),
  offsetDays: z.number().int('Whole days').min(-365, 'At most a year before').max(365, 'At most a year overdue'),
  channels: z.array(z.enum(['sms', 'email', 'postcard'])).min(1, 'Choose at least one channel'),
  send: z.enum(['first', 'all']),
  template: z.string().trim().min(1, 'Choose a template'),
});

const ruleSchema = z
  .object({
    id: z.number().int().optional(),
    name: z.string().trim().min(1, 'Name the rule').max(60),
    match: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('default') }),
      z.object({ kind: z.literal('category'), value: z.enum(SERVICE_CATEGORIES as [ServiceCategory, ...ServiceCategory[]]) }),
      z.object({ kind: z.literal('code'), value: z.string().trim().min(1, 'Enter the PIMS code, e.g. RAB1').max(20).transform((v) => v.toUpperCase()) }),
    ]),
    enabled: z.boolean(),
    autoApprove: z.boolean(),
    steps: z.array(stepSchema).min(1, 'A rule needs at least one step').max(8),
    stopAfterDaysOverdue: z.number().int().min(0).max(3650),
  })
  .superRefine((r, ctx) => {
    const ids = new Set<string>();
    const offsets = new Set<number>();
    r.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: 'Two steps share this id' });
      if (offsets.has(s.offsetDays)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetDays'], message: 'Two steps on the same day' });
      ids.add(s.id);
      offsets.add(s.offsetDays);
      if (s.offsetDays > r.stopAfterDaysOverdue) ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetDays'], message: 'This step comes after the stop rule' });
    });
  });

const settingsSchema = z.object({
  capDays: z.number().int().min(0).max(90),
  coverDays: z.number().int().min(0).max(365),
  optOutEveryDays: z.number().int().min(1).max(365),
  appointments: z.object({
    confirmEnabled: z.boolean(),
    confirmDaysBefore: z.number().int().min(1, 'At least one day before').max(14),
    confirmSkipDays: z.array(z.enum(['sat', 'sun'])),
    dayOfEnabled: z.boolean(),
    dayOfLeadMinutes: z.number().int().min(15).max(12 * 60),
  }),
});

interface RuleRow {
  id: number;
  name: string;
  match_kind: 'default' | 'category' | 'code';
  match_value: string;
  enabled: number;
  auto_approve: number;
  definition: string;
}

function toRule(r: RuleRow): ReminderRule {
  const def = JSON.parse(r.definition) as { steps: ReminderStep[]; stopAfterDaysOverdue: number };
  const match: ReminderRule['match'] = r.match_kind === 'default' ? { kind: 'default' } : r.match_kind === 'category' ? { kind: 'category', value: r.match_value as ServiceCategory } : { kind: 'code', value: r.match_value };
  return { id: r.id, name: r.name, match, enabled: !!r.enabled, autoApprove: !!r.auto_approve, steps: [...def.steps].sort((a, b) => a.offsetDays - b.offsetDays), stopAfterDaysOverdue: def.stopAfterDaysOverdue };
}

export interface RuleStore {
  list(): ReminderRule[];
  save(input: ReminderRuleInput): ReminderRule;
  remove(id: number): boolean;
  settings(): PlannerSettings;
  saveSettings(s: PlannerSettings): PlannerSettings;
}

export function createRuleStore(db: Db, settings: SettingsStore, clock: Clock): RuleStore {
  const all = db.prepare<[], RuleRow>('SELECT * FROM reminder_rules ORDER BY id');
  const ins = db.prepare(`INSERT INTO reminder_rules (name, match_kind, match_value, enabled, auto_approve, definition, updated_at) VALUES (@name, @kind, @value, @enabled, @auto, @def, @now)`);
  const upd = db.prepare(`UPDATE reminder_rules SET name = @name, match_kind = @kind, match_value = @value, enabled = @enabled, auto_approve = @auto, definition = @def, updated_at = @now WHERE id = @id`);
  const get = db.prepare<[number], RuleRow>('SELECT * FROM reminder_rules WHERE id = ?');
  const del = db.prepare('DELETE FROM reminder_rules WHERE id = ?');

  const params = (r: Omit<ReminderRule, 'id'>) => ({
    name: r.name,
    kind: r.match.kind,
    value: r.match.kind === 'default' ? '' : r.match.value,
    enabled: r.enabled ? 1 : 0,
    auto: r.autoApprove ? 1 : 0,
    def: JSON.stringify({ steps: r.steps, stopAfterDaysOverdue: r.stopAfterDaysOverdue }),
    now: clock.now().toISOString(),
  });

  // A fresh database gets the default rule, so the planner has something to follow.
  const ensureDefault = () => {
    if (all.all().length === 0) ins.run(params(DEFAULT_RULE));
  };

  return {
    list() {
      ensureDefault();
      return all.all().map(toRule);
    },
    save(input) {
      const r = parseOrThrow(ruleSchema, input, 'Reminder rule') as ReminderRuleInput;
      try {
        if (r.id) {
          if (!get.get(r.id)) throw new ApiError('not-found', 'That rule no longer exists; reload the Reminders screen.');
          upd.run({ ...params(r), id: r.id });
          return toRule(get.get(r.id)!);
        }
        const res = ins.run(params(r));
        return toRule(get.get(Number(res.lastInsertRowid))!);
      } catch (e) {
        if (e instanceof Error && /UNIQUE/.test(e.message)) throw new ApiError('validation', 'Another rule already covers this category or code; edit that one.', { match: 'Another rule already covers this' });
        throw e;
      }
    },
    remove(id) {
      const r = get.get(id);
      if (!r) return false;
      if (r.match_kind === 'default') throw new ApiError('rules.default', 'The default rule cannot be deleted; switch it off instead.');
      return del.run(id).changes > 0;
    },
    settings() {
      const s = settings.getDoc<Partial<PlannerSettings>>('reminders.settings') ?? {};
      return { ...DEFAULT_PLANNER_SETTINGS, ...s, appointments: { ...DEFAULT_PLANNER_SETTINGS.appointments, ...(s.appointments ?? {}) } };
    },
    saveSettings(s) {
      const parsed = parseOrThrow(settingsSchema, s, 'Reminder settings') as PlannerSettings;
      settings.setDoc('reminders.settings', parsed);
      return parsed;
    },
  };
}

/** The rule for a service: its code's rule, else its category's, else the default. */
export function ruleFinder(rules: ReminderRule[]): (code: string, category: ServiceCategory) => ReminderRule | null {
  const byCode = new Map<string, ReminderRule>();
  const byCat = new Map<string, ReminderRule>();
  let def: ReminderRule | null = null;
  for (const r of rules) {
    if (r.match.kind === 'code') byCode.set(r.match.value.toUpperCase(), r);
    else if (r.match.kind === 'category') byCat.set(r.match.value, r);
    else def = r;
  }
  return (code, category) => byCode.get(code.toUpperCase()) ?? byCat.get(category) ?? def;
}

export interface ActiveStep {
  step: ReminderStep;
  index: number;
  /** Days after the due date when the next step takes over (or the stop day): the step's message expires then. */
  endOffset: number;
}
