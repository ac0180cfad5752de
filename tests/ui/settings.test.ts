import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { testCore } from '../helpers/core';
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
});
