import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { startSmtpServer, type SmtpDouble } from '../doubles/smtp';
import { startTwilioSim, type TwilioSim } from '../doubles/twilio-sim';
import { launchBrowser } from '../helpers/browser';
import { pimsFixture } from '../helpers/pims-fixture';
import { startTestHost } from '../helpers/web';
import { middayZone, openDesk, type Desk } from '../integration/outbox/helpers';

/**
 * The practice manager's closure alert, end to end: Campaigns screen in headless Chromium over
 * host-web, the real dispatcher sending through the Twilio simulator and the SMTP test server.
 * The clinic's zone puts "now" at midday, so the alert is inside the send window whenever this runs.
 */
describe("Campaigns screen: a closure alert for tomorrow's appointments", () => {
  let sim: TwilioSim;
  let smtp: SmtpDouble;
  let desk: Desk;
  let host: WebHost;
  let browser: Browser;
  const zone = middayZone();
  const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!;
  const later = DateTime.now().setZone(zone).plus({ days: 2 }).toISODate()!;

  beforeAll(async () => {
    sim = await startTwilioSim();
    smtp = await startSmtpServer();
    desk = await openDesk({ sim, smtp, core: { campaigns: { tickMs: 100 } } });
    const f = pimsFixture(desk.core.db, { timeZone: zone });
    const appt = (h: ReturnType<typeof f.household>, day: string, time: string, status = 'Scheduled') =>
      f.appointment({ patientId: h.pets[0]!.id, start: `${day}T${time}`, status });
    appt(f.household({ firstName: 'Dana', lastName: 'Whitfield', cell: '+12065551001', email: 'dana@example.com', pets: [{ name: 'Max' }] }), tomorrow, '10:00');
    appt(f.household({ firstName: 'Luc', lastName: 'Côté', language: 'fr', cell: '+12065551002', email: null, pets: [{ name: 'Minou', species: 'Cat' }] }), tomorrow, '11:30');
    appt(f.household({ firstName: 'Priya', lastName: 'Nair', cell: null, email: 'priya@example.com', pets: [{ name: 'Juniper' }] }), tomorrow, '14:00');
    appt(f.household({ firstName: 'Later', cell: '+12065551004', pets: [{ name: 'Bo' }] }), later, '09:00');
    appt(f.household({ firstName: 'Cancelled', cell: '+12065551005', pets: [{ name: 'Ace' }] }), tomorrow, '09:00', 'Cancelled');
    appt(f.household({ firstName: 'Stopped', cell: '+12065551006', email: null, pets: [{ name: 'Rio' }] }), tomorrow, '15:00');
    desk.core.consent.record({ address: '+12065551006', channel: 'sms', status: 'opt-out', source: 'keyword' });
    host = await startTestHost(desk.core);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await desk?.cleanup();
    await sim?.close();
    await smtp?.close();
  });

  it('builds the audience, previews, sends, and the progress bar reaches 100% with texts at the simulator and emails at the SMTP server', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-new').click();
    await page.getByTestId('campaign-name').fill('Storm closure');
    await page.getByTestId('filter-appointment').check();
    await page.getByTestId('appointment-tomorrow').click();
    expect(await page.getByTestId('appointment-from').inputValue()).toBe(tomorrow);

    // Live count: three households, two texts, two emails; the opted-out owner is counted as suppressed.
    await expect.poll(() => page.getByTestId('audience-recipients').textContent()).toBe('3');
    expect(await page.getByTestId('audience-sms').textContent()).toBe('2');
    expect(await page.getByTestId('audience-email').textContent()).toBe('2');
    expect(await page.getByTestId('audience-suppressed').textContent()).toContain('1 opted out');

    await page.getByTestId('content-sms-en').fill("We are closed tomorrow because of the storm. {{client.firstName}}, we will call to rebook {{appointment.pet}}'s visit.");
    await page.getByTestId('content-subject-en').fill('Closed tomorrow: {{clinic.name}}');
    await page.getByTestId('content-body-en').fill('Hello {{client.firstName}},\n\nWe are closed tomorrow because of the storm. We will call you to rebook.');
    await page.getByTestId('content-lang-fr').click();
    await page.getByTestId('content-sms-fr').fill('Nous sommes fermés demain (tempête). Nous vous appellerons, {{client.firstName}}.');

    // The preview shows the first recipient's text with its segment count and the cost of the whole send.
    await expect.poll(() => page.getByTestId('preview-sms').textContent()).toContain('Dana, we will call to rebook Max');
    expect(await page.getByTestId('preview-segments').textContent()).toMatch(/GSM-7 · \d segment/);
    expect(await page.getByTestId('preview-estimate').textContent()).toMatch(/2 texts = \d+ segments ≈ \$0\.\d\d/);

    await page.getByTestId('campaign-send').click();
    await expect.poll(() => page.getByTestId('confirm-summary').textContent()).toContain('3 recipients: 2 texts and 2 emails; 1 suppressed');
    // The cost of exactly what goes, estimated as the dialog opens.
    await expect.poll(() => page.getByTestId('confirm-summary').textContent()).toMatch(/Estimated text cost \$0\.\d\d \([1-9]\d* segments\)/);
    await page.getByTestId('confirm-go').click();

    await expect.poll(() => page.getByTestId('campaign-percent').textContent(), { timeout: 20_000 }).toBe('100%');
    await expect.poll(() => page.getByTestId('campaign-status').textContent(), { timeout: 10_000 }).toBe('Finished');
    expect(await page.getByTestId('campaign-figures').textContent()).toContain('4 of 4 handled');

    const texts = sim.outbound();
    expect(texts.map((m) => m.to).sort()).toEqual(['+12065551001', '+12065551002']);
    expect(texts.find((m) => m.to === '+12065551001')!.body).toContain("Dana, we will call to rebook Max's visit");
    expect(texts.find((m) => m.to === '+12065551002')!.body).toContain('Nous sommes fermés demain');
    const mails = await smtp.waitForMails(2);
    expect(mails.flatMap((m) => m.to.map((t) => t.address)).sort()).toEqual(['dana@example.com', 'priya@example.com']);
    expect(mails[0]!.subject).toBe('Closed tomorrow: Larkspur Hollow Veterinary Clinic');
    expect(mails.every((m) => m.text?.includes('1200 Larkspur Way'))).toBe(true);

    // The list shows it as finished with its figures; a double click on Send afterwards sent nothing more.
    await page.getByTestId('campaign-back').click();
    await expect.poll(() => page.getByTestId('campaigns-finished').textContent()).toContain('Storm closure');
    expect(await page.getByTestId('campaigns-finished').textContent()).toContain('4 messages');
    expect(sim.outbound()).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});
