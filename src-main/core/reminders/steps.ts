import type { ReminderRule } from '../../contract';
import { addDays, daysBetween } from '../schedule/local-time';
import type { ActiveStep } from './rules';

/**
 * The step whose window contains `asOf`: a step fires on due + offset and holds until the next
 * step fires (the last one until the stop rule). A day the planner did not run is caught up
 * the next day; a step whose window has passed is skipped, never sent late.
 */
export function activeStep(rule: ReminderRule, due: string, asOf: string): ActiveStep | null {
  const overdue = daysBetween(due, asOf);
  if (overdue > rule.stopAfterDaysOverdue) return null;
  const steps = rule.steps;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i].offsetDays <= overdue) return stepAt(rule, i);
  }
  return null;
}

// A plan asks this for ~45k reminders over a handful of rules: one shared (read-only) answer per step.
const stepCache = new WeakMap<ReminderRule, ActiveStep[]>();

function stepAt(rule: ReminderRule, i: number): ActiveStep {
  let list = stepCache.get(rule);
  if (!list) {
    const steps = rule.steps;
    list = steps.map((step, j) => ({ step, index: j, endOffset: j + 1 < steps.length ? steps[j + 1].offsetDays : rule.stopAfterDaysOverdue + 1 }));
    stepCache.set(rule, list);
  }
  return list[i];
}

/** How far before / after asOf a due date can be and still have a step today, over all rules. */
export function dueRange(rules: ReminderRule[], asOf: string): { from: string; to: string } {
  let lead = 0;
  let stop = 0;
  for (const r of rules) {
    for (const s of r.steps) lead = Math.max(lead, -s.offsetDays);
    stop = Math.max(stop, r.stopAfterDaysOverdue);
  }
  return { from: addDays(asOf, -stop), to: addDays(asOf, lead) };
}
