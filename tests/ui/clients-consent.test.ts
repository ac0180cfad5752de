import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { startTestHost } from '../helpers/web';
import { campaignEnv } from '../unit/campaigns/helpers';

describe('Clients screen: marketing consent', () => {
  let env: ReturnType<typeof campaignEnv>;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    env = campaignEnv();
    env.f.household({ pimsId: 'C900', firstName: 'Dana', lastName: 'Consentia', cell: '+12065558301', email: 'dana@example.com', pets: [{ name: 'Max' }] });
    host = await startTestHost(env.core);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-clients').click();
    await page.getByTestId('clients-search').fill('Consentia');
    await page.getByTestId('client-row-C900').click();
    await page.getByTestId('client-detail').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await env?.campaigns.service.stop();
    await env?.cleanup();
  });

  it('records the owner’s marketing consent per number and email, and marketing campaigns then count them', async () => {
    const sms = page.getByTestId('marketing-phone-0');
    await expect.poll(() => sms.innerText()).toContain('Marketing: no');
    expect((await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' })).recipients).toBe(0);
    await sms.getByRole('switch').click();
    await expect.poll(() => sms.innerText()).toContain('Marketing: yes (recorded by staff');
    const c = await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' });
    expect(c).toMatchObject({ recipients: 1, byChannel: { sms: 1, email: 0 } });
    expect(errors).toEqual([]);
  });
});
