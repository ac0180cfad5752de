import type { Handlers } from '../../contract';
import type { Db } from '../db/open';
import { isIsoDate } from '../schedule/local-time';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import type { RuleStore } from './rules';
import type { Planner } from './runner';

type ReminderHandlers = Pick<
  Handlers,
  | 'reminders.rules.list'
  | 'reminders.rules.save'
  | 'reminders.rules.delete'
  | 'reminders.settings.get'
  | 'reminders.settings.save'
  | 'reminders.plan.run'
  | 'reminders.plan.latest'
  | 'reminders.plan.suppressed'
  | 'reminders.plan.preview'
  | 'reminders.plan.approve'
  | 'reminders.hold'
>;

export function reminderHandlers(d: { db: Db; clock: Clock; rules: RuleStore; planner: Planner }): ReminderHandlers {
  const holdIns = d.db.prepare('INSERT INTO reminder_holds (client_id, patient_id, until, reason, created_at) VALUES (?, ?, ?, ?, ?)');
  return {
    'reminders.rules.list': () => d.rules.list(),
    'reminders.rules.save': (r) => d.rules.save(r),
    'reminders.rules.delete': ({ id }) => ({ deleted: d.rules.remove(id) }),
    'reminders.settings.get': () => d.rules.settings(),
    'reminders.settings.save': (s) => d.rules.saveSettings(s),
    'reminders.plan.run': ({ asOf, dryRun } = {}) => d.planner.run({ trigger: 'manual', asOf, dryRun }),
    'reminders.plan.latest': () => d.planner.latest(),
    'reminders.plan.suppressed': (q = {}) => d.planner.suppressed(q),
    'reminders.plan.preview': (q = {}) => d.planner.preview(q),
    'reminders.plan.approve': (q) => d.planner.approve(q),
    'reminders.hold': ({ clientId, patientId, until, reason }) => {
      if (clientId === undefined && patientId === undefined) throw new ApiError('validation', 'Choose the client or the pet to hold reminders for.');
      if (until != null && !isIsoDate(until)) throw new ApiError('validation', 'Give the end of the hold as YYYY-MM-DD, or leave it empty.', { until: 'Use YYYY-MM-DD' });
      const r = holdIns.run(clientId ?? null, patientId ?? null, until ?? null, reason ?? null, d.clock.now().toISOString());
      return { id: Number(r.lastInsertRowid) };
    },
  };
}
