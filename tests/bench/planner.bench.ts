/**
 * Planner benchmark (plain script, not a test):
 *   npx tsx tests/bench/planner.bench.ts [--data ../shared/data/larkspur/vetdata-pulse] [--rounds 5] [--data-dir DIR]
 *
 * Imports the larkspur Pulse export once (or reuses --data-dir), sets the clinic to
 * America/Los_Angeles and plans as of 2026-12-01. In the same run, on the same database:
 *   naive     the baseline: one query per patient (its reminders, its pet and client rows, its
 *             history per reminder, its appointments, its client's phones and emails), then the
 *             same decisions (step, suppression, household grouping); no text rendered.
 *   compute   the planner's full plan as a dry run (every decision, texts rendered for the
 *             messages that need a segment count), warm: median of --rounds after one warm-up.
 *             Twice per round: once right after a PIMS change (the facts are read again, as after
 *             an import) and once with the facts the previous plan read (nothing changed since).
 *   queue     the full plan written: ~19k messages enqueued with their covered items (every
 *             reminder rule set to auto-approve), on a fresh copy of the database each round.
 *   replan    the same plan run again with nothing changed: the outbox's dedupe keys and the
 *             planner's item ledger make it a no-op; median of --rounds. The worst case: all
 *             ~19k messages still queued, each re-checked (pet, client, consent, address).
 *   settled   the same after the outbox has sent them (marked delivered): the daily case.
 * Budgets: full plan < 1 s warm, unchanged re-plan < 0.5 s. Numbers go to RESULTS.md by hand.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ClinicProfile, PlanSummary } from '../../src-main/contract';
import { loadReachability } from '../../src-main/core/consent/reachability';
import { createCore, type Core } from '../../src-main/core';
import { createImporter } from '../../src-main/core/pims/importer';
import { remindersDomain } from '../../src-main/core/reminders';
import type { ReminderFacts } from '../../src-main/core/reminders/load';
import { loadAppointmentsFrom } from '../../src-main/core/reminders/load';
import { serviceCategory } from '../../src-main/core/reminders/categories';
import { ruleFinder } from '../../src-main/core/reminders/rules';
import { activeStep } from '../../src-main/core/reminders/steps';
import { addressFor, itemSuppression, upcomingByPatient } from '../../src-main/core/reminders/suppression';
import { silentLogger } from '../../src-main/core/shared/log';
import { CLINIC } from '../helpers/settings-fixtures';

const require = createRequire(import.meta.url);
const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '../..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(root, '../shared/data/larkspur/vetdata-pulse') },
    rounds: { type: 'string', default: '5' },
    'data-dir': { type: 'string' },
  },
});
const ROUNDS = Math.max(1, Number(values.rounds));
const AS_OF = '2026-12-01';

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function measure<T>(fn: () => T): { value: T } & Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function open(dir: string): Core {
  const core = createCore({ dataDir: dir, host: 'web', logger: silentLogger });
  core.settings.saveClinic(CLINIC);
  return core;
}

/**
 * The baseline: the same decisions, with the data fetched the obvious way, patient by patient.
 * Returns households with a message and messages, to check both paths agree.
 */
function naivePlan(core: Core, d: ReturnType<typeof remindersDomain>): { households: number; messages: number } {
  const db = core.db;
  const rules = d.rules.list();
  const findRule = ruleFinder(rules);
  const ps = d.rules.settings();
  const upcoming = upcomingByPatient(loadAppointmentsFrom(db, AS_OF), AS_OF);
  const holds = { clients: new Map<number, string | null>(), patients: new Map<number, string | null>() };
  const patients = db.prepare<[], { id: number }>('SELECT id FROM patients').all();
  const remOf = db.prepare<[number], { id: number; code: string; description: string | null; category: string | null; due_date: string; suspended: number; satisfied_on: string | null }>(
    'SELECT id, code, description, category, due_date, suspended, satisfied_on FROM reminders WHERE patient_id = ? AND gone = 0',
  );
  const petRow = db.prepare<[number], { client_id: number | null; name: string | null; sex: string | null; deceased: number; dod: string | null; active: number; suspend_reminders: number; gone: number }>(
    'SELECT client_id, name, sex, deceased, dod, active, suspend_reminders, gone FROM patients WHERE id = ?',
  );
  const clientRow = db.prepare<[number], { id: number; active: number; gone: number; suspend_reminders: number; suspend_until: string | null; first_name: string | null; last_name: string | null; language: string | null; address1: string | null; city: string | null }>(
    'SELECT id, active, gone, suspend_reminders, suspend_until, first_name, last_name, language, address1, city FROM clients WHERE id = ?',
  );
  const histOf = db.prepare<[number, string, string], { d: string | null }>('SELECT MIN(service_date) d FROM history WHERE patient_id = ? AND code = ? AND service_date >= ?');
  const apptOf = db.prepare<[number, string], { n: number }>('SELECT COUNT(*) n FROM appointments WHERE patient_id = ? AND start_local >= ?');

  const households = new Map<number, { step: { channels: ('sms' | 'email' | 'postcard')[]; send: string } }>();
  for (const { id } of patients) {
    const pet = petRow.get(id)!;
    apptOf.get(id, AS_OF);
    const client = pet.client_id !== null ? clientRow.get(pet.client_id) : undefined;
    for (const r of remOf.all(id)) {
      const f: ReminderFacts = {
        reminderId: r.id,
        itemKey: `${id}:${r.code}:${r.due_date}`,
        patientId: id,
        clientId: pet.client_id,
        code: r.code,
        description: r.description,
        category: serviceCategory(r.code, r.category, r.description),
        due: r.due_date,
        reminderSuspended: !!r.suspended,
        reminderGone: false,
        satisfiedOn: r.satisfied_on ?? histOf.get(id, r.code, r.due_date)?.d ?? null,
        petName: pet.name ?? '',
        petSex: pet.sex,
        deceased: !!pet.deceased || !!pet.dod,
        petActive: !!pet.active,
        petSuspend: !!pet.suspend_reminders,
        petGone: !!pet.gone,
        hasClient: !!client,
        clientActive: !!client?.active && !client?.gone,
        clientSuspend: !!client?.suspend_reminders,
        clientSuspendUntil: client?.suspend_until ?? null,
      };
      const rule = findRule(f.code, f.category);
      const active = rule ? activeStep(rule, f.due, AS_OF) : null;
      if (!rule || !active || !rule.enabled) continue;
      if (itemSuppression(f, { asOf: AS_OF, holds, upcoming, coverDays: ps.coverDays })) continue;
      const cur = households.get(f.clientId!);
      if (!cur || active.step.offsetDays > (cur.step as { offsetDays?: number }).offsetDays!) households.set(f.clientId!, { step: active.step });
    }
  }
  let messages = 0;
  let reached = 0;
  for (const [cid, h] of households) {
    const client = clientRow.get(cid)!;
    const reach = loadReachability(db, core.consent, [cid]).get(cid);
    const facts = { id: cid, firstName: '', lastName: '', language: client.language, active: true, gone: false, suspend: false, suspendUntil: null, address: client.address1 && client.city ? 'x' : null };
    let n = 0;
    for (const ch of h.step.channels) {
      if ('to' in addressFor(ch, reach, facts)) {
        n++;
        if (h.step.send === 'first') break;
      }
    }
    if (n) reached++;
    messages += n;
  }
  return { households: reached, messages };
}

/**
 * A fixed reference workload, so numbers from a busy or slow machine can be compared with
 * another run elsewhere: 1M string-keyed Map writes+reads (allocation-heavy JS) and 200k SQLite
 * rows inserted and read back in memory.
 */
function calibrate(): { js: Sample; sqlite: Sample } {
  const js = measure(() => {
    const m = new Map<string, number>();
    for (let i = 0; i < 1e6; i++) m.set('k' + i, i);
    let t = 0;
    for (let i = 0; i < 1e6; i++) t += m.get('k' + i)!;
    return t;
  });
  const sqlite = measure(() => {
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)');
    const ins = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 200_000; i++) ins.run(`row ${i}`, i);
    })();
    const n = db.prepare('SELECT a, b FROM t').raw().all().length;
    db.close();
    return n;
  });
  return { js, sqlite };
}

function row(label: string, s: Sample, budget?: number): string {
  return `| ${label} | ${budget ? `${budget} ms` : ''} | ${s.wallMs.toFixed(0)} | ${s.cpuMs.toFixed(0)} | ${budget ? (s.wallMs / budget).toFixed(2) : ''} |`;
}

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pawline-planner-bench-'));
  const base = values['data-dir'] ?? path.join(tmp, 'base');
  try {
    if (!existsSync(path.join(base, 'pawline.sqlite3'))) {
      const core = open(base);
      const importer = createImporter({ db: core.db, clock: core.clock, events: core.events, log: silentLogger, dataDir: base, timeZone: () => CLINIC.timeZone });
      const t = measure(() => importer.run({ path: values.data! }, 'cli'));
      const s = await t.value;
      if (s.status === 'failed') throw new Error(s.error);
      process.stderr.write(`imported ${s.rowsRead} rows\n`);
      core.db.pragma('wal_checkpoint(TRUNCATE)');
      await core.close();
    }

    // Baseline and compute-only plans on the imported database (dry runs write nothing).
    let core = open(base);
    let d = remindersDomain(core);
    const dry = () => d.planner.run({ trigger: 'cli', asOf: AS_OF, dryRun: true });
    dry(); // warm-up: page cache, prepared statements, JIT
    const naive = measure(() => naivePlan(core, d));
    const computes: (Sample & { s: PlanSummary })[] = [];
    const fresh: (Sample & { s: PlanSummary })[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const m = measure(dry);
      computes.push({ wallMs: m.wallMs, cpuMs: m.cpuMs, s: m.value });
      // What an import that changed anything costs the next plan: the PIMS facts are read again.
      core.db.prepare("UPDATE change_counters SET n = n + 1 WHERE name = 'pims'").run();
      const f = measure(dry);
      fresh.push({ wallMs: f.wallMs, cpuMs: f.cpuMs, s: f.value });
    }
    const plan = computes[0].s;
    await core.close();

    // Written plans: a fresh copy of the database per round, then unchanged re-plans on it.
    const queues: Sample[] = [];
    const replans: (Sample & { s: PlanSummary })[] = [];
    const settled: (Sample & { s: PlanSummary })[] = [];
    for (let i = 0; i < Math.min(ROUNDS, 3); i++) {
      const dir = path.join(tmp, `round${i}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      copyFileSync(path.join(base, 'pawline.sqlite3'), path.join(dir, 'pawline.sqlite3'));
      core = open(dir);
      d = remindersDomain(core);
      for (const r of d.rules.list()) d.rules.save({ ...r, autoApprove: true });
      d.planner.run({ trigger: 'cli', asOf: AS_OF, dryRun: true }); // warm
      const q = measure(() => d.planner.run({ trigger: 'cli', asOf: AS_OF }));
      queues.push(q);
      for (let j = 0; j < ROUNDS; j++) {
        const m = measure(() => d.planner.run({ trigger: 'cli', asOf: AS_OF }));
        if (m.value.reminders.messages || m.value.appointments.confirmations || m.value.appointments.dayOf) throw new Error('re-plan created messages');
        replans.push({ wallMs: m.wallMs, cpuMs: m.cpuMs, s: m.value });
      }
      core.db.prepare("UPDATE messages SET status = 'delivered' WHERE status = 'queued'").run();
      d.planner.run({ trigger: 'cli', asOf: AS_OF }); // notes the settled statuses once
      for (let j = 0; j < ROUNDS; j++) {
        const m = measure(() => d.planner.run({ trigger: 'cli', asOf: AS_OF }));
        if (m.value.reminders.messages) throw new Error('settled re-plan created messages');
        settled.push({ wallMs: m.wallMs, cpuMs: m.cpuMs, s: m.value });
      }
      await core.close();
    }

    const cal = calibrate();
    const med = (xs: Sample[]): Sample => ({ wallMs: median(xs.map((x) => x.wallMs)), cpuMs: median(xs.map((x) => x.cpuMs)) });
    const compute = med(computes);
    const computeFresh = med(fresh);
    const queue = med(queues);
    const replan = med(replans);
    const daily = med(settled);
    const out: string[] = [];
    out.push(`Planner, larkspur (${plan.reminders.messages.toLocaleString()} reminder messages to ${plan.reminders.households.toLocaleString()} households, ${(plan.appointments.confirmations + plan.appointments.dayOf).toLocaleString()} appointment messages), as of ${AS_OF}`);
    out.push(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load average ${os.loadavg()[0].toFixed(1)}; medians of ${ROUNDS} (queue: ${queues.length}).`);
    out.push('');
    out.push('| operation | budget | wall ms | cpu ms | wall / budget |');
    out.push('|---|---:|---:|---:|---:|');
    out.push(row('naive per-patient query loop (decisions only)', naive));
    out.push(row('full plan, computed (dry run), PIMS facts read (first plan after an import)', computeFresh, 1000));
    out.push(row('full plan, computed (dry run), PIMS facts kept from the last plan', compute, 1000));
    out.push(row('full plan, written (~19k messages queued)', queue));
    out.push(row('re-plan, nothing changed (19k still queued, each re-checked)', replan, 500));
    out.push(row('re-plan, nothing changed (messages sent)', daily, 500));
    out.push('');
    out.push(`naive / planner compute: ${(naive.wallMs / compute.wallMs).toFixed(1)}x wall, ${(naive.cpuMs / compute.cpuMs).toFixed(1)}x cpu`);
    out.push(`re-plan / full plan written: ${(replan.wallMs / queue.wallMs).toFixed(2)} wall`);
    out.push(`households reached: planner ${plan.reminders.households}, naive ${naive.value.households}; messages: planner ${plan.reminders.messages}, naive ${naive.value.messages}`);
    out.push(`machine calibration (compare runs across machines): 1M Map set+get ${cal.js.wallMs.toFixed(0)} ms wall / ${cal.js.cpuMs.toFixed(0)} ms cpu, 200k SQLite rows in+out ${cal.sqlite.wallMs.toFixed(0)} ms / ${cal.sqlite.cpuMs.toFixed(0)} ms`);
    out.push(`phases of one dry run, facts read (ms): ${JSON.stringify(fresh[fresh.length - 1].s.timings)}`);
    out.push(`phases of one dry run, facts kept (ms): ${JSON.stringify(computes[computes.length - 1].s.timings)}`);
    out.push(`phases of one re-plan (ms): ${JSON.stringify(replans[replans.length - 1].s.timings)}`);
    out.push(`phases of one re-plan after sending (ms): ${JSON.stringify(settled[settled.length - 1].s.timings)}`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    if (!values['data-dir']) rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
