/**
 * Campaigns benchmark: a 30,000-client clinic, one alert to all active clients over SMS and email
 * (about 60,000 outbox rows). Measured:
 *   - campaign: build the audience (filters, consent, reachability, households), render every
 *     message, and enqueue them through ctx.outbox in chunked transactions (budget < 2 s);
 *   - baseline: the same rows inserted into an identical copy of the database with one prepared
 *     statement in one transaction (target: campaign within 1.5x of it);
 *   - responsiveness: an 'inbox.list' call every 10 ms while the enqueue runs, each timed from the
 *     moment it was due to its answer (waiting for the event loop included; budget < 50 ms).
 *
 *   npx tsx tests/bench/campaigns.bench.ts [--clients 30000] [--runs 3] [--write]
 *   npx tsx tests/bench/campaigns.bench.ts --from-data-dir DIR   (a data directory the importer filled, e.g.
 *     npm run pawline -- import ../shared/data/larkspur/vetdata-pulse --data-dir DIR)
 * --write replaces the "Campaigns" section of tests/bench/RESULTS.md.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AudienceCount } from '../../src-main/contract';
import { createCore, type Core } from '../../src-main/core';
import { createCampaigns } from '../../src-main/core/campaigns';
import { fixedClock } from '../../src-main/core/shared/clock';
import { silentLogger } from '../../src-main/core/shared/log';
import { pimsFixture } from '../helpers/pims-fixture';
import { CLINIC } from '../helpers/settings-fixtures';

const { values } = parseArgs({ options: { clients: { type: 'string' }, runs: { type: 'string' }, write: { type: 'boolean' }, 'from-data-dir': { type: 'string' } } });
const FROM = values['from-data-dir'];
const N = Number(values.clients ?? 30_000);
const RUNS = Number(values.runs ?? 3);

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
const FIRST = ['Dana', 'Luis', 'Priya', 'Sam', 'Alex', 'Maria', 'John', 'Aiko', 'Chloé', 'Noah', 'Fatima', 'Grace', 'Omar', 'Zoë', 'Ivan', 'Lena'];
const LAST = ['Whitfield', 'Ortega', 'Nair', 'Moreno', 'Côté', 'Smith', 'Nguyen', 'Kowalski', 'Haddad', 'Brown', 'Tanaka', "O'Brien", 'Larsen', 'Silva'];
const PETS = ['Rex', 'Bella', 'Mochi', 'Luna', 'Max', 'Biscuit', 'Juniper', 'Pepper', 'Olive', 'Milo', 'Cooper', 'Nala', 'Ziggy', 'Tofu', 'Maple'];

/** A clinic shaped like larkspur: ~95% active, en/fr/es, 1-4 pets, some deceased, ~8% without a cell, ~20% without email. */
function buildClinic(core: Core) {
  const f = pimsFixture(core.db, { timeZone: CLINIC.timeZone });
  core.db.transaction(() => {
    for (let i = 1; i <= N; i++) {
      const r = rnd();
      f.household({
        firstName: pick(FIRST),
        lastName: pick(LAST),
        language: r < 0.06 ? 'fr' : r < 0.1 ? 'es' : 'en',
        active: rnd() > 0.05,
        cell: rnd() < 0.92 ? `+1425${String(2000000 + i)}` : null,
        email: rnd() < 0.8 ? `owner${i}@example.com` : null,
        pets: Array.from({ length: 1 + Math.floor(rnd() * rnd() * 4) }, () => ({ name: pick(PETS), species: rnd() < 0.7 ? 'Dog' : 'Cat', deceased: rnd() < 0.03 })),
      });
    }
    // Some opt-outs, as a live clinic has.
    const ins = core.db.prepare("INSERT INTO consent_events (address, channel, purpose, status, source, at) VALUES (?, 'sms', 'all', 'opt-out', 'keyword', '2026-01-01T00:00:00Z')");
    for (let i = 1; i <= N; i += 33) ins.run(`+1425${String(2000000 + i)}`);
    // An inbox with history, so the inbox call does real work.
    const cv = core.db.prepare(
      "INSERT INTO conversations (address, client_id, match, status, unread_count, last_message_at, last_direction, last_preview, created_at, updated_at) VALUES (?, ?, 'client', 'open', ?, ?, 'inbound', 'Thanks!', ?, ?)",
    );
    const base = Date.parse('2026-06-01T00:00:00Z');
    for (let i = 1; i <= Math.min(N, 5000); i++) {
      const at = new Date(base + rnd() * 180 * 86_400_000).toISOString();
      cv.run(`+1425${String(2000000 + i)}`, i, rnd() < 0.05 ? 1 : 0, at, at, at);
    }
  })();
}

const COLS = [
  'dedupe_key', 'channel', 'kind', 'priority', 'client_id', 'appointment_id', 'campaign_id', 'conversation_id', 'to_address', 'subject', 'body', 'html', 'media',
  'segments', 'encoding', 'est_cost', 'status', 'not_before', 'expires_at', 'created_by', 'meta', 'created_at', 'updated_at',
];

interface RunResult {
  campaignMs: number;
  audienceMs: number;
  baselineMs: number;
  campaignCpuMs: number;
  baselineCpuMs: number;
  load: number;
  rows: number;
  inboxCalls: number;
  inboxMax: number;
  inboxP95: number;
  recipients: number;
  suppressed: number;
  count: AudienceCount;
}

async function runOnce(run: number): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-campaign-bench-'));
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'pawline-campaign-base-'));
  const clock = fixedClock('2026-12-01T18:00:00.000Z');
  if (FROM) {
    // A copy of an imported clinic: the run may write to it freely.
    const src = new Database(path.join(FROM, 'pawline.sqlite3'), { readonly: true });
    src.exec(`VACUUM INTO '${path.join(dir, 'pawline.sqlite3').replace(/'/g, "''")}'`);
    src.close();
  }
  const core = createCore({ dataDir: dir, host: 'web', logger: silentLogger, clock });
  core.settings.saveClinic(CLINIC);
  if (!FROM) buildClinic(core);
  core.db.pragma('optimize');
  // The baseline runs on an identical copy taken before the campaign writes anything.
  const baseFile = path.join(baseDir, 'base.sqlite3');
  core.db.exec(`VACUUM INTO '${baseFile.replace(/'/g, "''")}'`);

  const campaigns = createCampaigns(core, {}, {});
  const h = campaigns.handlers;
  const c = h['campaigns.create']({
    name: `Storm closure ${run}`,
    kind: 'alert',
    audience: {},
    delivery: 'both',
    content: {
      defaultLang: 'en',
      sms: {
        en: '{{clinic.name}}: we are closed today because of the storm. {{client.firstName}}, call {{clinic.phone}} to rebook {{pets}}.',
        fr: '{{clinic.name}} : fermé aujourd hui (tempête). Appelez le {{clinic.phone}}.',
        es: '{{clinic.name}}: cerrado hoy por la tormenta. Llame al {{clinic.phone}}.',
      },
      email: {
        en: { subject: 'Closed today: {{clinic.name}}', body: 'Hello {{client.firstName}},\n\nWe are closed today because of the storm. Call us to rebook {{pets}}.' },
        fr: { subject: 'Fermé aujourd hui', body: 'Bonjour {{client.firstName}},\n\nNous sommes fermés aujourd hui.' },
      },
    },
  });

  const tA = performance.now();
  const count = await h['campaigns.count']({ kind: 'alert', audience: {}, delivery: 'both' });
  const audienceMs = performance.now() - tA;

  // The desk keeps asking for its inbox while the campaign goes in.
  const latencies: number[] = [];
  let probing = true;
  const probe = (due: number) => {
    setTimeout(() => {
      if (!probing) return;
      void core.invoke('inbox.list', { limit: 50 }).then((r) => {
        if (!r.ok) throw new Error(`inbox.list failed: ${r.error.message}`);
        latencies.push(performance.now() - due);
      });
      // A call that could not even start on time makes the next one due now, not in the past.
      probe(Math.max(due + 10, performance.now()));
    }, Math.max(0, due - performance.now()));
  };

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  probe(t0 + 5);
  h['campaigns.send']({ id: c.id });
  await campaigns.settle(c.id);
  const campaignMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const campaignCpuMs = (cpu.user + cpu.system) / 1000;
  probing = false;
  await new Promise((r) => setTimeout(r, 30));

  const rows = core.db.prepare(`SELECT ${COLS.join(', ')} FROM messages WHERE campaign_id = ? ORDER BY id`).all(c.id) as Record<string, unknown>[];
  await campaigns.service.stop();
  await core.close();

  const insertAll = (file: string) => {
    const base = new Database(file);
    base.pragma('journal_mode = WAL');
    base.pragma('synchronous = NORMAL');
    base.pragma('foreign_keys = ON');
    const ins = base.prepare(`INSERT INTO messages (${COLS.join(', ')}) VALUES (${COLS.map((k) => `@${k}`).join(', ')})`);
    const t = performance.now();
    const c0 = process.cpuUsage();
    base.transaction(() => {
      for (const r of rows) ins.run(r);
    })();
    const ms = performance.now() - t;
    const c1 = process.cpuUsage(c0);
    base.close();
    return { ms, cpuMs: (c1.user + c1.system) / 1000 };
  };
  const b1 = insertAll(baseFile);
  const baselineMs = b1.ms;
  rmSync(dir, { recursive: true, force: true });
  rmSync(baseDir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  return {
    campaignMs,
    audienceMs,
    baselineMs,
    campaignCpuMs,
    baselineCpuMs: b1.cpuMs,
    load: os.loadavg()[0]!,
    rows: rows.length,
    inboxCalls: latencies.length,
    inboxMax: latencies[latencies.length - 1] ?? NaN,
    inboxP95: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))] ?? NaN,
    recipients: count.recipients,
    suppressed: count.suppressed.total,
    count,
  };
}

const results: RunResult[] = [];
for (let i = 0; i < RUNS; i++) {
  seed = 7;
  const r = await runOnce(i);
  if (FROM) console.error(JSON.stringify(r.count.suppressed.byReason), JSON.stringify(r.count.byChannel));
  console.error(`run ${i + 1}: campaign ${r.campaignMs.toFixed(0)} ms (CPU ${r.campaignCpuMs.toFixed(0)}), baseline ${r.baselineMs.toFixed(0)} ms (CPU ${r.baselineCpuMs.toFixed(0)}), rows ${r.rows}, inbox max ${r.inboxMax.toFixed(1)} ms over ${r.inboxCalls} calls, load ${r.load.toFixed(1)}`);
  results.push(r);
}
type Num = Exclude<keyof RunResult, 'count'>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const med = (k: Num) => median(results.map((r) => r[k]));
const worst = (k: Num) => Math.max(...results.map((r) => r[k]));
const r0 = results[0]!;
const ratio = median(results.map((r) => r.campaignMs / r.baselineMs));
const cpuRatio = median(results.map((r) => r.campaignCpuMs / r.baselineCpuMs));
const f0 = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const f1 = (n: number) => n.toFixed(1);
const ok = med('campaignMs') < 2000 && ratio <= 1.5 && worst('inboxMax') < 50;
const lines = [
  FROM ? '### Campaigns on the imported larkspur clinic' : '## Campaigns',
  '',
  `\`npx tsx tests/bench/campaigns.bench.ts${FROM ? ' --from-data-dir …' : ''}\` — ${FROM ? 'the imported larkspur clinic' : `${N.toLocaleString('en-US')} synthesised clients (pims-fixture)`}, alert to all active clients by SMS and email: ` +
    `${r0.recipients.toLocaleString('en-US')} recipients, ${r0.suppressed.toLocaleString('en-US')} suppressed, ${r0.rows.toLocaleString('en-US')} outbox rows. ` +
    `${RUNS} run(s), fresh database each, Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  'Per run (wall ms unless noted; "campaign" = audience + render on the desk, pages inserted by the campaign\'s writer thread, from campaigns.send until the last page is committed; "baseline" = the same message rows, one prepared INSERT, one transaction, on an identical copy of the database):',
  '',
  '| run | load avg | audience count | campaign | baseline | campaign / baseline | CPU campaign / baseline | inbox.list p95 / max (calls) |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r, i) =>
      `| ${i + 1} | ${r.load.toFixed(1)} | ${f0(r.audienceMs)} | ${f0(r.campaignMs)} | ${f0(r.baselineMs)} | ${(r.campaignMs / r.baselineMs).toFixed(2)}x | ` +
      `${f0(r.campaignCpuMs)} / ${f0(r.baselineCpuMs)} = ${(r.campaignCpuMs / r.baselineCpuMs).toFixed(2)}x | ${f1(r.inboxP95)} / ${f1(r.inboxMax)} (${r.inboxCalls}) |`,
  ),
  '',
  '| target | budget | result (median over runs) |',
  '|---|---:|---:|',
  `| campaign time | < 2,000 ms | ${f0(med('campaignMs'))} ms |`,
  `| campaign / baseline (wall) | <= 1.5x | ${ratio.toFixed(2)}x |`,
  `| campaign / baseline (CPU time of both threads added up; for reference, see the notes) | — | ${cpuRatio.toFixed(2)}x |`,
  `| inbox.list answered during the enqueue (timed from when it was due), worst | < 50 ms | ${f1(worst('inboxMax'))} ms (p95 ${f1(med('inboxP95'))} ms) |`,
  '',
  ok ? 'All within budget.' : 'Not all within budget: see the notes.',
  '',
];
const NOTES = [
  '#### Notes (campaigns)',
  '',
  "- Shared machine: 2 vCPUs with other agents' work running alongside at times (load average per run in the table). Wall and CPU times both move by a third with it; compare runs taken side by side.",
  '- How the enqueue works now (issue #7): the desk resolves the audience and renders the texts a page at a time (8 ms of its event loop per page) and posts each page to the campaign\'s writer thread ' +
    '(src-main/core/campaigns/writer-thread.ts), which inserts it on a connection of its own while the desk renders the next page, and commits every 60 ms while pages keep coming. ' +
    'On a two-core PC the two halves run side by side, so the wall time is about the inserting alone plus the thread\'s start (about 50 ms bundled, 120-200 ms from the TypeScript sources this bench runs).',
  '- Why "CPU campaign / baseline" is above 1.5x while the wall ratio is not: the CPU column adds both threads up. The campaign does everything the baseline does plus resolving the audience (opt-outs, address flags, households, pets) and rendering every text, ' +
    'about 0.6-0.8 s of CPU on the desk thread that the second core absorbs. On a single-core PC the wall ratio would approach the CPU ratio.',
  '- The writer connection checks no foreign keys (the rows reference the campaign and clients the desk just read; imports never delete clients) and copies its write-ahead log back once, at the end; ' +
    'the baseline\'s connection checks both references per row and runs SQLite\'s automatic checkpoint inside its commit. Both insert the same rows into the same indexes.',
  '- The desk stays free: its connection begins every transaction IMMEDIATE and counts its waiting writes in shared memory (src-main/core/db/open.ts); the writer commits within 250 rows when the desk wants the lock, ' +
    'so a pause, a cancel or a reply typed during the enqueue waits milliseconds, not for the whole campaign.',
  '- Earlier steps (still in place): CHECK constraints as OR chains and narrower partial indexes (migration 008), no message_events row per creation, positional parameters, audience rows read as arrays, compiled text templates.',
  '',
];
if (!FROM) lines.push(...NOTES);
console.log(lines.join('\n'));

if (values.write) {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
  const cur = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const section = lines.join('\n').trimEnd();
  const sub = '### Campaigns on the imported larkspur clinic';
  // "## Campaigns" holds the synthetic run and its notes, then (optionally) the larkspur sub-section.
  const main = /## Campaigns\n[\s\S]*?(?=\n### Campaigns on the imported|\n## |\s*$)/;
  const larkspur = /### Campaigns on the imported larkspur clinic\n[\s\S]*?(?=\n## |\s*$)/;
  let next: string;
  if (FROM) {
    if (larkspur.test(cur)) next = cur.replace(larkspur, `${section}\n`);
    else if (main.test(cur)) next = cur.replace(main, (m) => `${m.trimEnd()}\n\n${section}\n`);
    else next = `${cur.trimEnd()}\n\n## Campaigns\n\n${section}\n`;
  } else next = main.test(cur) ? cur.replace(main, `${section}\n`) : `${cur.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next.endsWith('\n') ? next : next + '\n');
  console.log(`Wrote ${FROM ? sub : 'the Campaigns section'} of ${file}`);
}
