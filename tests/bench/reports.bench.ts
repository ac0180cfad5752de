/**
 * Reports benchmark (plain script): npx tsx tests/bench/reports.bench.ts [--messages 60000]
 * A clinic's quarter: N outbound messages over 90 days (half of them health reminders with planner
 * items, one pet each), history rows for ~half the reminded pets, appointments, inbound texts and
 * opt-outs. Times 'reports.summary' for 7, 30 and 90 days (median of 7 runs) and each of its parts,
 * against a baseline measured in the same run (one GROUP BY scan of the whole messages table: the
 * machine's speed at that moment), then a batch of 500 postcards. Numbers go to RESULTS.md by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../../src-main/core';
import { createComplianceQuery } from '../../src-main/core/reports/compliance';
import { dayGrid } from '../../src-main/core/reports/days';
import { createDeliveryQuery, deliverySql } from '../../src-main/core/reports/delivery';
import { createEngagementQuery } from '../../src-main/core/reports/engagement';
import { fixedClock } from '../../src-main/core/shared/clock';
import { silentLogger } from '../../src-main/core/shared/log';
import { CLINIC } from '../helpers/settings-fixtures';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '60000' } } });
const N = Number(values.messages);
const dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-bench-reports-'));
const clock = fixedClock('2026-04-01T18:00:00Z');
const core = createCore({ dataDir: dir, host: 'web', logger: silentLogger, clock });
core.settings.saveClinic(CLINIC);
const db = core.db;

let seed = 42;
const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const CODES = ['RAB1', 'DHPP', 'EXAM', 'HWT', 'DENT', 'FVRCP', 'LEPTO', 'BORD'];
const STEPS = ['before28', 'before7', 'overdue14', 'overdue45'];
const start = Date.parse('2026-01-01T16:00:00Z');

const t0 = performance.now();
db.transaction(() => {
  const client = db.prepare("INSERT INTO clients (source, pims_id, first_name, last_name, address1, city, region, postal_code, row_hash, updated_at) VALUES ('b', ?, 'A', 'B', '1 Main St', 'Seattle', 'WA', '98103', 'h', 'x')");
  const patient = db.prepare("INSERT INTO patients (source, pims_id, client_id, name, row_hash, updated_at) VALUES ('b', ?, ?, 'Rex', 'h', 'x')");
  const reminder = db.prepare("INSERT INTO reminders (source, pims_id, patient_id, code, due_date, row_hash, updated_at) VALUES ('b', ?, ?, ?, ?, 'h', 'x')");
  const history = db.prepare("INSERT OR IGNORE INTO history (source, patient_id, code, service_date) VALUES ('b', ?, ?, ?)");
  const appt = db.prepare("INSERT INTO appointments (source, pims_id, client_id, patient_id, start_local, start_utc, reason, status, row_hash, updated_at) VALUES ('b', ?, ?, ?, ?, ?, 'Vaccines', 'Scheduled', 'h', 'x')");
  const msg = db.prepare(`INSERT INTO messages (dedupe_key, channel, kind, priority, client_id, to_address, body, segments, est_cost, status, not_before, created_by, created_at, updated_at, sent_at, final_at)
    VALUES (?, ?, ?, 3, ?, 'x', 'b', ?, ?, ?, ?, 'bench', ?, ?, ?, ?)`);
  const item = db.prepare("INSERT INTO reminder_items (message_id, client_id, patient_id, reminder_id, code, due_date, step, channel, planned_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'x')");
  const conv = Number(db.prepare("INSERT INTO conversations (address, match, last_message_at, created_at, updated_at) VALUES ('+12065550100', 'unknown', 'x', 'x', 'x')").run().lastInsertRowid);
  const inbound = db.prepare("INSERT INTO inbound_messages (twilio_sid, conversation_id, from_address, to_address, body, received_at, created_at) VALUES (?, ?, 'a', 'b', 'hi', ?, ?)");
  const consent = db.prepare("INSERT INTO consent_events (address, channel, status, source, at) VALUES (?, 'sms', 'opt-out', ?, ?)");
  for (let i = 0; i < N; i++) {
    const at = new Date(start + rnd() * 90 * 86_400_000).toISOString();
    const r = rnd();
    const status = r < 0.8 ? 'delivered' : r < 0.88 ? 'sent' : r < 0.93 ? 'undelivered' : r < 0.97 ? 'failed' : 'withdrawn';
    const channel = rnd() < 0.7 ? 'sms' : rnd() < 0.95 ? 'email' : 'postcard';
    const reminderMsg = rnd() < 0.5;
    const sentAt = status === 'withdrawn' || (status === 'failed' && rnd() < 0.5) ? null : at;
    const finalAt = ['delivered', 'undelivered', 'failed', 'withdrawn'].includes(status) ? new Date(Date.parse(at) + 60_000).toISOString() : null;
    let cid: number | null = null;
    let pid = 0;
    let rid = 0;
    const code = CODES[i % CODES.length];
    const due = new Date(Date.parse(at) + 20 * 86_400_000).toISOString().slice(0, 10);
    if (reminderMsg) {
      cid = Number(client.run(`C${i}`).lastInsertRowid);
      pid = Number(patient.run(`P${i}`, cid).lastInsertRowid);
      rid = Number(reminder.run(`R${i}`, pid, code, due).lastInsertRowid);
      // Older visits for everyone, a visit after the reminder for about half.
      history.run(pid, code, '2025-01-15');
      if (rnd() < 0.5) history.run(pid, code, new Date(Date.parse(at) + rnd() * 30 * 86_400_000).toISOString().slice(0, 10));
      else if (rnd() < 0.2) {
        const local = new Date(Date.parse(at) + 10 * 86_400_000).toISOString().slice(0, 16);
        appt.run(`A${i}`, cid, pid, local, local + 'Z');
      }
    }
    const seg = channel === 'sms' ? 1 + (rnd() < 0.2 ? 1 : 0) : null;
    const id = Number(
      msg.run(`b:${i}`, channel, reminderMsg ? 'reminder' : rnd() < 0.5 ? 'appointment' : 'marketing', cid, seg, seg ? seg * 0.0083 : null, status, at, at, at, sentAt, finalAt).lastInsertRowid,
    );
    if (reminderMsg) item.run(id, cid, pid, rid, code, due, STEPS[i % STEPS.length], channel);
  }
  for (let i = 0; i < N / 3; i++) {
    const at = new Date(start + rnd() * 90 * 86_400_000).toISOString();
    inbound.run(`SM${i}`, conv, at, at);
  }
  for (let i = 0; i < N / 30; i++) consent.run(`+1206555${i}`, rnd() < 0.9 ? 'keyword' : 'carrier-21610', new Date(start + rnd() * 90 * 86_400_000).toISOString());
  // 500 postcards due now.
  for (let i = 0; i < 500; i++) {
    const c = Number(client.run(`PC${i}`).lastInsertRowid);
    msg.run(`pc:${i}`, 'postcard', 'reminder', c, null, null, 'queued', '2026-03-31T00:00:00.000Z', 'x', 'x', null, null);
  }
})();
db.exec('ANALYZE');
const counts = (db.prepare('SELECT (SELECT COUNT(*) FROM messages) m, (SELECT COUNT(*) FROM reminder_items) ri, (SELECT COUNT(*) FROM history) h, (SELECT COUNT(*) FROM inbound_messages) i').get() as object);
console.log(`fixture: ${JSON.stringify(counts)} in ${(performance.now() - t0).toFixed(0)} ms`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const measure = (fn: () => unknown, runs = 7) => {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    ts.push(performance.now() - s);
  }
  return median(ts);
};
const baselineStmt = db.prepare('SELECT status, channel, COUNT(*) n, SUM(est_cost) c FROM messages GROUP BY status, channel');
const baseline = () => measure(() => baselineStmt.all());
let base = baseline();
console.log(`baseline (GROUP BY scan of all ${N} messages): ${base.toFixed(1)} ms`);
async function time(label: string, arg: { from: string; to: string; channel?: string; kind?: string }) {
  const runs: number[] = [];
  let value: any;
  for (let i = 0; i < 7; i++) {
    const s = performance.now();
    const r = await core.invoke('reports.summary', arg);
    runs.push(performance.now() - s);
    if (!r.ok) throw new Error(r.error.message);
    value = r.value;
  }
  const g = dayGrid(arg.from, arg.to, CLINIC.timeZone);
  const f = { channel: (arg.channel ?? null) as any, kind: (arg.kind ?? null) as any };
  const parts = { delivery: measure(() => delivery(g, f), 3), engagement: measure(() => engagement(g, f), 3), compliance: measure(() => compliance(g, f), 3) };
  base = Math.min(base, baseline());
  const m = median(runs);
  console.log(
    `${label}: median ${m.toFixed(1)} ms = ${(m / base).toFixed(1)}x baseline (delivery ${parts.delivery.toFixed(0)}, engagement ${parts.engagement.toFixed(0)}, compliance ${parts.compliance.toFixed(0)} ms); sent ${value.totals.sent}, reminded services ${value.compliance.services}`,
  );
}
const delivery = createDeliveryQuery(db);
const engagement = createEngagementQuery(db);
const compliance = createComplianceQuery(db);
await time('7 days ', { from: '2026-03-01', to: '2026-03-07' });
await time('30 days', { from: '2026-03-01', to: '2026-03-30' });
await time('90 days', { from: '2026-01-01', to: '2026-03-31' });
await time('90 days, sms, reminders', { from: '2026-01-01', to: '2026-03-31', channel: 'sms', kind: 'reminder' });
const s = performance.now();
const csv = await core.invoke('reports.csv', { from: '2026-01-01', to: '2026-03-31' });
console.log(`csv 90 days: ${(performance.now() - s).toFixed(1)} ms, ${csv.ok ? (csv.value as { csv: string }).csv.length : 0} chars`);
const plan = db.prepare(`EXPLAIN QUERY PLAN ${deliverySql('hour')}`).all({ from: 'a', to: 'b', floor: 'a', channel: null, kind: null }) as { detail: string }[];
console.log('delivery plan:', plan.map((p) => p.detail).filter((d) => /messages/.test(d)).join(' | '));
const p0 = performance.now();
const batch = await core.invoke('postcards.generate', undefined);
if (!batch.ok) throw new Error(batch.error.message);
const b = (batch.value as { batch: { cards: number; pages: number } }).batch;
console.log(`postcards: ${b.cards} cards, ${b.pages} pages in ${(performance.now() - p0).toFixed(0)} ms`);
await core.close();
rmSync(dir, { recursive: true, force: true });
