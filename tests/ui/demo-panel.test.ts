import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../src-main/host-web/demo';
import { DEMO_CLINIC_NUMBER } from '../../src-main/host-web/demo-clinic/profile';
import { launchBrowser } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { RENDERER_DIR } from '../helpers/web';

describe('demo mode in headless Chromium', () => {
  const t = tempDir('pawline-demo-ui-');
  let demo: Demo;
  let browser: Browser;
  beforeAll(async () => {
    demo = await startDemo({ dataDir: path.join(t.dir, 'demo'), port: 0, staticDir: RENDERER_DIR, timeZone: 'America/Los_Angeles', coreTuning: { inbound: { pollMs: 200 } }, watchMs: 100 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    t.cleanup();
  });

  it('is labelled as a demo, and its panel texts the clinic as an owner and shows the owner’s phone and the mailbox', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(demo.host.openUrl);
    // A demo desk is set up already: no wizard, a DEMO label leading to the Demo screen.
    await page.getByTestId('status-demo').click();
    await page.getByTestId('demo-screen').waitFor();
    expect(await page.getByTestId('setup-wizard').count()).toBe(0);

    await page.getByTestId('demo-from').fill('(206) 555-0197');
    await page.getByTestId('demo-body').fill('Running 10 minutes late');
    await page.getByTestId('demo-send').click();
    await expect.poll(() => page.getByText('Sent from +12065550197 to the clinic').count()).toBe(1);
    expect(demo.sim.inbound().map((m) => [m.from, m.to, m.body])).toContainEqual(['+12065550197', DEMO_CLINIC_NUMBER, 'Running 10 minutes late']);
    const thread = page.getByTestId('demo-phone-thread');
    await expect.poll(() => thread.getByText('Running 10 minutes late').count()).toBe(1);

    // What the clinic sends shows up on the owner's phone as the simulator delivers it.
    demo.sim.injectInbound({ from: '+12065550197', to: DEMO_CLINIC_NUMBER, body: 'HELP' });
    await expect.poll(() => thread.locator('[data-direction="from-owner"]').count(), { timeout: 10_000 }).toBe(2);
    await page.getByTestId('demo-mailbox').waitFor();
    expect(errors).toEqual([]);
  });
});
