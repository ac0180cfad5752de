/**
 * `npm run check:larkspur`: the whole pipeline, headless, on the Larkspur Hollow data set (the
 * Covetrus Pulse export in ../shared/data/larkspur, or $PAWLINE_LARKSPUR) against a Twilio
 * simulator and an SMTP server this script starts on 127.0.0.1:
 *
 *   settings import -> pawline run --import vetdata-pulse --as-of 2026-12-01 --until-idle
 *   -> stats vs EXPECTED.json -> the same run again (must add nothing)
 *
 * The clinic is in America/Los_Angeles and the desk clock (and the simulator's) starts on
 * 2026-12-01 at 10:00 clinic time, inside the send window whatever the machine's hour. The sender
 * is "custom" at 1,000 segments/s (the simulator allows 2,000) so 10k+ messages take seconds,
 * not hours. Prints counts vs EXPECTED.json (ok/DIFF per key, like compare-counts.py), households
 * reminded and to_remind, messages per channel, suppressed by reason, duplicates and the time
 * per stage. Exit 1 when a count differs, a duplicate is found or the run fails; exit 0 with a
 * note when the data set is not there.
 *
 *   npm run check:larkspur [-- --keep] [-- --data DIR]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { executeRun, formatReport } from '../src-main/cli/commands/run';
import { createCore } from '../src-main/core';
import { runningClock } from '../src-main/core/loop/clock';
import type { RunReport } from '../src-main/core/loop';
import { computeStats } from '../src-main/core/pims/stats';
import { silentLogger } from '../src-main/core/shared/log';
import { repeatedMails, repeatedTexts, startSimClinic } from '../tests/helpers/sim-clinic';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AS_OF = '2026-12-01';
const NOW = '2026-12-01T10:00:00-08:00';
const TZ = 'America/Los_Angeles';

const { values } = parseArgs({ options: { data: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const dataSet = path.resolve(values.data ?? process.env.PAWLINE_LARKSPUR ?? path.join(root, '../shared/data/larkspur'));
const pulse = path.join(dataSet, 'vetdata-pulse');
const expectedFile = path.join(dataSet, 'EXPECTED.json');

const num = (n: number) => n.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const say = (line = '') => process.stdout.write(line + '\n');

/** Equal as JSON values, object keys in any order (as compare-counts.py's == on dicts). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

async function main(): Promise<number> {
  if (!existsSync(pulse) || !existsSync(expectedFile)) {
    say(`check:larkspur: no Larkspur data set at ${dataSet} (needs vetdata-pulse/ and EXPECTED.json); nothing to check.`);
    say('Set PAWLINE_LARKSPUR to its folder to run the check.');
    return 0;
  }
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as { counts: Record<string, unknown>; to_remind?: { value: number } };
  const stages: [string, number][] = [];
  const time = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      stages.push([name, Date.now() - t0]);
    }
  };
  const t0 = Date.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pawline-larkspur-'));
  // The simulator dates messages on the same clock as the desk, so status polls find them.
  const simClock = runningClock(new Date(NOW));
  const clinic = await startSimClinic({ now: () => simClock.now().getTime(), simSegmentsPerSecond: 2000 });
  let failures = 0;
  try {
    say(`Pawline check on ${pulse}`);
    say(`data folder ${dataDir}; Twilio simulator ${clinic.sim.url}; SMTP ${clinic.smtp.host}:${clinic.smtp.port}; clinic ${TZ}; as of ${AS_OF}; desk clock from ${NOW}`);
    await time('settings', () => clinic.configure(dataDir, { timeZone: TZ, customRate: 1000 }));

    const progress = (l: string) => process.stderr.write(`  run: ${l}\n`);
    const runArgs = (importPath?: string) => ({
      dataDir,
      now: NOW,
      json: true,
      quiet: false,
      options: { import: importPath ? { path: importPath, profile: 'pulse' } : undefined, asOf: AS_OF, approve: 'all' as const, untilIdle: true, settleMs: 15_000, timeoutMs: 20 * 60_000 },
    });
    // More sends in flight than the desk's default: the simulator answers in a millisecond or two.
    const tuning = { core: { outbox: { concurrency: { sms: 8, email: 4 } } }, onProgress: progress };
    const report: RunReport = await executeRun(runArgs(pulse), tuning);
    stages.push(['import', report.elapsedMs.import], ['plan', report.elapsedMs.plan], ['send + poll', report.elapsedMs.send]);
    if (!report.ok) failures++;

    say('');
    say('== pawline run (first run) ==');
    process.stdout.write(formatReport(report));

    // Imported counts against the ground truth, key by key.
    const stats = await time('stats', async () => {
      const core = createCore({ dataDir, host: 'web', logger: silentLogger });
      try {
        return computeStats(core.db, { asOf: AS_OF }) as unknown as Record<string, unknown>;
      } finally {
        await core.close();
      }
    });
    say('');
    say('== imported counts vs EXPECTED.json ==');
    const keys = Object.keys(expected.counts).filter((k) => k in stats).sort();
    let diff = 0;
    for (const k of keys) {
      const ok = sameValue(stats[k], expected.counts[k]);
      if (!ok) diff++;
      say(`${ok ? 'ok  ' : 'DIFF'} ${k}: got ${JSON.stringify(stats[k])} want ${JSON.stringify(expected.counts[k])}`);
    }
    const notReported = Object.keys(expected.counts).filter((k) => !(k in stats));
    if (notReported.length) say(`(not reported, so not compared: ${notReported.join(', ')})`);
    say(`${keys.length - diff} equal, ${diff} different`);
    failures += diff;

    say('');
    say('== reminders ==');
    const p = report.planned;
    const want = expected.to_remind?.value ?? 8131;
    say(`households reminded: ${num(p?.reminders.households ?? 0)} (${num(p?.reminders.messages ?? 0)} messages)`);
    say(`to_remind: ${num(p?.toRemind ?? 0)} vs EXPECTED ${num(want)}: ${p?.toRemind === want ? 'ok' : 'DIFF'}`);
    if (p?.toRemind !== want) failures++;

    // Everything the first run put in the outbox, by channel and status, and what reached the stand-ins.
    const byChannel = await time('outbox', async () => {
      const core = createCore({ dataDir, host: 'web', logger: silentLogger });
      try {
        return core.db.prepare<[], { channel: string; status: string; n: number }>('SELECT channel, status, COUNT(*) n FROM messages GROUP BY 1, 2 ORDER BY 1, 2').all();
      } finally {
        await core.close();
      }
    });
    say('');
    say('== messages per channel (outbox after the first run) ==');
    for (const ch of ['sms', 'email', 'postcard']) {
      const rows = byChannel.filter((r) => r.channel === ch);
      const total = rows.reduce((n, r) => n + r.n, 0);
      say(`${ch.padEnd(9)} ${num(total).padStart(7)}  (${rows.map((r) => `${r.status} ${num(r.n)}`).join(', ') || 'none'})`);
    }
    say(`simulator: ${num(clinic.sim.outbound().length)} texts taken, ${num(clinic.sim.stats.rateLimited)} answered 429; SMTP server: ${num(clinic.smtp.mails.length)} mails`);

    say('');
    say('== suppressed by reason ==');
    const rows = (o: Partial<Record<string, number>>) => Object.entries(o).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
    say('reminder services (per pet and service):');
    for (const [k, v] of rows(report.suppressed.reminders)) say(`  ${k.padEnd(28)} ${num(v ?? 0).padStart(7)}`);
    say('appointment messages:');
    for (const [k, v] of rows(report.suppressed.appointments)) say(`  ${k.padEnd(28)} ${num(v ?? 0).padStart(7)}`);
    const wd = rows(report.suppressed.withdrawn);
    say(`withdrawn while sending:${wd.length ? '' : ' none'}`);
    for (const [k, v] of wd) say(`  ${k.padEnd(28)} ${num(v ?? 0).padStart(7)}`);

    // The same run again: the planner must find every household already messaged, the outbox
    // must refuse every dedupe key it already holds, and nothing new may reach the simulator.
    const textsBefore = clinic.sim.outbound().length;
    const mailsBefore = clinic.smtp.mails.length;
    const again: RunReport = await executeRun(runArgs(), { ...tuning, onProgress: (l) => progress(`(again) ${l}`) });
    stages.push(['second run (plan + send)', again.elapsedMs.total]);
    if (!again.ok) failures++;
    const dupKeys = await time('duplicate scan', async () => {
      const core = createCore({ dataDir, host: 'web', logger: silentLogger });
      try {
        return core.db.prepare<[], { n: number }>('SELECT COUNT(*) n FROM (SELECT dedupe_key FROM messages GROUP BY dedupe_key HAVING COUNT(*) > 1)').get()!.n;
      } finally {
        await core.close();
      }
    });
    const texts = repeatedTexts(clinic.sim);
    const mails = repeatedMails(clinic.smtp);
    const newTexts = clinic.sim.outbound().length - textsBefore;
    const newMails = clinic.smtp.mails.length - mailsBefore;
    const queuedAgain = (again.planned?.reminders.queued ?? 0) + (again.planned?.appointments.confirmations ?? 0) + (again.planned?.appointments.dayOf ?? 0);
    say('');
    say('== duplicates ==');
    say(`second run as of ${AS_OF}: planned ${num(again.planned?.reminders.messages ?? 0)} new reminder messages and ${num((again.planned?.appointments.confirmations ?? 0) + (again.planned?.appointments.dayOf ?? 0))} appointment messages; households already messaged ${num(again.planned?.reminders.alreadyPlannedHouseholds ?? 0)}; sent ${num(again.sent.total)}`);
    say(`dedupe keys held twice in the outbox: ${dupKeys}`);
    say(`new texts / mails from the second run: ${newTexts} / ${newMails}`);
    say(`simulator texts to the same number with the same body: ${texts.extra} (in ${texts.groups} groups)`);
    say(`mails to the same address with the same subject and text: ${mails.extra} (in ${mails.groups} groups)`);
    const dupTotal = dupKeys + texts.extra + mails.extra + newTexts + newMails + queuedAgain;
    say(`duplicates found: ${dupTotal}${dupTotal === 0 ? ' (ok)' : ' (MUST BE 0)'}`);
    if (dupTotal) failures++;
  } finally {
    await clinic.close();
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
    else say(`(data folder kept: ${dataDir})`);
  }
  say('');
  say('== elapsed per stage ==');
  for (const [name, ms] of stages) say(`${name.padEnd(26)} ${secs(ms).padStart(8)}`);
  say(`${'total'.padEnd(26)} ${secs(Date.now() - t0).padStart(8)}`);
  say('');
  say(failures ? `check:larkspur: ${failures} problem(s) found.` : 'check:larkspur: all checks passed.');
  return failures ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`check:larkspur failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
