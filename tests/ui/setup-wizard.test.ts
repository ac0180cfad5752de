import { cpSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EXPORT_DIR } from '../../src-main/host-web/demo';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { testCore } from '../helpers/core';
import { tempDir } from '../helpers/tmp';
import { startTestHost } from '../helpers/web';

describe('first-run setup wizard in headless Chromium', () => {
  const t = testCore({ firstRun: true });
  const files = tempDir('pawline-setup-export-');
  const exportDir = path.join(files.dir, 'PulseExports');
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    // A practice-management export folder as a clinic would have one (the demo export's files).
    cpSync(DEMO_EXPORT_DIR, exportDir, { recursive: true });
    host = await startTestHost(t.core);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await t.cleanup();
    files.cleanup();
  });

  const stepState = (id: string) => page.getByTestId(`setup-step-${id}`).getAttribute('data-state');

  it('opens on a fresh desk, saves the clinic profile and recognises the export folder', async () => {
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('setup-page-clinic').waitFor();
    expect(await page.getByTestId('nav-demo').count()).toBe(0);
    await page.getByTestId('field-name').fill('Larkspur Hollow Veterinary Clinic');
    await page.getByTestId('field-phone').fill('(206) 555-0100');
    await page.getByTestId('field-email').fill('desk@larkspur.example.com');
    await page.getByTestId('field-address.line1').fill('1200 Larkspur Way');
    await page.getByTestId('field-address.city').fill('Seattle');
    await page.getByTestId('field-address.region').fill('WA');
    await page.getByTestId('field-address.postalCode').fill('981');
    await page.getByTestId('save-clinic').click();
    // A bad ZIP keeps the wizard on this step with the field's own error.
    await expect.poll(() => page.getByText('Use a US ZIP (98103)').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('setup-page-clinic').count()).toBe(1);
    await page.getByTestId('field-address.postalCode').fill('98103');
    await page.getByTestId('save-clinic').click();

    await page.getByTestId('setup-page-pims').waitFor();
    expect(await stepState('clinic')).toBe('done');
    expect(t.core.settings.clinic()?.name).toBe('Larkspur Hollow Veterinary Clinic');
    await page.getByTestId('setup-pims-path').fill(exportDir);
    await page.getByTestId('setup-pims-check').click();
    const table = page.getByTestId('setup-pims-files');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(6);
    expect(await table.getByText('Client.csv', { exact: true }).count()).toBe(1);
    await expect.poll(() => table.getByText(/Pulse/).count()).toBe(6);
    await page.getByTestId('setup-pims-watch').click();
    await page.getByTestId('setup-page-twilio').waitFor();
    expect(t.core.settings.view().exportFolder).toBe(exportDir);
  });

  it('skips Twilio, and after a reload resumes at the first step still to do', async () => {
    await page.getByTestId('setup-skip').click();
    await page.getByTestId('setup-page-smtp').waitFor();
    await page.reload();
    await page.getByTestId('setup-page-smtp').waitFor();
    expect(await stepState('twilio')).toBe('skipped');
    expect(await stepState('pims')).toBe('done');

    // "Set up later" opens the desk as usual; the wizard stays in the rail and resumes where it was.
    await page.getByTestId('setup-later').click();
    await expect.poll(() => page.getByTestId('setup-wizard').count()).toBe(0);
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('setup-page-smtp').waitFor();
  });

  it('saves the send window inside the legal limits, then Finish completes setup with channels not set up', async () => {
    await page.getByTestId('setup-skip').click();
    await page.getByTestId('setup-page-window').waitFor();
    await page.getByTestId('field-quietHours.end').fill('21:30');
    await page.getByTestId('setup-window-save').click();
    await expect.poll(() => page.getByText('Texts may not be sent after 21:00 (TCPA)').count()).toBeGreaterThan(0);
    await page.getByTestId('field-quietHours.end').fill('19:00');
    await page.getByTestId('field-planTime').fill('06:45');
    await page.getByTestId('setup-window-save').click();

    await page.getByTestId('setup-page-finish').waitFor();
    const summary = page.getByTestId('setup-summary');
    expect(await summary.locator('tr[data-state="skipped"]').count()).toBe(2);
    expect(await summary.getByText('Not set up: texts wait in the outbox').count()).toBe(1);
    expect(t.core.settings.clinic()?.quietHours).toEqual({ start: '09:00', end: '19:00' });
    expect(t.core.settings.getGeneral('planTime')).toBe('06:45');
    expect(t.core.settings.getGeneral('setupComplete')).toBe(false);

    await page.getByTestId('setup-finish').click();
    await expect.poll(() => page.getByTestId('nav-setup').count()).toBe(0);
    expect(t.core.settings.getGeneral('setupComplete')).toBe(true);
    expect(await page.getByTestId('setup-wizard').count()).toBe(0);
    // Until Twilio and SMTP are set up the frame says so; planned messages wait in the outbox.
    expect(await page.getByTestId('status-sms').textContent()).toContain('not set up');
    expect(await page.getByTestId('status-email').textContent()).toContain('not set up');

    // A finished desk opens on its first screen, not the wizard.
    await page.reload();
    await page.getByTestId('status-sms').waitFor();
    expect(await page.getByTestId('setup-wizard').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
