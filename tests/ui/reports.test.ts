import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { testCore } from '../helpers/core';
import { pimsFixture } from '../helpers/pims-fixture';
import { CLINIC } from '../helpers/settings-fixtures';
import { startTestHost } from '../helpers/web';
import { messages } from '../unit/reports/messages-fixture';

describe('Reports screen in headless Chromium', () => {
  const t = testCore();
  let host: WebHost;
  let browser: Browser;
  beforeAll(async () => {
    t.core.settings.saveClinic(CLINIC);
    const m = messages(t.core.db);
    m.add({ status: 'delivered', sentAt: '2026-03-07T18:00:00.000Z' });
    m.add({ status: 'delivered', sentAt: '2026-03-08T18:00:00.000Z' });
    m.add({ status: 'failed', finalAt: '2026-03-08T19:00:00.000Z' });
    m.add({ status: 'sent', channel: 'email', sentAt: '2026-03-09T18:00:00.000Z' });
    const f = pimsFixture(t.core.db);
    const ok = f.client({ firstName: 'Priya', lastName: 'Reddy' });
    const bad = f.client({ firstName: 'Alex', lastName: 'Garcia', address: null });
    const due = new Date(Date.now() - 3_600_000);
    t.core.outbox.enqueue([
      { dedupeKey: 'ui:pc1', channel: 'postcard', kind: 'reminder', clientId: ok, to: 'x', body: 'Max is due for Rabies.', notBefore: due, createdBy: 'planner' },
      { dedupeKey: 'ui:pc2', channel: 'postcard', kind: 'reminder', clientId: bad, to: 'x', body: 'Luna is due.', notBefore: due, createdBy: 'planner' },
    ]);
    host = await startTestHost(t.core);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await t.cleanup();
  });

  it('shows figures for a chosen range, exports CSV, and prints a postcard batch as a PDF download', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('report-from').fill('2026-03-07');
    await page.getByTestId('report-to').fill('2026-03-09');
    await expect.poll(() => page.getByTestId('kpi-sent').textContent()).toContain('4');
    expect(await page.getByTestId('kpi-failed').textContent()).toContain('1 failed');
    const rows = await page.getByTestId('table-delivery').locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('Sat, Mar 7, 2026');
    // recharts drew the stacked bars.
    expect(await page.getByTestId('section-delivery').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export').click()]);
    expect(csv.suggestedFilename()).toBe('pawline-report-2026-03-07-to-2026-03-09.csv');
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('sent,4');

    await page.getByTestId('reports-tab-postcards').click();
    await expect.poll(() => page.getByTestId('postcards-ready').textContent()).toBe('1');
    expect(await page.getByTestId('postcards-problems').textContent()).toContain('Alex Garcia');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('postcards-generate').click()]);
    expect(pdf.suggestedFilename()).toMatch(/^postcards-\d{4}-\d{2}-\d{2}-1\.pdf$/);
    expect(readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await expect.poll(() => page.getByTestId('postcards-result').textContent()).toMatch(/1 postcard on 1 page\./);
    await expect.poll(() => page.getByTestId('postcards-batches').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('postcards-ready').textContent()).toBe('0');
    expect(errors).toEqual([]);
    await context.close();
  });
});
