import type { PlanStepCount, PlanSummary } from '../../contract';
import { addDays } from '../schedule/local-time';
import type { PlannedMessage, ReminderPlan } from './planner';
import type { ToRemindResult } from './to-remind';

/** The figures a plan run reports: counts by step and channel, and how it compares with the to_remind yardstick. */

export function countBy<K extends string>(keys: K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

export function byStep(messages: PlannedMessage[], rules: { steps: { id: string; label: string; offsetDays: number }[] }[]): PlanStepCount[] {
  const order = new Map<string, number>();
  for (const r of rules) for (const s of r.steps) if (!order.has(s.id)) order.set(s.id, s.offsetDays);
  const out = new Map<string, PlanStepCount & { clients: Set<number> }>();
  for (const m of messages) {
    const k = `${m.step}|${m.channel}`;
    let c = out.get(k);
    if (!c) {
      c = { step: m.step, label: m.stepLabel, channel: m.channel, messages: 0, households: 0, segments: 0, estCost: 0, clients: new Set() };
      out.set(k, c);
    }
    c.messages++;
    c.clients.add(m.clientId);
    c.segments += m.segments ?? 0;
    c.estCost += m.estCost ?? 0;
  }
  const chOrder = ['sms', 'email', 'postcard'];
  return [...out.values()]
    .map(({ clients, ...c }) => ({ ...c, households: clients.size, estCost: Math.round(c.estCost * 10000) / 10000 }))
    .sort((a, b) => (order.get(a.step) ?? 0) - (order.get(b.step) ?? 0) || chOrder.indexOf(a.channel) - chOrder.indexOf(b.channel));
}

/**
 * Compares the households the plan reaches for services due in the next 30 days with the
 * to_remind yardstick, and says why each side has households the other lacks.
 */
export function reconcile(rem: ReminderPlan, tr: ToRemindResult, asOf: string): PlanSummary['dueNext30'] {
  const end = addDays(asOf, 30);
  const planned = new Set<number>();
  for (const f of rem.facts) {
    if (f.clientId === null || f.due < asOf || f.due > end) continue;
    const o = rem.outcomes.get(f.reminderId);
    if (o === 'planned' || o === 'already') planned.add(f.clientId);
  }
  let inBoth = 0;
  const missing: Record<string, number> = {};
  const extra: Record<string, number> = {};
  const bump = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
  for (const cid of tr.clientIds) {
    if (planned.has(cid)) {
      inBoth++;
      continue;
    }
    const reasons = (tr.items.get(cid) ?? []).map((i) => rem.outcomes.get(i.reminderId) ?? 'no step today (first step is 28 days before due)');
    bump(missing, pickReason(reasons));
  }
  for (const cid of planned) {
    if (tr.clientIds.has(cid)) continue;
    bump(extra, tr.clientsWithFutureAppointment.has(cid) ? 'future appointment does not cover the service due' : 'other');
  }
  return { planned: planned.size, inBoth, toRemindNotPlanned: missing, plannedNotToRemind: extra };
}

/** The most telling reason among a household's items (a channel problem says more than "not yet"). */
function pickReason(reasons: string[]): string {
  const rank = ['opted-out', 'no-channel', 'frequency-cap', 'suspended', 'rule-disabled', 'appointment-booked'];
  for (const r of rank) if (reasons.includes(r)) return r;
  return reasons[0] ?? 'other';
}
