import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { startTwilioSim, type TwilioSim } from '../doubles/twilio-sim';
import { launchBrowser } from '../helpers/browser';
import { startTestHost } from '../helpers/web';
import { openDesk, phone, sms, statusOf, until, type Desk } from '../integration/outbox/helpers';

describe('Outbox screen: why messages wait or failed, retry / cancel, progress, channel state', () => {
  let sim: TwilioSim;
  let desk: Desk;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let landline: number;
  let filtered: number;
  let offline: number;

  beforeAll(async () => {
    sim = await startTwilioSim({ delays: { sentMs: 5, deliveredMs: 5 } });
    sim.landline(phone(2));
    sim.failDelivery(phone(4), 30007);
    desk = await openDesk({ sim, outbox: { probeMs: 100, concurrency: { sms: 2 }, statusPollMs: 100 } });
    const ids = desk.core.outbox.enqueue([sms(phone(1), 'Goes out'), sms(phone(2), 'To a landline'), sms(phone(4), 'Looks like spam')]).ids;
    [, landline, filtered] = ids as [number, number, number];
    await until(() => statusOf(desk.core, ids[0]!) === 'delivered' && statusOf(desk.core, landline) === 'failed' && statusOf(desk.core, filtered) === 'undelivered', 'settled');
    await sim.setOffline(true);
    // Let the client notice its pooled connections closed (a send on a dead one is a lost answer, looked up later).
    await new Promise((r) => setTimeout(r, 200));
    [offline] = desk.core.outbox.enqueue([sms(phone(3), 'Waits for the network')]).ids;
    await until(() => desk.core.outbox.get(offline)!.wait_reason === 'offline', 'waiting offline');
    host = await startTestHost(desk.core);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-table').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await desk?.cleanup();
    await sim?.close();
  });

  it('shows what waits and why, and the channel as offline in the screen and in the frame', async () => {
    expect(await page.getByTestId(`outbox-why-${offline}`).textContent()).toMatch(/No connection to the provider/);
    expect(await page.getByTestId('outbox-channel-sms').textContent()).toMatch(/Offline/);
    await expect.poll(() => page.getByTestId('status-sms').textContent()).toMatch(/offline/);
    expect(await page.getByTestId('outbox-reasons').textContent()).toMatch(/1\s*No connection/);
  });

  it('cancels a waiting message', async () => {
    await page.getByTestId(`outbox-cancel-${offline}`).click();
    await expect.poll(() => page.getByTestId('outbox-banner').textContent()).toBe('1 message cancelled.');
    expect(statusOf(desk.core, offline)).toBe('cancelled');
  });

  it('lists failures with what to do; retries the one a retry can fix', async () => {
    await page.getByTestId('outbox-tab-failed').click();
    const why = page.getByTestId(`outbox-why-${landline}`);
    await why.waitFor();
    expect(await why.textContent()).toMatch(/landline.*code 21614/i);
    // A landline needs a new number, not another attempt.
    expect(await page.getByTestId(`outbox-retry-${landline}`).count()).toBe(0);
    expect(await page.getByTestId(`outbox-why-${filtered}`).textContent()).toMatch(/filtered.*30007/);
    await sim.setOffline(false);
    sim.clearDeliveryFailure(phone(4));
    await page.getByTestId(`outbox-retry-${filtered}`).click();
    await expect.poll(() => page.getByTestId('outbox-banner').textContent()).toBe('1 message back in the queue.');
    await until(() => statusOf(desk.core, filtered) === 'delivered', 'delivered on retry');
    expect(sim.countByTo(phone(4))).toBe(2);
    await expect.poll(() => page.getByTestId('outbox-channel-sms').textContent()).toMatch(/Connected/);
  });

  it('shows a progress bar while a batch drains', async () => {
    await page.getByTestId('outbox-tab-sent').click();
    sim.setLatency(25);
    desk.core.outbox.enqueue(Array.from({ length: 120 }, (_, i) => sms(phone(100 + i), `Batch ${i}`)));
    const bar = page.getByTestId('outbox-progress');
    await bar.waitFor({ timeout: 15_000 });
    expect(await bar.textContent()).toMatch(/Sending: \d+ of \d+/);
    await bar.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => page.getByTestId('outbox-tab-sent').textContent()).toMatch(/Sent \(122\)/);
    expect(errors).toEqual([]);
  });
});
