/**
 * `pawline plan`: runs the reminder and appointment planner on a data folder and prints what it
 * decided: messages by step and channel, households reminded, suppressed items by reason,
 * appointment messages, and the to_remind yardstick with how the plan differs from it.
 *
 *   plan [--as-of YYYY-MM-DD] [--dry-run] [--json] [--approve] [--data-dir DIR] [--tz ZONE]
 */
import { parseArgs } from 'node:util';
import { IANAZone } from 'luxon';
import type { ClinicProfile, PlanSummary } from '../../contract';
import { createCore, type Core } from '../../core';
import { remindersDomain } from '../../core/reminders';
import { isIsoDate } from '../../core/schedule/local-time';
import { defaultDataDir } from '../../core/shared/data-dir';
import { ApiError } from '../../core/shared/errors';
import { createLogger, fileSink } from '../../core/shared/log';
import { processIo, type CliIo } from './settings';

export const PLAN_USAGE = `Usage:
  pawline plan [--as-of YYYY-MM-DD] [--dry-run] [--json] [--approve] [--data-dir DIR] [--tz ZONE]

Plans today's health reminders and appointment messages (or those of --as-of, as if run that
day at the plan time). Without --dry-run the plan is recorded: appointment messages and
reminders of auto-approved rules are queued, the rest wait for "Approve and queue" on the
Reminders screen (--approve queues them all now). --tz plans for a data folder whose clinic
profile is not set up yet (dry runs and checks).
`;

const num = (n: number) => n.toLocaleString('en-US');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function standInClinic(tz: string): ClinicProfile {
  const day = { open: '08:00', close: '18:00' };
  return {
    name: 'Your veterinary clinic',
    address: { line1: '', city: '', region: '', postalCode: '', country: 'US' },
    phone: '',
    email: '',
    timeZone: tz,
    openingHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: { open: '09:00', close: '13:00' }, sun: null },
    quietHours: { start: '09:00', end: '20:00' },
  };
}

export function formatPlan(s: PlanSummary, tz: string): string {
  const out: string[] = [];
  const r = s.reminders;
  out.push(`Plan for ${s.asOf} (${tz})${s.dryRun ? ', dry run: nothing written' : `, run #${s.runId}`} in ${num(s.durationMs)} ms`);
  out.push('');
  out.push(`Health reminders: ${num(r.messages)} messages to ${num(r.households)} households` + (s.dryRun ? ` (${num(r.queued)} would be queued, ${num(r.proposed)} would wait for approval)` : ` (${num(r.queued)} queued, ${num(r.proposed)} waiting for approval)`));
  out.push(`  Households already messaged for today's step (not repeated): ${num(r.alreadyPlannedHouseholds)}`);
  if (r.byStep.length) {
    out.push('  By step and channel:');
    for (const b of r.byStep)
      out.push(`    ${pad(b.label, 18)} ${pad(b.channel, 9)} ${lpad(num(b.messages), 7)} messages ${lpad(num(b.households), 7)} households` + (b.channel === 'sms' ? ` ${lpad(num(b.segments), 7)} segments ~$${b.estCost.toFixed(2)}` : ''));
  }
  const sup = Object.entries(r.suppressed).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  out.push(`  Suppressed services (with a step today), by reason:${sup.length ? '' : ' none'}`);
  for (const [k, v] of sup) out.push(`    ${pad(k, 20)} ${lpad(num(v ?? 0), 7)}`);
  const wr = Object.entries(r.withdrawn);
  out.push(`  Withdrawn from the outbox:${wr.length ? '' : ' none'}`);
  for (const [k, v] of wr) out.push(`    ${pad(k, 28)} ${lpad(num(v), 7)}`);
  out.push('');
  const a = s.appointments;
  out.push(`Appointments: ${num(a.confirmations)} confirmation requests, ${num(a.dayOf)} day-of reminders; already planned ${num(a.alreadyPlanned)}`);
  const sk = Object.entries(a.skipped);
  if (sk.length) out.push(`  Not sent: ${sk.map(([k, v]) => `${k} ${num(v ?? 0)}`).join(', ')}`);
  const aw = Object.entries(a.withdrawn);
  if (aw.length) out.push(`  Withdrawn: ${aw.map(([k, v]) => `${k} ${num(v)}`).join(', ')}`);
  out.push('');
  const t = s.toRemind;
  out.push(`to_remind: ${t.value}`);
  out.push(`  (${t.definition})`);
  out.push(`  reachable by SMS ${num(t.breakdown.reachableBySms)}, by email only ${num(t.breakdown.reachableByEmailOnly)}, not contactable ${num(t.breakdown.notContactable)}`);
  const d = s.dueNext30;
  out.push(`Households this plan reaches for a service due in the next 30 days: ${num(d.planned)} (also in to_remind: ${num(d.inBoth)})`);
  const miss = Object.entries(d.toRemindNotPlanned).sort((x, y) => y[1] - x[1]);
  if (miss.length) {
    out.push(`  In to_remind but not reached today (${num(miss.reduce((n, [, v]) => n + v, 0))}), why:`);
    for (const [k, v] of miss) out.push(`    ${pad(k, 50)} ${lpad(num(v), 7)}`);
  }
  const extra = Object.entries(d.plannedNotToRemind).sort((x, y) => y[1] - x[1]);
  if (extra.length) {
    out.push(`  Reached but not in to_remind (${num(extra.reduce((n, [, v]) => n + v, 0))}), why:`);
    for (const [k, v] of extra) out.push(`    ${pad(k, 50)} ${lpad(num(v), 7)}`);
  }
  return out.join('\n') + '\n';
}

export async function planCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        'as-of': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        approve: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        tz: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${PLAN_USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.out(PLAN_USAGE);
    return 0;
  }
  if (v['as-of'] !== undefined && !isIsoDate(v['as-of'])) {
    io.err(`--as-of needs a date like 2026-12-01.\n`);
    return 2;
  }
  if (v.tz !== undefined && !IANAZone.isValidZone(v.tz)) {
    io.err(`--tz needs a time zone name like America/Los_Angeles.\n`);
    return 2;
  }
  const dataDir = v['data-dir'] ?? defaultDataDir(io.env);
  let core: Core | null = null;
  try {
    core = createCore({ dataDir, host: 'web', logger: createLogger(fileSink(dataDir, false)) });
    const stored = core.settings.clinic();
    const clinic = stored ? (v.tz ? { ...stored, timeZone: v.tz } : undefined) : v.tz ? standInClinic(v.tz) : null;
    if (clinic === null) {
      io.err('The clinic profile is not set up in this data folder. Set it up (pawline settings set clinic.timeZone ...), or pass --tz America/Los_Angeles for a check run.\n');
      return 1;
    }
    const planner = remindersDomain(core).planner;
    const summary = planner.run({ trigger: 'cli', asOf: v['as-of'], dryRun: v['dry-run'], approveAll: v.approve, clinic });
    if (v.json) io.out(JSON.stringify(summary, null, 2) + '\n');
    else io.out(formatPlan(summary, (clinic ?? stored)!.timeZone));
    return 0;
  } catch (e) {
    if (e instanceof ApiError) {
      io.err(e.message + '\n');
      return 1;
    }
    throw e;
  } finally {
    await core?.close();
  }
}
