import type { Handlers } from '../../contract';
import type { CoreContext, Service } from '../index';
import { createTemplateStore, templateHandlers, type TemplateStore } from '../templates';
import { reminderHandlers } from './handlers';
import { createRuleStore, type RuleStore } from './rules';
import { createPlanner, type Planner } from './runner';
import { createPlanScheduler, type PlanScheduler } from './scheduler';

export interface RemindersDomain {
  handlers: ReturnType<typeof reminderHandlers> & ReturnType<typeof templateHandlers>;
  services: Service[];
  planner: Planner;
  rules: RuleStore;
  templates: TemplateStore;
  scheduler: PlanScheduler;
}

/** Health reminders, appointment messages and the templates they (and other domains) use. */
export function remindersDomain(ctx: CoreContext): RemindersDomain {
  const templates = createTemplateStore(ctx.db, ctx.clock);
  const rules = createRuleStore(ctx.db, ctx.settings, ctx.clock);
  const planner = createPlanner({
    db: ctx.db,
    clock: ctx.clock,
    settings: ctx.settings,
    outbox: ctx.outbox,
    consent: ctx.consent,
    templates,
    rules,
    log: ctx.log,
    onPlanned: (s) => ctx.events.emit('reminders.planned', s),
  });
  const scheduler = createPlanScheduler({ planner, settings: ctx.settings, clock: ctx.clock, events: ctx.events, log: ctx.log });
  const handlers = { ...reminderHandlers({ db: ctx.db, clock: ctx.clock, rules, planner }), ...templateHandlers(templates, ctx.settings, ctx.clock) } satisfies Partial<Handlers>;
  return { handlers, services: [scheduler], planner, rules, templates, scheduler };
}

export { createPlanner, type Planner, type RunOptions } from './runner';
export { createRuleStore, DEFAULT_RULE, DEFAULT_STEPS, DEFAULT_PLANNER_SETTINGS, type RuleStore } from './rules';
export { createPlanScheduler, IMPORT_FINISHED_EVENTS } from './scheduler';
export { computeToRemind, TO_REMIND_DEFINITION } from './to-remind';
