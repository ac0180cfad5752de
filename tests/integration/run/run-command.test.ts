/**
 * `pawline run` against the Twilio simulator and the SMTP test server, on the repository's demo
 * export (a reduced Larkspur Pulse export dated as of 2026-12-01), configured through
 * `pawline settings import` as IT would. The desk clock is set with --now, so the send window is
 * the same whatever the machine's hour; the simulator runs on the same clock.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core';
import type { RunReport } from '../../../src-main/core/loop';
import { runningClock } from '../../../src-main/core/loop/clock';
import { silentLogger } from '../../../src-main/core/shared/log';
import { executeRun, parseRunArgs } from '../../../src-main/cli/commands/run';
import { DEMO_EXPORT_DIR } from '../../../src-main/host-web/demo';
import { cli, CLINIC_NUMBER, repeatedMails, repeatedTexts, startSimClinic, type SimClinic } from '../../helpers/sim-clinic';
import { tempDir } from '../../helpers/tmp';

const NOW = '2026-12-01T10:30:00-08:00';

async function run(args: string[]): Promise<{ code: number; report: RunReport; err: string }> {
  const r = await cli(['run', '--json', '--settle', '5', '--timeout', '60', ...args]);
  return { code: r.code, report: JSON.parse(r.out) as RunReport, err: r.err };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function count(dataDir: string, sql: string, ...args: unknown[]): Promise<number> {
  const core = createCore({ dataDir, host: 'web', logger: silentLogger });
  try {
    return (core.db.prepare(sql).get(...args) as { n: number }).n;
  } finally {
    await core.close();
  }
}

describe('pawline run --until-idle', () => {
  const t = tempDir('pawline-run-');
  const exportDir = path.join(t.dir, 'pulse-export');
  const clock = runningClock(new Date(NOW));
  let clinic: SimClinic;

  beforeAll(async () => {
    cpSync(DEMO_EXPORT_DIR, exportDir, { recursive: true, filter: (src) => !src.endsWith('.json') });
    clinic = await startSimClinic({ now: () => clock.now().getTime(), delays: { sentMs: 10, deliveredMs: 20 } });
  });
  afterAll(async () => {
    await clinic?.close();
    t.cleanup();
  });

  describe('on a configured data folder', () => {
    const dataDir = path.join(t.dir, 'configured');
    let first: RunReport;

    beforeAll(async () => {
      mkdirSync(dataDir);
      await clinic.configure(dataDir, { customRate: 100 });
    });

    it('imports, plans, approves, sends and polls, then prints the JSON summary', async () => {
      const r = await run(['--data-dir', dataDir, '--import', exportDir, '--as-of', '2026-12-01', '--now', NOW, '--until-idle']);
      expect(r.code).toBe(0);
      first = r.report;
      expect(first).toMatchObject({ ok: true, ended: 'idle', timeZone: 'America/Los_Angeles' });
      expect(first.imported).toMatchObject({ status: 'ok', errors: 0 });
      expect(first.imported!.byEntity.clients!.inserted).toBe(60);
      expect(first.imported!.byEntity.appointments!.inserted).toBe(17);
      // Every planned reminder is approved by the run: none waits on the Reminders screen.
      const p = first.planned!;
      expect(p.asOf).toBe('2026-12-01');
      expect(p.reminders.messages).toBeGreaterThan(20);
      expect(p.reminders.queued).toBe(p.reminders.messages);
      expect(p.reminders.awaitingApproval).toBe(0);
      expect(p.appointments.confirmations).toBeGreaterThan(0);
      // What the summary says went out is what the stand-ins received, each exactly once.
      expect(first.sent.sms).toBe(clinic.sim.outbound().length);
      expect(first.sent.email).toBe(clinic.smtp.mails.length);
      expect(first.sent.sms).toBeGreaterThan(10);
      expect(first.sent.email).toBeGreaterThan(10);
      expect(repeatedTexts(clinic.sim).extra).toBe(0);
      expect(repeatedMails(clinic.smtp).extra).toBe(0);
      // Every text has its final status from the status poll.
      expect(first.delivered.sms).toBe(first.sent.sms);
      expect(first.awaitingStatus).toBe(0);
      expect(first.failed.total).toBe(0);
      // What is left waits for a reason: later send times (day-of reminders) and postcards.
      expect(first.waiting.byReason['postcard-batch']).toBe(p.reminders.byChannel.postcard);
      expect(first.waiting.byReason.scheduled).toBeGreaterThan(0);
      expect(Object.keys(first.waiting.byReason).sort()).toEqual(['postcard-batch', 'scheduled']);
      expect(first.waiting.total).toBe(await count(dataDir, "SELECT COUNT(*) n FROM messages WHERE status IN ('queued','waiting')"));
      // Suppressed: services the plan left out (deceased, inactive, satisfied...) by reason.
      expect(first.suppressed.reminders['patient-deceased']).toBeGreaterThan(0);
      expect(first.suppressed.total).toBeGreaterThan(0);
      expect(first.inbound.received).toBe(0);
      expect(first.elapsedMs.total).toBeGreaterThan(0);
      expect(Object.keys(first)).toEqual(expect.arrayContaining(['imported', 'planned', 'sent', 'delivered', 'failed', 'waiting', 'suppressed', 'inbound']));
    });

    it('a second run the same day adds nothing: no message is planned or sent twice', async () => {
      const texts = clinic.sim.outbound().length;
      const mails = clinic.smtp.mails.length;
      const r = await run(['--data-dir', dataDir, '--as-of', '2026-12-01', '--now', NOW, '--until-idle']);
      expect(r.code).toBe(0);
      expect(r.report.imported).toBeNull();
      expect(r.report.planned!.reminders.messages).toBe(0);
      expect(r.report.planned!.reminders.alreadyPlannedHouseholds).toBe(first.planned!.reminders.households);
      expect(r.report.planned!.appointments.confirmations + r.report.planned!.appointments.dayOf).toBe(0);
      expect(r.report.sent.total).toBe(0);
      expect(clinic.sim.outbound()).toHaveLength(texts);
      expect(clinic.smtp.mails).toHaveLength(mails);
    });

    it('reads owners’ replies: HELP is answered, C confirms, STOP opts out and withdraws queued texts', async () => {
      // An owner with a text still queued for later (a day-of reminder) and one with a confirmation request.
      const core = createCore({ dataDir, host: 'web', logger: silentLogger });
      const later = core.db.prepare("SELECT to_address a FROM messages WHERE channel = 'sms' AND status = 'queued' ORDER BY id LIMIT 1").get() as { a: string };
      const confirm = core.db
        .prepare("SELECT to_address a FROM messages WHERE kind = 'appointment' AND json_extract(meta, '$.kind') = 'confirm' AND status = 'delivered' AND to_address <> ? ORDER BY id LIMIT 1")
        .get(later.a) as { a: string };
      const queuedForLater = (core.db.prepare("SELECT COUNT(*) n FROM messages WHERE to_address = ? AND status IN ('queued','waiting')").get(later.a) as { n: number }).n;
      await core.close();
      const before = clinic.sim.outbound().length;
      clinic.sim.injectInbound({ from: '+12065550188', to: CLINIC_NUMBER, body: 'HELP' });
      clinic.sim.injectInbound({ from: confirm.a, to: CLINIC_NUMBER, body: 'c' });
      clinic.sim.injectInbound({ from: later.a, to: CLINIC_NUMBER, body: 'Stop' });

      const r = await run(['--data-dir', dataDir, '--skip-plan', '--now', NOW, '--until-idle']);
      expect(r.code).toBe(0);
      expect(r.report.planned).toBeNull();
      expect(r.report.inbound).toMatchObject({ received: 3, optOuts: 1, byIntent: { help: 1, confirm: 1, 'opt-out': 1 } });
      // The answers to HELP and C went out in the same run, and were polled to their final status.
      const answers = clinic.sim.outbound().slice(before);
      expect(answers.map((m) => m.to).sort()).toEqual(['+12065550188', confirm.a].sort());
      expect(r.report.sent.sms).toBe(2);
      expect(r.report.delivered.sms).toBe(2);
      expect(r.report.suppressed.withdrawn['opted out by keyword STOP']).toBe(queuedForLater);
      expect(await count(dataDir, "SELECT COUNT(*) n FROM appointments WHERE confirm_state = 'confirmed'")).toBe(1);
    });

    it('after hours nothing goes out and the summary says what waits for the window', async () => {
      // The next morning's messages were planned by an evening run; at 20:30 the window is closed.
      // A new data folder polls the account's recent texts: the owners' replies above would be answered (HELP is, at any hour).
      clinic.sim.reset();
      const evening = path.join(t.dir, 'evening');
      mkdirSync(evening);
      await clinic.configure(evening, { customRate: 100 });
      const texts = clinic.sim.outbound().length;
      const a = await run(['--data-dir', evening, '--import', exportDir, '--as-of', '2026-12-01', '--now', '2026-12-01T20:30', '--until-idle']);
      expect(a.code).toBe(0);
      // The only text allowed out at 20:30 is an answer to an owner's HELP (a staff-grade reply that
      // may go outside quiet hours but inside 08:00-21:00); no reminder or appointment message.
      const duringA = clinic.sim.outbound().slice(texts);
      expect(duringA.every((m) => /rates may apply/i.test(m.body))).toBe(true);
      expect(a.report.sent.total).toBe(duringA.length);
      expect(a.report.waiting.byReason.scheduled).toBeGreaterThan(0);
      const next = a.report.waiting.details.find((g) => g.reason === 'scheduled' && g.channel === 'sms')!;
      expect(next.nextAt).toBe('2026-12-02T17:00:00.000Z');
      // Next day after closing time: due, but held by the window.
      const b = await run(['--data-dir', evening, '--skip-plan', '--now', '2026-12-02T20:30', '--until-idle']);
      expect(b.code).toBe(0);
      expect(b.report.sent.total).toBe(0);
      expect(b.report.waiting.byReason['quiet-hours']).toBeGreaterThan(0);
      expect(clinic.sim.outbound()).toHaveLength(texts + duringA.length);
    });
  });

  it('without --until-idle keeps the desk loop running until stopped, then prints the summary', async () => {
    const dataDir = path.join(t.dir, 'loop');
    mkdirSync(dataDir);
    await clinic.configure(dataDir, { customRate: 100 });
    const texts = clinic.sim.outbound().length;
    const stop = new AbortController();
    const parsed = parseRunArgs(['--data-dir', dataDir, '--import', exportDir, '--now', NOW], {});
    if (!parsed.ok) throw new Error(parsed.message);
    // The desk polls statuses every 30 s; a test has less patience.
    const done = executeRun({ ...parsed.args, options: { ...parsed.args.options, signal: stop.signal } }, { core: { outbox: { statusPollMs: 200 } } });
    // The loop's own dispatcher and status poller do the work; the run only ends when told.
    await expect.poll(() => clinic.sim.outbound().length - texts, { timeout: 20_000 }).toBeGreaterThan(10);
    await expect.poll(async () => count(dataDir, "SELECT COUNT(*) n FROM messages WHERE channel = 'sms' AND status = 'sent'"), { timeout: 20_000 }).toBe(0);
    stop.abort();
    const report = await done;
    expect(report).toMatchObject({ ok: true, ended: 'stopped' });
    expect(report.planned!.asOf).toBe('2026-12-01');
    expect(report.sent.sms).toBe(clinic.sim.outbound().length - texts);
    expect(report.delivered.sms).toBe(report.sent.sms);
  });

  it('without Twilio and SMTP set up, everything waits as "not-configured" and nothing is lost', async () => {
    const dataDir = path.join(t.dir, 'bare');
    mkdirSync(dataDir);
    const file = path.join(dataDir, 'clinic.json');
    const hours = { open: '08:00', close: '18:00' };
    writeFileSync(
      file,
      JSON.stringify({
        clinic: {
          name: 'Larkspur Hollow Veterinary Clinic',
          timeZone: 'America/Los_Angeles',
          phone: '(206) 555-0100',
          email: 'frontdesk@larkspur.example.com',
          address: { line1: '1200 Larkspur Way', city: 'Seattle', region: 'WA', postalCode: '98103', country: 'US' },
          quietHours: { start: '09:00', end: '20:00' },
          openingHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: null, sun: null },
        },
      }),
    );
    expect((await cli(['settings', 'import', file, '--data-dir', dataDir])).code).toBe(0);
    const r = await run(['--data-dir', dataDir, '--import', exportDir, '--as-of', '2026-12-01', '--now', NOW, '--until-idle']);
    expect(r.code).toBe(0);
    expect(r.report.ended).toBe('idle');
    expect(r.report.sent.total).toBe(0);
    const notConfigured = r.report.waiting.details.filter((g) => g.reason === 'not-configured');
    expect(notConfigured.map((g) => g.channel).sort()).toEqual(['email', 'sms']);
    expect(notConfigured.find((g) => g.channel === 'sms')!.why).toMatch(/Twilio/);
    expect(r.report.waiting.total).toBe(await count(dataDir, "SELECT COUNT(*) n FROM messages WHERE status IN ('queued','waiting')"));
    expect(r.report.waiting.total).toBeGreaterThan(40);
  });

  it('with Twilio and the mail server unreachable, the run ends with the messages waiting as offline', async () => {
    const dataDir = path.join(t.dir, 'offline');
    mkdirSync(dataDir);
    await clinic.configure(dataDir, { customRate: 100 });
    // Nothing listens on these: connection refused, as when the clinic's internet is down.
    const closed = await freePort();
    expect((await cli(['settings', 'set', 'twilio.baseUrl', `http://127.0.0.1:${closed}`, 'smtp.port', String(closed), '--data-dir', dataDir])).code).toBe(0);
    const r = await run(['--data-dir', dataDir, '--import', exportDir, '--as-of', '2026-12-01', '--now', NOW, '--until-idle']);
    expect(r.code).toBe(0);
    expect(r.report.ended).toBe('idle');
    expect(r.report.sent.total).toBe(0);
    expect(r.report.failed.total).toBe(0);
    expect(r.report.waiting.byReason.offline).toBeGreaterThan(20);
    expect(r.report.waiting.details.filter((g) => g.reason === 'offline').map((g) => g.channel).sort()).toEqual(['email', 'sms']);
  });

  it('refuses a run without a clinic profile, and bad arguments', async () => {
    const dataDir = path.join(t.dir, 'empty');
    mkdirSync(dataDir);
    const r = await run(['--data-dir', dataDir, '--until-idle']);
    expect(r.code).toBe(1);
    expect(r.report).toMatchObject({ ok: false, ended: 'error', error: { code: 'planner.no-clinic' } });
    expect((await cli(['run', '--as-of', '12/01/2026'])).code).toBe(2);
    expect((await cli(['run', '--now', 'noon'])).code).toBe(2);
    expect((await cli(['run', '--profile', 'pulse'])).code).toBe(2);
    const help = await cli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/every reminder it plans is approved/);
    expect(help.out).toMatch(/--now/);
  });
});
