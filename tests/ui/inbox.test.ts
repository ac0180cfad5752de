import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { startTwilioSim, type TwilioSim } from '../doubles/twilio-sim';
import { launchBrowser } from '../helpers/browser';
import { pimsFixture } from '../helpers/pims-fixture';
import { startTestHost } from '../helpers/web';
import { FROM, openDesk, type Desk } from '../integration/outbox/helpers';

/**
 * The receptionist's inbox end to end: headless Chromium over host-web, the inbound poller and the
 * real dispatcher talking to the Twilio simulator. The clinic's zone puts "now" at midday (see
 * openDesk), so replies are inside the send window whenever this runs.
 */
describe('Inbox screen: a text arrives live and the reply reaches Twilio', () => {
  const DANA = '+12065551001';
  let sim: TwilioSim;
  let desk: Desk;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    sim = await startTwilioSim({ delays: { sentMs: 20, deliveredMs: 20 } });
    desk = await openDesk({ sim, core: { inbound: { pollMs: 150, retryMs: 500 } }, outbox: { statusPollMs: 200 } });
    const f = pimsFixture(desk.core.db);
    f.household({ firstName: 'Dana', lastName: 'Whitfield', cell: DANA, pets: [{ name: 'Max' }] });
    f.household({ firstName: 'Luis', lastName: 'Ortega', cell: '+12065551002', pets: [{ name: 'Mochi' }] });
    host = await startTestHost(desk.core);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await desk?.cleanup();
    await sim?.close();
  });

  it('shows an injected text without a reload, as text and never as HTML', async () => {
    expect(await page.getByTestId('inbox-empty').textContent()).toContain('No conversations');
    const body = 'Max is limping <b>badly</b> <img src=x onerror="window.__pwned=1">';
    sim.injectInbound({ from: DANA, to: FROM, body });

    const row = page.locator('[role="option"][data-testid^="conversation-"]', { hasText: 'Dana Whitfield' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('Max is limping');
    expect(await row.getByTestId('unread-badge').textContent()).toBe('1');

    await row.click();
    const inbound = page.getByTestId('thread-inbound').last();
    await inbound.waitFor();
    expect(await inbound.locator('.pl-msg-body').textContent()).toBe(body);
    expect(await page.getByTestId('thread').locator('b, img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.getByTestId('thread-title').textContent()).toBe('Dana Whitfield');
    // Opening the thread reads it: the frame's unread counter follows.
    await expect.poll(() => page.getByTestId('status-unread').textContent(), { timeout: 10_000 }).toBe('Unread: 0');
  });

  it('counts segments, offers the curly-quote fix, and a Ctrl+Enter reply reaches the simulator', async () => {
    const input = page.getByTestId('composer-input');
    await input.fill('Hi {{client.firstName}}, we’re here until 6 — bring Max in');
    await page.getByTestId('ucs2-warning').waitFor();
    expect(await page.getByTestId('segment-counter').textContent()).toContain('UCS-2');
    await page.getByTestId('fix-quotes').click();
    await expect.poll(() => input.inputValue()).toBe("Hi {{client.firstName}}, we're here until 6 - bring Max in");
    await expect.poll(() => page.getByTestId('segment-counter').textContent()).toContain('GSM-7');
    expect(await page.getByTestId('ucs2-warning').count()).toBe(0);

    await input.press('Control+Enter');
    const text = "Hi Dana, we're here until 6 - bring Max in";
    await expect.poll(() => sim.outbound().filter((m) => m.to === DANA && m.body === text).length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => input.inputValue()).toBe('');
    const out = page.getByTestId('thread-outbound').last();
    await expect.poll(() => out.locator('.pl-msg-body').textContent()).toBe(text);
    // The delivery state follows the dispatcher and the status poll.
    await expect.poll(() => out.getByTestId('delivery-state').textContent(), { timeout: 15_000 }).toMatch(/sent|delivered/);
  });

  it('moves between threads with the arrow keys and keeps notes internal', async () => {
    sim.injectInbound({ from: '+12065551002', to: FROM, body: 'Can Mochi come Friday?' });
    await page.locator('[role="option"][data-testid^="conversation-"]', { hasText: 'Luis Ortega' }).waitFor({ timeout: 15_000 });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByTestId('thread-title').textContent()).toBe('Luis Ortega');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('thread-title').textContent()).toBe('Dana Whitfield');

    const before = sim.outbound().length;
    await page.getByTestId('mode-note').click();
    await page.getByTestId('composer-input').fill('Owner prefers a call after 5');
    await page.getByTestId('send').click();
    await page.getByTestId('thread-note').filter({ hasText: 'Owner prefers a call after 5' }).waitFor();
    expect(sim.outbound().length).toBe(before);
    expect(errors).toEqual([]);
  });
});
