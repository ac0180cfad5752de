/**
 * The main job end to end, as a clinic lives it, in headless Chromium on host-web with the whole
 * desk running (folder watch, daily plan, dispatcher, pollers): import a Pulse export on the
 * Import screen, plan and approve on the Reminders screen, texts reach the Twilio simulator and
 * emails the SMTP server, an owner's "C" confirms the appointment on the Schedule, "STOP" opts
 * the number out and withdraws its queued texts, and a reply typed in the Inbox goes out.
 *
 * The export is the repository's demo clinic (resources/demo, a reduced copy of the Larkspur
 * Pulse export, dated as of 2026-12-01). The desk clock and the simulator's run from 2026-12-01
 * 10:30 in Los Angeles, inside the send window whatever the machine's hour.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core';
import { createAppointmentLookup } from '../../src-main/core/inbound/appointment-lookup';
import { runningClock } from '../../src-main/core/loop/clock';
import { silentLogger } from '../../src-main/core/shared/log';
import { DEMO_EXPORT_DIR } from '../../src-main/host-web/demo';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { CLINIC_NUMBER, repeatedTexts, startSimClinic, type SimClinic } from '../helpers/sim-clinic';
import { tempDir } from '../helpers/tmp';
import { startTestHost } from '../helpers/web';

const NOW = '2026-12-01T10:30:00-08:00';

describe('the main job in the browser: import, plan, approve, send, replies, STOP, inbox reply', () => {
  const t = tempDir('pawline-e2e-');
  const exportDir = path.join(t.dir, 'pulse-export');
  const dataDir = path.join(t.dir, 'data');
  const clock = runningClock(new Date(NOW));
  let clinic: SimClinic;
  let core: Core;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let confirmer = { phone: '', lastName: '', appointmentId: 0, day: '' };

  const one = <T>(sql: string, ...args: unknown[]) => core.db.prepare(sql).get(...args) as T;
  const all = <T>(sql: string, ...args: unknown[]) => core.db.prepare(sql).all(...args) as T[];
  /** Open messages that could still go out now (due, not held by a closed channel). */
  const dueNow = () =>
    one<{ n: number }>(
      "SELECT COUNT(*) n FROM messages WHERE channel IN ('sms','email') AND (status = 'sending' OR (status IN ('queued','waiting') AND not_before <= ?))",
      clock.now().toISOString(),
    ).n;

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
    cpSync(DEMO_EXPORT_DIR, exportDir, { recursive: true, filter: (src) => !src.endsWith('.json') });
    clinic = await startSimClinic({ now: () => clock.now().getTime(), delays: { sentMs: 20, deliveredMs: 40 } });
    // Configured as IT would (pawline settings import); the send rate lets the batch drain in seconds.
    await clinic.configure(dataDir, { timeZone: 'America/Los_Angeles', customRate: 50 });
    core = createCore({ dataDir, host: 'web', clock, logger: silentLogger, inbound: { pollMs: 250, retryMs: 500 }, outbox: { statusPollMs: 250 } });
    core.start();
    host = await startTestHost(core);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await core?.close();
    await clinic?.close();
    t.cleanup();
  });

  it('imports the Pulse export on the Import screen', async () => {
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-path').fill(exportDir);
    await page.getByTestId('import-check').click();
    await expect.poll(() => page.getByTestId('layout-Client.csv').textContent()).toMatch(/pulse|Pulse/);
    await page.getByTestId('import-run').click();
    const banner = page.getByTestId('form-banner');
    await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toMatch(/Import #\d+ done: \d+ new/);
    expect(one<{ n: number }>('SELECT COUNT(*) n FROM clients').n).toBe(60);
    expect(one<{ n: number }>('SELECT COUNT(*) n FROM appointments').n).toBe(17);
    await expect.poll(() => page.getByTestId('status-last-import').textContent()).not.toBe('never');
  });

  it('plans as of 2026-12-01 on the Reminders screen and approves the plan', async () => {
    await page.getByTestId('nav-reminders').click();
    // The desk plans by itself after an import; wait for that plan so ours is the latest.
    await page.getByText(/\(after an import\) in/).waitFor({ timeout: 15_000 });
    await page.getByTestId('plan-run').click();
    await expect.poll(() => page.getByTestId('plan-banner').textContent()).toMatch(/Planned \d+ reminder messages/);
    await page.getByText(/Plan for 2026-12-01, made .*\(run by hand\)/).waitFor();
    const proposed = one<{ n: number }>("SELECT COUNT(*) n FROM plan_proposals WHERE status = 'proposed'").n;
    expect(proposed).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId('status-approve').textContent()).toBe(`${proposed} to approve`);
    await page.getByTestId('plan-approve-all').click();
    // Approving asks first, with the count; confirming queues them.
    await expect.poll(() => page.getByTestId('approve-total').textContent()).toBe(String(proposed));
    await page.getByTestId('approve-confirm').click();
    await expect.poll(() => page.getByTestId('plan-banner').textContent()).toBe(`${proposed} messages queued.`);
    await expect.poll(() => page.getByTestId('status-approve').count()).toBe(0);
  });

  it('sends the texts to the Twilio simulator and the emails to the SMTP server', async () => {
    await expect.poll(dueNow, { timeout: 30_000 }).toBe(0);
    const sent = all<{ channel: string; n: number }>("SELECT channel, COUNT(*) n FROM messages WHERE status IN ('sent','delivered') GROUP BY channel");
    const sms = sent.find((r) => r.channel === 'sms')?.n ?? 0;
    const email = sent.find((r) => r.channel === 'email')?.n ?? 0;
    expect(sms).toBeGreaterThan(5);
    expect(email).toBeGreaterThan(5);
    expect(clinic.sim.outbound()).toHaveLength(sms);
    await clinic.smtp.waitForMails(email);
    expect(clinic.smtp.mails).toHaveLength(email);
    expect(repeatedTexts(clinic.sim).extra).toBe(0);
    // Every reminder text names the clinic; every email comes from the clinic's address.
    expect(clinic.sim.outbound().every((m) => m.body.includes('Larkspur Hollow') && m.from === CLINIC_NUMBER)).toBe(true);
    expect(clinic.smtp.mails.every((m) => m.from?.address === 'frontdesk@larkspur.example.com')).toBe(true);
    // The status poller learns of the deliveries; the Outbox screen lists them.
    await expect.poll(() => one<{ n: number }>("SELECT COUNT(*) n FROM messages WHERE channel = 'sms' AND status = 'delivered'").n, { timeout: 15_000 }).toBe(sms);
    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-tab-sent').click();
    await expect.poll(() => page.locator('[data-testid^="outbox-row-"]', { hasText: 'delivered' }).count()).toBeGreaterThan(0);
  });

  it('confirms the appointment on the Schedule when the owner replies C', async () => {
    const req = one<{ to_address: string; client_id: number }>(
      "SELECT to_address, client_id FROM messages WHERE kind = 'appointment' AND json_extract(meta, '$.kind') = 'confirm' AND status = 'delivered' ORDER BY id LIMIT 1",
    );
    expect(req).toBeTruthy();
    expect(clinic.sim.outbound().some((m) => m.to === req.to_address && m.body.includes('Reply C to confirm'))).toBe(true);
    // The owner's next appointment waiting for an answer is the one "C" confirms.
    const appt = createAppointmentLookup(core.db).pendingConfirmations(req.client_id, clock.now())[0]!;
    expect(appt).toBeTruthy();
    const owner = one<{ last_name: string }>('SELECT last_name FROM clients WHERE id = ?', req.client_id);
    confirmer = { phone: req.to_address, lastName: owner.last_name, appointmentId: appt.id, day: appt.start_local.slice(0, 10) };

    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('schedule-date').fill(confirmer.day);
    const badge = page.getByTestId(`appt-${appt.id}`).getByTestId('confirm-state');
    await expect.poll(() => badge.textContent()).not.toBe('confirmed');
    clinic.sim.injectInbound({ from: confirmer.phone, to: CLINIC_NUMBER, body: 'C' });
    await expect.poll(() => badge.textContent(), { timeout: 15_000 }).toBe('confirmed');
    // The desk acknowledges the confirmation by text.
    await expect.poll(() => clinic.sim.outbound().filter((m) => m.to === confirmer.phone).length, { timeout: 10_000 }).toBeGreaterThan(1);
  });

  it('honours STOP: the number is opted out and its queued texts are withdrawn', async () => {
    const target = one<{ to_address: string; client_id: number; n: number }>(
      "SELECT to_address, client_id, COUNT(*) n FROM messages WHERE channel = 'sms' AND status IN ('queued','waiting') AND to_address <> ? GROUP BY to_address, client_id ORDER BY n DESC LIMIT 1",
      confirmer.phone,
    );
    expect(target?.n).toBeGreaterThan(0);
    const queued = all<{ id: number }>("SELECT id FROM messages WHERE channel = 'sms' AND status IN ('queued','waiting') AND to_address = ?", target.to_address).map((r) => r.id);
    const owner = one<{ last_name: string }>('SELECT last_name FROM clients WHERE id = ?', target.client_id);
    const textsBefore = clinic.sim.outbound().filter((m) => m.to === target.to_address).length;
    clinic.sim.injectInbound({ from: target.to_address, to: CLINIC_NUMBER, body: 'STOP' });

    await page.getByTestId('nav-inbox').click();
    const row = page.locator('[role="option"][data-testid^="conversation-"]', { hasText: owner.last_name });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.getByTestId('thread').getByText('opted out', { exact: true }).waitFor({ timeout: 10_000 });
    expect(core.consent.isOptedOut(target.to_address, 'sms')).toBe(true);

    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-tab-failed').click();
    for (const id of queued) {
      await expect.poll(() => page.getByTestId(`outbox-row-${id}`).textContent()).toContain('withdrawn');
      expect(await page.getByTestId(`outbox-why-${id}`).textContent()).toContain('opted out by keyword STOP');
    }
    // Nothing more went to that number after the STOP (Twilio's own STOP reply is the carrier's, not ours).
    expect(clinic.sim.outbound().filter((m) => m.to === target.to_address)).toHaveLength(textsBefore);
  });

  it('sends a reply typed in the Inbox to the simulator', async () => {
    await page.getByTestId('nav-inbox').click();
    const row = page.locator('[role="option"][data-testid^="conversation-"]', { hasText: confirmer.lastName });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await page.getByTestId('thread-inbound').filter({ hasText: 'C' }).first().waitFor();
    const text = 'Thanks for confirming, see you then!';
    await page.getByTestId('composer-input').fill(text);
    await page.getByTestId('send').click();
    await expect.poll(() => clinic.sim.outbound().some((m) => m.to === confirmer.phone && m.body === text), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('thread-outbound').filter({ hasText: text }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
