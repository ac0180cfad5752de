import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { startTestHost } from '../helpers/web';
import { plannerWorld, type PlannerWorld } from '../unit/reminders/helpers';

describe("Reminders screen: today's plan, preview, held back, approve and queue", () => {
  let w: PlannerWorld;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    w = await plannerWorld({ autoApprove: false });
    w.core.settings.setGeneral({ setupComplete: true });
    w.f.household({ firstName: 'Ana', lastName: 'Reddy', pets: [{ name: 'Max', sex: 'M', reminders: [{ code: 'RAB1', due: '2026-12-06' }, { code: 'DHPP', due: '2026-12-06' }] }, { name: 'Luna', sex: 'F', reminders: [{ code: 'EXAM', due: '2026-12-06' }] }] });
    w.f.household({ firstName: 'Ben', lastName: 'Moore', pets: [{ name: 'Ghost', deceased: true, reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    w.f.household({ firstName: 'Cy', lastName: 'Late', cell: null, pets: [{ name: 'Rex', reminders: [{ code: 'LYME', due: '2026-12-20' }] }] });
    host = await startTestHost(w.core);
    browser = await launchBrowser();
    // The desk PC's clock is in another zone than the clinic's: times must still read in clinic time.
    page = await (await browser.newContext({ timezoneId: 'Asia/Tokyo' })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-reminders').click();
    await page.getByTestId('reminders-screen').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await w?.cleanup();
  });

  it('runs the plan and shows messages by step and channel, with what was held back', async () => {
    await page.getByTestId('plan-run').click();
    await page.getByTestId('plan-steps').waitFor();
    const steps = await page.getByTestId('plan-steps').innerText();
    expect(steps).toContain('7 days before');
    expect(steps).toContain('28 days before');
    expect(steps).toMatch(/Text\s+1\s+1\s+1\s+\$0\.01/);
    expect(await page.getByTestId('plan-suppressed').innerText()).toContain('Pet deceased: 1');
    // Clinic time (Seattle), named because this browser runs on Tokyo time; the trigger in words.
    expect(await page.getByTestId('plan-made').innerText()).toMatch(/made \w{3} \d+, \d+:\d\d [AP]M PST \(run by hand\)/);
    expect(errors).toEqual([]);
  });

  it('previews the exact text a household receives, with segments and cost', async () => {
    await page.getByTestId('reminders-tab-preview').click();
    const table = page.getByTestId('plan-preview');
    await table.waitFor();
    await expect.poll(() => table.innerText()).toContain('Max is due for Rabies and DHPP, and Luna for her wellness exam by Dec 6');
    const text = await table.innerText();
    expect(text).toContain('Ana Reddy');
    expect(text).toContain('Rex: Lyme, due Dec 20');
    expect(text).toContain('waiting for approval');
  });

  it('lists held-back services with their reason', async () => {
    await page.getByTestId('reminders-tab-suppressed').click();
    const list = page.getByTestId('plan-suppressed-list');
    await list.waitFor();
    await expect.poll(() => list.innerText()).toContain('Ghost');
    expect(await list.innerText()).toContain('Pet deceased');
  });

  it('asks before queueing, with the count by channel and the cost; Cancel is the default', async () => {
    await page.getByTestId('reminders-tab-plan').click();
    await page.getByTestId('plan-approve-all').click();
    const dialog = page.getByTestId('approve-dialog');
    await expect.poll(() => dialog.getByTestId('approve-total').count()).toBe(1);
    expect(await dialog.getByTestId('approve-total').innerText()).toBe('2');
    const byChannel = await dialog.getByTestId('approve-by-channel').innerText();
    expect(byChannel).toMatch(/Text: 1 \(1 segment, est\. \$0\.01\)/);
    expect(byChannel).toContain('Email: 1');
    expect(await dialog.getByTestId('approve-cost').innerText()).toContain('$0.01');
    expect(await page.evaluate('document.activeElement?.getAttribute("data-testid")')).toBe('approve-cancel');
    // Enter on the focused Cancel, or Escape, queues nothing.
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByTestId('plan-approve-all').click();
    await expect.poll(() => dialog.getByTestId('approve-total').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(w.messages("kind = 'reminder'")).toEqual([]);
  });

  it('approves and queues the plan into the outbox', async () => {
    await page.getByTestId('reminders-tab-plan').click();
    await page.getByTestId('plan-approve-all').click();
    await page.getByTestId('approve-confirm').click();
    await expect.poll(() => page.getByTestId('plan-banner').innerText()).toContain('2 messages queued');
    expect(w.messages("kind = 'reminder'").map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    expect(errors).toEqual([]);
  });
});
