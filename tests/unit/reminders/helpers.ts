import type { ApiArgs, ApiMethod, ApiResult, ClinicProfile, PlanSummary } from '../../../src-main/contract';
import type { Core } from '../../../src-main/core';
import type { MessageRow } from '../../../src-main/core/messaging/types';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { testCore } from '../../helpers/core';
import { pimsFixture, type PimsFixture } from '../../helpers/pims-fixture';
import { CLINIC } from '../../helpers/settings-fixtures';

export interface PlannerWorld {
  core: Core;
  clock: ReturnType<typeof fixedClock>;
  f: PimsFixture;
  call<M extends ApiMethod>(method: M, arg?: ApiArgs<M>): Promise<ApiResult<M>>;
  plan(arg?: { asOf?: string; dryRun?: boolean }): Promise<PlanSummary>;
  messages(where?: string): MessageRow[];
  cleanup(): Promise<void>;
}

/** A desk with the Larkspur clinic profile, a fixed clock and (by default) auto-approved reminders. */
export async function plannerWorld(opts: { now?: string; autoApprove?: boolean; clinic?: Partial<ClinicProfile> } = {}): Promise<PlannerWorld> {
  const clock = fixedClock(opts.now ?? '2026-12-01T15:00:00Z');
  const t = testCore({ clock });
  const core = t.core;
  core.settings.saveClinic({ ...CLINIC, ...opts.clinic });
  const call = async <M extends ApiMethod>(method: M, arg?: ApiArgs<M>): Promise<ApiResult<M>> => {
    const r = await core.invoke(method, arg);
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
    return r.value as ApiResult<M>;
  };
  if (opts.autoApprove !== false) {
    const [rule] = await call('reminders.rules.list');
    await call('reminders.rules.save', { ...rule, autoApprove: true });
  }
  return {
    core,
    clock,
    f: pimsFixture(core.db),
    call,
    plan: (arg = {}) => call('reminders.plan.run', arg),
    messages: (where = '1=1') => core.db.prepare<[], MessageRow>(`SELECT * FROM messages WHERE ${where} ORDER BY id`).all(),
    cleanup: t.cleanup,
  };
}
