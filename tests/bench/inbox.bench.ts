/**
 * Inbox benchmark: 20,000 conversations and 200,000 messages (100,000 inbound texts, 100,000
 * outbound in the outbox table), then the core calls the inbox screen makes:
 *   list first page (< 50 ms), open a thread (< 50 ms), search with FTS5 (< 100 ms).
 * Times are the core handler alone (no transport), median and p95 over varied arguments.
 *
 *   npx tsx tests/bench/inbox.bench.ts [--conversations 20000] [--messages 200000] [--write]
 * --write replaces the "Inbox" section of tests/bench/RESULTS.md.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../../src-main/core';
import { createSearchIndex } from '../../src-main/core/inbox/search-index';
import { fixedClock } from '../../src-main/core/shared/clock';
import { silentLogger } from '../../src-main/core/shared/log';

const { values } = parseArgs({ options: { conversations: { type: 'string' }, messages: { type: 'string' }, write: { type: 'boolean' }, keep: { type: 'string' } } });
const N_CONV = Number(values.conversations ?? 20_000);
const N_MSG = Number(values.messages ?? 200_000);

// Deterministic pseudo-random numbers, so runs compare.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;

const FIRST = ['Dana', 'Luis', 'Priya', 'Sam', 'Alex', 'Maria', 'John', 'Aiko', 'Chloé', 'Noah', 'Fatima', 'Grace', 'Omar', 'Zoë', 'Ivan', 'Lena'];
const LAST = ['Whitfield', 'Ortega', 'Nair', 'Moreno', 'Côté', 'Smith', 'Nguyen', 'Kowalski', 'Haddad', 'Brown', 'Tanaka', "O'Brien", 'Larsen', 'Silva'];
const PETS = ['Rex', 'Bella', 'Mochi', 'Luna', 'Max', 'Biscuit', 'Juniper', 'Pepper', 'Olive', 'Milo', 'Cooper', 'Nala', 'Ziggy', 'Tofu', 'Maple'];
const PHRASES = [
  'Is {pet} due for shots?', 'Thanks so much!', '{pet} is limping on the left leg', 'Can we book a dental for {pet}?', 'C', 'Running 5 minutes late',
  'We are here', 'What time do you close today?', '{pet} ate something weird, should we come in?', 'Ok thanks see you then', 'Here is the photo',
  'Can I pick up the food today?', '{pet} has been scratching a lot', 'Do you have an opening Friday?', 'Yes please', 'Thank you doctor!',
];

function build() {
  // --keep <dir>: build once into <dir> and reuse it on later runs (for profiling).
  const dir = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(os.tmpdir(), 'pawline-inbox-bench-'));
  const reuse = values.keep !== undefined && existsSync(path.join(dir, 'pawline.sqlite3'));
  const clock = fixedClock('2026-12-08T18:00:00Z');
  const core = createCore({ dataDir: dir, host: 'web', logger: silentLogger, clock });
  if (reuse) return { core, dir, tData: 0, tIndex: 0 };
  const db = core.db;
  const t0 = performance.now();
  const base = Date.parse('2026-06-01T00:00:00Z');
  db.transaction(() => {
    const cl = db.prepare("INSERT INTO clients (id, source, pims_id, first_name, last_name, row_hash, updated_at) VALUES (?, 'bench', ?, ?, ?, 'h', '2026-01-01')");
    const cp = db.prepare("INSERT INTO contact_points (client_id, kind, position, raw, value, phone_type, valid, sms_capable, nanp_key) VALUES (?, 'phone', 0, ?, ?, 'cell', 1, 1, ?)");
    const pt = db.prepare("INSERT INTO patients (client_id, source, pims_id, name, species, row_hash, updated_at) VALUES (?, 'bench', ?, ?, 'Canine', 'h', '2026-01-01')");
    const cv = db.prepare(
      "INSERT INTO conversations (id, address, client_id, match, status, unread_count, last_message_at, last_direction, last_preview, created_at, updated_at) VALUES (?, ?, ?, 'client', ?, ?, ?, 'inbound', ?, ?, ?)",
    );
    for (let i = 1; i <= N_CONV; i++) {
      const phone = `+1${String(2060000000 + i * 37)}`;
      cl.run(i, `B${i}`, pick(FIRST), pick(LAST));
      cp.run(i, phone, phone, phone.slice(2));
      const pets = 1 + Math.floor(rnd() * 2);
      for (let p = 0; p < pets; p++) pt.run(i, `P${i}-${p}`, pick(PETS));
      const at = new Date(base + rnd() * 180 * 86_400_000).toISOString();
      cv.run(i, phone, i, rnd() < 0.05 ? 'closed' : 'open', rnd() < 0.05 ? 1 + Math.floor(rnd() * 3) : 0, at, 'Thanks so much!', at, at);
    }
    const inb = db.prepare(
      "INSERT INTO inbound_messages (twilio_sid, conversation_id, client_id, from_address, to_address, body, received_at, created_at) VALUES (?, ?, ?, ?, '+12065550100', ?, ?, ?)",
    );
    const out = db.prepare(
      `INSERT INTO messages (dedupe_key, channel, kind, priority, client_id, conversation_id, to_address, body, status, not_before, created_by, created_at, updated_at, sent_at)
       VALUES (?, 'sms', ?, ?, ?, ?, ?, ?, 'delivered', ?, 'bench', ?, ?, ?)`,
    );
    const half = Math.floor(N_MSG / 2);
    // Skewed: a few long threads, most short (Zipf-like via rnd^2).
    const convOf = () => 1 + Math.floor(rnd() * rnd() * N_CONV);
    for (let m = 0; m < half; m++) {
      const c = convOf();
      const phone = `+1${String(2060000000 + c * 37)}`;
      const at = new Date(base + rnd() * 180 * 86_400_000).toISOString();
      inb.run(`SM${m.toString(16).padStart(32, '0')}`, c, c, phone, pick(PHRASES).replace('{pet}', pick(PETS)), at, at);
    }
    for (let m = 0; m < N_MSG - half; m++) {
      const c = convOf();
      const phone = `+1${String(2060000000 + c * 37)}`;
      const at = new Date(base + rnd() * 180 * 86_400_000).toISOString();
      const reply = rnd() < 0.4;
      out.run(`bench:${m}`, reply ? 'reply' : 'reminder', reply ? 1 : 3, c, reply ? c : null, phone, reply ? 'Thanks, see you soon!' : `${pick(PETS)} is due for a checkup.`, at, at, at, at);
    }
  })();
  const tData = performance.now() - t0;
  const t1 = performance.now();
  createSearchIndex(db, clock).rebuildAll();
  db.pragma('optimize');
  const tIndex = performance.now() - t1;
  return { core, dir, tData, tIndex };
}

function measure(label: string, budgetMs: number, runs: number, fn: (i: number) => unknown) {
  for (let i = 0; i < 3; i++) fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
  return { label, budgetMs, med, p95, max: times[times.length - 1]!, ratio: p95 / budgetMs };
}

const { core, dir, tData, tIndex } = build();
const h = core.handlers;
const nanp = (n: number) => { const d = String(n); return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`; };
const biggest = core.db.prepare<[], { id: number; n: number }>('SELECT conversation_id id, COUNT(*) n FROM inbound_messages GROUP BY conversation_id ORDER BY n DESC LIMIT 1').get()!;
const results = [
  measure('list: first page (open, unread first then newest)', 50, 50, () => h['inbox.list']({ limit: 50 })),
  measure('list: first page, filter unread', 50, 50, () => h['inbox.list']({ filter: 'unread', limit: 50 })),
  measure('list: first page, filter ambiguous', 50, 50, () => h['inbox.list']({ filter: 'ambiguous', limit: 50 })),
  measure('list: page 100 (offset 5,000)', 50, 30, () => h['inbox.list']({ offset: 5000, limit: 50 })),
  measure('open thread (random conversation)', 50, 100, (i) => h['inbox.thread']({ conversationId: 1 + ((i * 7919) % N_CONV) })),
  measure(`open thread (longest: ${biggest.n} inbound)`, 50, 30, () => h['inbox.thread']({ conversationId: biggest.id })),
  measure('search: name prefix "whit"', 100, 30, () => h['inbox.list']({ q: 'whit' })),
  measure('search: pet "juniper"', 100, 30, () => h['inbox.list']({ q: 'juniper' })),
  measure('search: full number "(206) 0xx-xxxx"', 100, 30, (i) => h['inbox.list']({ q: nanp(2060000000 + (1 + ((i * 613) % N_CONV)) * 37) })),
  measure('search: last four digits', 100, 30, (i) => h['inbox.list']({ q: String(2060000000 + (1 + ((i * 613) % N_CONV)) * 37).slice(-4) })),
  measure('search: message text "limping"', 100, 30, () => h['inbox.list']({ q: 'limping' })),
  measure('search: common word "thanks" (most threads)', 100, 30, () => h['inbox.list']({ q: 'thanks' })),
  measure('search: two words "dana rex"', 100, 30, () => h['inbox.list']({ q: 'dana rex' })),
];
const counts = core.db.prepare<[], { c: number; i: number; o: number }>('SELECT (SELECT COUNT(*) FROM conversations) c, (SELECT COUNT(*) FROM inbound_messages) i, (SELECT COUNT(*) FROM messages) o').get()!;
await core.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });

const f = (n: number) => n.toFixed(2);
const lines = [
  '## Inbox',
  '',
  `\`npx tsx tests/bench/inbox.bench.ts\` — ${counts.c.toLocaleString('en-US')} conversations, ${counts.i.toLocaleString('en-US')} inbound + ${counts.o.toLocaleString('en-US')} outbound messages; ` +
    `core handlers only (no transport), Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load average ${os.loadavg()[0]!.toFixed(1)} (shared machine), ${new Date().toISOString().slice(0, 10)}.`,
  `Data load ${(tData / 1000).toFixed(1)} s, FTS5 index build ${(tIndex / 1000).toFixed(1)} s (one document per conversation).`,
  '',
  '| operation | budget | median ms | p95 ms | max ms | p95 / budget |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.label} | ${r.budgetMs} ms | ${f(r.med)} | ${f(r.p95)} | ${f(r.max)} | ${r.ratio.toFixed(3)} |`),
  '',
  results.every((r) => r.p95 < r.budgetMs) ? 'All within budget (p95).' : `Over budget: ${results.filter((r) => r.p95 >= r.budgetMs).map((r) => r.label).join('; ')}.`,
  '',
];
console.log(lines.join('\n'));

if (values.write) {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
  const cur = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const section = lines.join('\n');
  const re = /## Inbox\n[\s\S]*?(?=\n## |\s*$)/;
  const next = re.test(cur) ? cur.replace(re, section.trimEnd()) : cur.trimEnd() + '\n\n' + section;
  writeFileSync(file, next.endsWith('\n') ? next : next + '\n');
  console.log(`Wrote the Inbox section of ${file}`);
}
