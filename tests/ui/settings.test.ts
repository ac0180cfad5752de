import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { testCore } from '../helpers/core';
import { CLINIC } from '../helpers/settings-fixtures';
import { startTestHost } from '../helpers/web';

describe('Settings screen in headless Chromium', () => {
  const t = testCore();
  let host: WebHost;
  let browser: Browser;
  beforeAll(async () => {
    host = await startTestHost(t.core);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await t.cleanup();
  });

  it('shows a field error for a bad Account SID, then saves a good one without echoing the token', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('field-accountSid').fill('AC12345');
    await page.getByTestId('field-authToken').fill('my-secret-token');
    await page.getByTestId('field-fromNumber').fill('+12065550100');
    await page.getByTestId('save-twilio').click();
    await expect.poll(() => page.getByText('The Account SID starts with AC').count()).toBeGreaterThan(0);
    expect(t.core.settings.twilio()).toBeNull();

    await page.getByTestId('field-accountSid').fill('AC' + '0123456789abcdef'.repeat(2));
    await page.getByTestId('save-twilio').click();
    await expect.poll(() => page.getByText('Twilio settings saved.').count()).toBe(1);
    expect(t.core.settings.twilio()?.authToken).toBe('my-secret-token');
    // After a reload the token is not sent back to the page: the field is empty and says it is saved.
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByText('Saved (hidden). Type to replace it.').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('field-authToken').inputValue()).toBe('');
    expect(await page.content()).not.toContain('my-secret-token');
    expect(errors).toEqual([]);
  });

  it('narrows the time zones to what is typed and takes one from the keyboard', async () => {
    t.core.settings.saveClinic(CLINIC);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-settings').click();
    const tz = page.getByTestId('field-timeZone');
    await expect.poll(() => tz.inputValue()).toBe('America/Los_Angeles');
    await tz.click();
    await tz.press('Control+a');
    await tz.pressSequentially('Tor', { delay: 20 });
    expect(await tz.inputValue()).toBe('Tor');
    await expect.poll(() => page.getByRole('option').allInnerTexts()).toContain('America/Toronto');
    const options = await page.getByRole('option').allInnerTexts();
    expect(options.length).toBeLessThan(10);
    for (const o of options) expect(o.toLowerCase()).toContain('tor');
    // Arrow keys move through the narrowed list; Enter takes the highlighted zone.
    const active = async () => {
      const id = await tz.getAttribute('aria-activedescendant');
      return id ? page.locator(`[id="${id}"]`).innerText() : '';
    };
    for (let i = 0; i < options.length && (await active()) !== 'America/Toronto'; i++) await tz.press('ArrowDown');
    expect(await active()).toBe('America/Toronto');
    await tz.press('Enter');
    await expect.poll(() => tz.inputValue()).toBe('America/Toronto');
    // Typing part of a name and pressing Enter takes the zone that matches.
    await tz.press('Control+a');
    await tz.pressSequentially('vancou', { delay: 20 });
    await tz.press('Enter');
    await expect.poll(() => tz.inputValue()).toBe('America/Vancouver');
    await tz.press('Tab');
    await page.getByTestId('save-clinic').click();
    await expect.poll(() => page.getByText('Clinic profile saved.').count()).toBe(1);
    expect(t.core.settings.clinic()?.timeZone).toBe('America/Vancouver');
    expect(errors).toEqual([]);
  });
});
