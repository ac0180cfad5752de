/**
 * Outbox benchmark (plain script): npx tsx tests/bench/outbox.bench.ts [--sms 10000] [--limited 3000] [--emails 5000] [--only sms|limited|email]
 *  1. 10,000 SMS through the durable queue vs a bare loop of the same twilio client at the same
 *     concurrency, both against the simulator in its own process, unlimited sender rate.   target >= 80%
 *  2. 3,000 one-segment SMS with the sender limited to 50 segments/s, simulator enforcing the same
 *     limit: no faster than the limit allows, at most 3% slower, zero 429s.
 *  3. 5,000 emails through the queue's SMTP pool vs a bare pooled nodemailer loop, same pool size,
 *     against the SMTP double in its own process.                                            target >= 80%
 * SMS and email alternate bare and queue runs (--rounds, default 2) and compare the best of each, so that
 * other processes on a shared machine weigh on both sides alike; CPU per message is printed too.
 * Numbers go to tests/bench/RESULTS.md ("Outbox") by hand.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import { createCore, type Core } from '../../src-main/core';
import { RebasedRequestClient } from '../../src-main/core/messaging/channels/twilio-http';
import { composeEmail } from '../../src-main/core/messaging/email-composer';
import type { OutboundDraft } from '../../src-main/core/messaging/types';
import { silentLogger } from '../../src-main/core/shared/log';
import { DEFAULT_ACCOUNT, startTwilioSim } from '../doubles/twilio-sim';
import { clinicIn, middayZone } from '../integration/outbox/helpers';

const { values } = parseArgs({
  options: {
    sms: { type: 'string', default: '10000' },
    limited: { type: 'string', default: '3000' },
    emails: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
    pool: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const N_SMS = Number(values.sms);
const N_LIMITED = Number(values.limited);
const N_EMAIL = Number(values.emails);
const C = Number(values.concurrency);
const POOL = Number(values.pool);
const FROM = '+12065550100';
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');

const to = (i: number) => `+1206555${String(1000 + (i % 9000)).padStart(4, '0')}`;
const fmt = (n: number) => n.toFixed(1);
/** Sending-side CPU per message since `from` (the simulator / SMTP server run in their own processes). */
const cpuPer = (from: NodeJS.CpuUsage, n: number) => {
  const c = process.cpuUsage(from);
  return Math.round((c.user + c.system) / n);
};

function child(script: string, args: string[], ready: RegExp): Promise<{ proc: ChildProcessWithoutNullStreams; match: RegExpExecArray; lines: (re: RegExp) => Promise<RegExpExecArray> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] }) as unknown as ChildProcessWithoutNullStreams;
  let buf = '';
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (c: string) => {
    buf += c;
    for (const w of [...waiters]) {
      const m = w.re.exec(buf);
      if (m) {
        buf = buf.slice(m.index + m[0].length);
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const lines = (re: RegExp) => new Promise<RegExpExecArray>((resolve) => waiters.push({ re, resolve }));
  return lines(ready).then((match) => ({ proc, match, lines }));
}

async function openQueue(dir: string, o: { sim?: { url: string }; smtpPort?: number; rate?: number; senderRate?: number; concurrency?: number }): Promise<Core> {
  const core = createCore({
    dataDir: dir,
    host: 'web',
    logger: silentLogger,
    outbox: {
      rate: o.rate,
      concurrency: { sms: o.concurrency ?? C, email: o.concurrency ?? POOL },
      pollMs: 100,
      statusPollMs: 3_600_000,
    },
  });
  const call = async (m: string, a: unknown) => {
    const r = await core.invoke(m, a);
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
  };
  await call('settings.saveClinic', clinicIn(middayZone()));
  if (o.sim)
    await call('settings.saveTwilio', {
      accountSid: DEFAULT_ACCOUNT.sid,
      authMode: 'token',
      authToken: DEFAULT_ACCOUNT.authToken,
      apiKeySid: '',
      fromNumber: FROM,
      messagingServiceSid: '',
      senderType: 'custom',
      customRate: o.senderRate ?? 1000,
      pricePerSegment: 0.0083,
      baseUrl: o.sim.url,
    });
  if (o.smtpPort)
    await call('settings.saveSmtp', {
      host: '127.0.0.1',
      port: o.smtpPort,
      security: 'none',
      user: '',
      password: '',
      fromName: 'Larkspur Hollow Veterinary Clinic',
      fromAddress: 'frontdesk@larkspur.example.com',
      replyTo: 'hello@larkspur.example.com',
    });
  return core;
}

async function drained(core: Core, n: number): Promise<void> {
  const q = core.db.prepare<[], { n: number }>("SELECT COUNT(*) n FROM messages WHERE status = 'sent'");
  while (q.get()!.n < n) await new Promise((r) => setTimeout(r, 20));
}

function smsDrafts(n: number, tag: string): OutboundDraft[] {
  return Array.from({ length: n }, (_, i) => ({
    dedupeKey: `bench:${tag}:${i}`,
    channel: 'sms' as const,
    kind: 'alert' as const,
    to: to(i),
    body: `Larkspur Vet: the clinic closes at 3pm today (${tag} ${i}). Reply STOP to opt out`,
    notBefore: new Date(0),
    createdBy: 'bench',
  }));
}

interface Round {
  bare: number;
  queue: number;
  bareCpu: number;
  queueCpu: number;
}

/** Alternates bare and queue runs so that load from other processes hits both sides alike. */
function report(what: string, rounds: Round[]): void {
  rounds.forEach((r, i) =>
    console.log(
      `  round ${i + 1}: bare ${fmt(r.bare)}/s (${r.bareCpu} us CPU/msg), queue ${fmt(r.queue)}/s (${r.queueCpu} us CPU/msg), ratio ${((r.queue / r.bare) * 100).toFixed(1)}%`,
    ),
  );
  const bestBare = Math.max(...rounds.map((r) => r.bare));
  const bestQueue = Math.max(...rounds.map((r) => r.queue));
  const cpuRatio = Math.min(...rounds.map((r) => r.bareCpu)) / Math.min(...rounds.map((r) => r.queueCpu));
  console.log(
    `${what}: best bare ${fmt(bestBare)}/s, best queue ${fmt(bestQueue)}/s, ratio ${((bestQueue / bestBare) * 100).toFixed(1)}% (target >= 80%); ` +
      `CPU-per-message ratio bare/queue ${(cpuRatio * 100).toFixed(1)}%`,
  );
}

async function benchSms(): Promise<void> {
  const sim = await child(path.join(root, 'tests/doubles/twilio-sim/cli.ts'), ['--port', '0'], /listening on (http:\/\/\S+)/);
  const url = sim.match[1]!;
  const rounds: Round[] = [];
  try {
    // Bare loop: the same twilio client, C requests at a time, no queue.
    const httpClient = new RebasedRequestClient({ baseUrl: url, timeout: 15_000, maxSockets: C, maxFreeSockets: C });
    const client = twilio(DEFAULT_ACCOUNT.sid, DEFAULT_ACCOUNT.authToken, { accountSid: DEFAULT_ACCOUNT.sid, httpClient });
    const warm = smsDrafts(200, 'warm');
    await Promise.all(warm.map((d) => client.messages.create({ to: d.to, from: FROM, body: d.body })));
    for (let round = 1; round <= ROUNDS; round++) {
      const drafts = smsDrafts(N_SMS, `bare${round}`);
      let next = 0;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await Promise.all(
        Array.from({ length: C }, async () => {
          for (let i = next++; i < drafts.length; i = next++) await client.messages.create({ to: drafts[i]!.to, from: FROM, body: drafts[i]!.body });
        }),
      );
      const bareMs = performance.now() - t0;
      const bareCpu = cpuPer(c0, N_SMS);

      const dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-bench-'));
      const core = await openQueue(dir, { sim: { url }, rate: Infinity });
      const te = performance.now();
      core.outbox.enqueue(smsDrafts(N_SMS, `queue${round}`));
      const enqueueMs = performance.now() - te;
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      core.start();
      await drained(core, N_SMS);
      const queueMs = performance.now() - t1;
      const queueCpu = cpuPer(c1, N_SMS);
      await core.close();
      rmSync(dir, { recursive: true, force: true });
      if (round === 1) console.log(`SMS x${N_SMS}, concurrency ${C} (enqueue of ${N_SMS}: ${fmt(enqueueMs)} ms, not counted)`);
      rounds.push({ bare: (N_SMS / bareMs) * 1000, queue: (N_SMS / queueMs) * 1000, bareCpu, queueCpu });
    }
    httpClient.destroy();
    report('SMS', rounds);
  } finally {
    sim.proc.kill();
  }
}

async function benchLimited(): Promise<Record<string, number>> {
  const RATE = 50;
  const sim = await startTwilioSim({ rateLimit: { segmentsPerSecond: RATE } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-bench-'));
  const core = await openQueue(dir, { sim, senderRate: RATE, concurrency: 8 });
  try {
    core.outbox.enqueue(smsDrafts(N_LIMITED, 'limited'));
    const t0 = performance.now();
    core.start();
    await drained(core, N_LIMITED);
    const ms = performance.now() - t0;
    const segments = N_LIMITED;
    // The simulator's bucket starts full (one second's worth), so the limit allows that burst, then RATE/s.
    const minMs = ((segments - RATE) / RATE) * 1000;
    const over = ms / minMs - 1;
    console.log(
      `Limited: ${N_LIMITED} messages (${segments} segments) at ${RATE} seg/s: ${fmt(ms)} ms; limit allows ${fmt(minMs)} ms; ` +
        `${(over * 100).toFixed(2)}% longer (target 0..3%); 429s: ${sim.stats.rateLimited}; sim received ${sim.outbound().length}`,
    );
    return { ms, minMs, over, r429: sim.stats.rateLimited };
  } finally {
    await core.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchEmail(): Promise<void> {
  const srv = await child(path.join(here, 'smtp-child.ts'), [], /port (\d+)\n/);
  const port = Number(srv.match[1]);
  const count = async () => {
    srv.proc.stdin.write('count\n');
    return Number((await srv.lines(/count (\d+)\n/))[1]);
  };
  const rounds: Round[] = [];
  try {
    const clinic = clinicIn('America/Los_Angeles');
    const body = (i: number) => `Dear owner,\n\nThe clinic is closed on Monday.\n\nMessage ${i}.`;
    const mails = Array.from({ length: N_EMAIL }, (_, i) =>
      composeEmail(
        { to: `owner${i}@example.com`, kind: 'alert', subject: `Clinic closed Monday (${i})`, body: body(i), html: null, messageId: `<bench.${i}@larkspur.example.com>` },
        clinic,
        { fromAddress: 'frontdesk@larkspur.example.com', replyTo: 'hello@larkspur.example.com' },
      ),
    );
    for (let round = 1; round <= ROUNDS; round++) {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: POOL, maxMessages: 100 });
      let next = 0;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await Promise.all(
        Array.from({ length: POOL }, async () => {
          for (let i = next++; i < mails.length; i = next++) {
            const m = mails[i]!;
            await transport.sendMail({ from: { name: 'Larkspur Hollow Veterinary Clinic', address: 'frontdesk@larkspur.example.com' }, replyTo: 'hello@larkspur.example.com', to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers });
          }
        }),
      );
      const bareMs = performance.now() - t0;
      const bareCpu = cpuPer(c0, N_EMAIL);
      transport.close();

      const before = await count();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-bench-'));
      const core = await openQueue(dir, { smtpPort: port, concurrency: POOL });
      core.outbox.enqueue(
        Array.from({ length: N_EMAIL }, (_, i) => ({
          dedupeKey: `bench:mail:${i}`,
          channel: 'email' as const,
          kind: 'alert' as const,
          to: `owner${i}@example.com`,
          subject: `Clinic closed Monday (${i})`,
          body: body(i),
          notBefore: new Date(0),
          createdBy: 'bench',
        })),
      );
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      core.start();
      await drained(core, N_EMAIL);
      const queueMs = performance.now() - t1;
      const queueCpu = cpuPer(c1, N_EMAIL);
      await core.close();
      rmSync(dir, { recursive: true, force: true });
      const received = (await count()) - before;
      if (received !== N_EMAIL) throw new Error(`server received ${received} of ${N_EMAIL} queued emails`);
      if (round === 1) console.log(`Email x${N_EMAIL}, pool ${POOL} (server received every queued email exactly: ${received})`);
      rounds.push({ bare: (N_EMAIL / bareMs) * 1000, queue: (N_EMAIL / queueMs) * 1000, bareCpu, queueCpu });
    }
    report('Email', rounds);
  } finally {
    srv.proc.stdin.end();
  }
}

console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
if (!values.only || values.only === 'sms') await benchSms();
if (!values.only || values.only === 'limited') await benchLimited();
if (!values.only || values.only === 'email') await benchEmail();
process.exit(0);
