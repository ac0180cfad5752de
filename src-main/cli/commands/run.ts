/**
 * `pawline run`: the desk's daily loop without a window, for IT people and scripted checks:
 * import (optional), plan, approve, send, read replies and delivery statuses.
 *
 *   run [--data-dir DIR] [--import PATH [--profile NAME] [--force]] [--as-of DATE] [--now INSTANT]
 *       [--only-auto-approved] [--skip-plan] [--until-idle [--settle S] [--timeout S]] [--json] [--quiet]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime, IANAZone } from 'luxon';
import { createCore, type Core, type CoreOptions } from '../../core';
import type { HeadlessRunOptions, RunReport } from '../../core/loop';
import { isIsoDate } from '../../core/schedule/local-time';
import { defaultDataDir } from '../../core/shared/data-dir';
import { createLogger, fileSink } from '../../core/shared/log';
import type { Clock } from '../../core/shared/clock';
import type { CliIo } from '../registry';

export const RUN_USAGE = `Usage:
  pawline run [--data-dir DIR] [--import PATH [--profile NAME] [--force]] [--as-of YYYY-MM-DD]
              [--now INSTANT] [--only-auto-approved] [--skip-plan]
              [--until-idle [--settle SECONDS] [--timeout SECONDS]] [--json] [--quiet]

Runs the desk's daily loop without a window: imports PATH (a PIMS export folder or file, as the
Import screen does), plans health reminders and appointment messages for --as-of (default the
clinic's today), queues them, sends inside the send window through the Twilio and SMTP servers
set in the data folder's settings (any Twilio-compatible API base URL: twilio.baseUrl), and reads
replies and delivery statuses by polling Twilio.

Approval: a run is an explicit operator action, so every reminder it plans is approved and queued,
as "Approve and queue" on the Reminders screen would. --only-auto-approved queues only the rules
set to auto-approve and leaves the rest waiting on the Reminders screen.

--until-idle  Stop once nothing more can be sent now: everything left waits for a reason (quiet
              hours, a later send time, Twilio or SMTP not set up, offline, paused, postcards
              waiting for a printed batch), and every text sent has a final status or has been
              polled at least once. Work due within a minute (a retry, the window opening) is
              waited for. --settle (default 15) is how long to keep polling for final statuses;
              --timeout (default 3600) gives up with exit code 1.
              Without --until-idle the loop keeps running (export-folder watch, daily plan,
              sending, polling) until Ctrl+C; plans made by the loop itself follow the rules'
              auto-approve setting.
--now         Run the desk's clock from this instant instead of the machine's (it then moves on
              in real time): "2026-12-01T10:30" is clinic time, or give an offset/Z. The send
              window, quiet hours and "today" follow this clock; --as-of only chooses the plan
              day. Meant for checks against a simulator whose clock agrees: Twilio lists
              statuses and replies by its own dates, so an instant later than Twilio's clock
              hides them from the polls.
--json        Print the summary as one JSON object: imported counts, planned, sent, delivered,
              failed, waiting by reason, suppressed by reason, inbound received, elapsed times.

Exit code: 0 done, 1 failed (import or plan error, timeout), 2 bad usage.
`;

export interface RunArgs {
  dataDir: string;
  now?: string;
  json: boolean;
  quiet: boolean;
  options: HeadlessRunOptions;
}

type Parsed = { ok: true; args: RunArgs } | { ok: false; code: number; message: string };

const int = (v: string | undefined, fallback: number): number | null => {
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
};

export function parseRunArgs(argv: string[], env: NodeJS.ProcessEnv): Parsed {
  let a;
  try {
    a = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        import: { type: 'string' },
        profile: { type: 'string' },
        force: { type: 'boolean', default: false },
        'as-of': { type: 'string' },
        now: { type: 'string' },
        'only-auto-approved': { type: 'boolean', default: false },
        'skip-plan': { type: 'boolean', default: false },
        'until-idle': { type: 'boolean', default: false },
        settle: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    });
  } catch (e) {
    return { ok: false, code: 2, message: `${(e as Error).message}\n\n${RUN_USAGE}` };
  }
  const v = a.values;
  if (v.help) return { ok: false, code: 0, message: RUN_USAGE };
  if (v['as-of'] !== undefined && !isIsoDate(v['as-of'])) return { ok: false, code: 2, message: '--as-of needs a date like 2026-12-01.\n' };
  if (v.now !== undefined && !DateTime.fromISO(v.now, { setZone: true }).isValid) return { ok: false, code: 2, message: '--now needs an instant like 2026-12-01T10:30 (clinic time) or 2026-12-01T18:30:00Z.\n' };
  const settle = int(v.settle, 15);
  const timeout = int(v.timeout, 3600);
  if (settle === null || timeout === null) return { ok: false, code: 2, message: '--settle and --timeout take a number of seconds.\n' };
  if ((v.profile || v.force) && !v.import) return { ok: false, code: 2, message: '--profile and --force go with --import PATH.\n' };
  return {
    ok: true,
    args: {
      dataDir: path.resolve(v['data-dir'] ?? defaultDataDir(env)),
      now: v.now,
      json: v.json,
      quiet: v.quiet,
      options: {
        import: v.import ? { path: path.resolve(v.import), profile: v.profile, force: v.force } : undefined,
        plan: !v['skip-plan'],
        asOf: v['as-of'],
        approve: v['only-auto-approved'] ? 'rules' : 'all',
        untilIdle: v['until-idle'],
        settleMs: settle * 1000,
        timeoutMs: timeout * 1000,
      },
    },
  };
}

/**
 * A clock that can be moved once the clinic's time zone is known: "--now 2026-12-01T10:30" is
 * clinic time, and the zone is in the data folder the core opens.
 */
function settableClock(): Clock & { startAt(d: Date): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    startAt: (d) => {
      offset = d.getTime() - Date.now();
    },
  };
}

/** Parses --now: with an offset or Z as given, otherwise as wall time in the clinic's zone. */
export function parseNow(text: string, zone: string | null): Date | null {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim());
  const z = zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
  const dt = hasZone ? DateTime.fromISO(text, { setZone: true }) : DateTime.fromISO(text, { zone: z });
  return dt.isValid ? dt.toJSDate() : null;
}

/** Runs the loop on a data folder; `core` tuning is for scripts that drive a simulator (check:larkspur). */
export async function executeRun(args: RunArgs, o: { core?: Partial<CoreOptions>; onProgress?: (line: string) => void } = {}): Promise<RunReport> {
  const clock = settableClock();
  let core: Core | null = null;
  try {
    core = createCore({ dataDir: args.dataDir, host: 'web', logger: createLogger(fileSink(args.dataDir, false)), clock, ...o.core });
    if (args.now) {
      const at = parseNow(args.now, core.settings.clinic()?.timeZone ?? null);
      if (!at) throw new Error(`--now ${args.now} is not an instant`);
      clock.startAt(at);
    }
    return await core.loop.run({ ...args.options, onProgress: o.onProgress });
  } finally {
    await core?.close();
  }
}

const num = (n: number) => n.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const list = (o: Partial<Record<string, number>>) => {
  const e = Object.entries(o).filter(([, v]) => (v ?? 0) > 0);
  return e.length ? e.sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0)).map(([k, v]) => `${k} ${num(v ?? 0)}`).join(', ') : 'none';
};

export function formatReport(r: RunReport): string {
  const out: string[] = [];
  const clock = r.timeZone ? DateTime.fromISO(r.clockStart).setZone(r.timeZone).toFormat("yyyy-MM-dd HH:mm ZZZZ") : r.clockStart;
  const head = r.ended === 'error' ? 'Run FAILED' : r.ended === 'timeout' ? 'Run gave up waiting (timeout)' : r.ended === 'idle' ? 'Run finished: nothing more can be sent now' : 'Run stopped';
  out.push(`${head} (${secs(r.elapsedMs.total)}; desk clock started ${clock})`);
  if (r.error) out.push(`  ${r.error.message}`);
  if (r.imported) {
    const ents = Object.entries(r.imported.byEntity).map(([k, c]) => `${k} ${num(c!.inserted)} new / ${num(c!.updated)} updated / ${num(c!.unchanged)} unchanged${c!.rejected ? ` / ${num(c!.rejected)} rejected` : ''}`);
    out.push(`Imported (run #${r.imported.runId}, ${r.imported.status}, ${num(r.imported.rowsRead)} rows, ${r.imported.errors} errors, ${r.imported.warnings} warnings):`);
    for (const e of ents) out.push(`  ${e}`);
  }
  if (r.planned) {
    const p = r.planned;
    out.push(`Planned as of ${p.asOf}${p.runId ? ` (plan run #${p.runId})` : ''}: ${num(p.reminders.messages)} reminder messages to ${num(p.reminders.households)} households (${list(p.reminders.byChannel)})`);
    out.push(`  queued ${num(p.reminders.queued)}, waiting for approval ${num(p.reminders.awaitingApproval)}, households already messaged for today's step ${num(p.reminders.alreadyPlannedHouseholds)}`);
    out.push(`  appointments: ${num(p.appointments.confirmations)} confirmation requests, ${num(p.appointments.dayOf)} day-of reminders (already planned ${num(p.appointments.alreadyPlanned)})`);
    out.push(`  to_remind: ${num(p.toRemind)}`);
  }
  out.push(`Sent: ${num(r.sent.sms)} texts, ${num(r.sent.email)} emails; delivered ${num(r.delivered.sms)} texts; failed ${num(r.failed.total)}${r.failed.total ? ` (${list(r.failed.byCode)})` : ''}; texts without a final status ${num(r.awaitingStatus)}`);
  out.push(`Waiting: ${num(r.waiting.total)}`);
  const local = (iso: string) => (r.timeZone ? DateTime.fromISO(iso).setZone(r.timeZone).toFormat('yyyy-MM-dd HH:mm') : iso);
  for (const g of r.waiting.details) out.push(`  ${g.channel.padEnd(8)} ${g.reason.padEnd(16)} ${num(g.count).padStart(7)}  ${g.why}${g.nextAt ? ` Next: ${local(g.nextAt)}.` : ''}`);
  out.push(`Suppressed: ${num(r.suppressed.total)}`);
  out.push(`  reminder services: ${list(r.suppressed.reminders)}`);
  out.push(`  appointment messages: ${list(r.suppressed.appointments)}`);
  out.push(`  withdrawn: ${list(r.suppressed.withdrawn)}${r.suppressed.expired ? `; expired ${num(r.suppressed.expired)}` : ''}`);
  out.push(`Inbound: ${num(r.inbound.received)} received (${list(r.inbound.byIntent)}); opt-outs ${num(r.inbound.optOuts)}, opt-ins ${num(r.inbound.optIns)}`);
  out.push(`Outbox now: ${list(r.outbox)}`);
  out.push(`Elapsed: import ${secs(r.elapsedMs.import)}, plan ${secs(r.elapsedMs.plan)}, send and poll ${secs(r.elapsedMs.send)}, total ${secs(r.elapsedMs.total)}`);
  return out.join('\n') + '\n';
}

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseRunArgs(argv, io.env);
  if (!p.ok) {
    (p.code === 0 ? io.out : io.err)(p.message);
    return p.code;
  }
  const args = p.args;
  // Without --until-idle the loop runs until Ctrl+C; the summary is printed on the way out.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (!args.options.untilIdle) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    const report = await executeRun({ ...args, options: { ...args.options, signal: stop.signal } }, { onProgress: args.quiet ? undefined : (l) => io.err(`run: ${l}\n`) });
    io.out(args.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (args.json) io.out(JSON.stringify({ ok: false, ended: 'error', error: { code: 'internal', message } }) + '\n');
    else io.err(`${message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
