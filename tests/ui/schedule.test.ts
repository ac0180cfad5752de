import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../src-main/host-web/server';
import { launchBrowser } from '../helpers/browser';
import { startTestHost } from '../helpers/web';
import { plannerWorld, type PlannerWorld } from '../unit/reminders/helpers';

describe('Schedule screen: confirmation as the planner sees it, times in clinic time', () => {
  let w: PlannerWorld;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, number> = {};
  const errors: string[] = [];

  beforeAll(async () => {
    // 07:00 in Seattle (the clinic), 00:00 the next day in Tokyo (this browser).
    w = await plannerWorld({ now: '2026-12-01T15:00:00Z', autoApprove: false });
    w.core.settings.setGeneral({ setupComplete: true });
    const visit = (lastName: string, start: string, status: string, confirmState?: 'none' | 'confirmed' | 'reschedule') => {
      const h = w.f.household({ firstName: 'Pat', lastName, pets: [{ name: `${lastName}Pet` }] });
      ids[lastName] = w.f.appointment({ clientId: h.clientId, patientId: h.pets[0]!.id, start, status, reason: 'Exam', confirmState });
    };
    visit('Pimsconf', '2026-12-01T09:00', 'Confirmed');
    visit('Notasked', '2026-12-01T09:30', 'Scheduled');
    visit('Deskconf', '2026-12-01T10:00', 'Scheduled', 'confirmed');
    // The owner answered R after the PIMS marked it confirmed: the newer answer shows.
    visit('Movedit', '2026-12-01T10:30', 'Confirmed', 'reschedule');
    host = await startTestHost(w.core);
    browser = await launchBrowser();
    page = await (await browser.newContext({ timezoneId: 'Asia/Tokyo' })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('schedule').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await w?.cleanup();
  });

  const row = (name: string) => page.getByTestId(`appt-${ids[name]}`);

  it("treats an appointment the PIMS holds as confirmed as confirmed, and says where it came from", async () => {
    // The clinic's today (Dec 1), not the browser's (already Dec 2 in Tokyo).
    await expect.poll(() => page.getByTestId('schedule-date').inputValue()).toBe('2026-12-01');
    await expect.poll(() => row('Pimsconf').getByTestId('confirm-state').innerText()).toBe('Confirmed in PIMS');
    expect(await row('Pimsconf').getByText('Mark confirmed').count()).toBe(0);
    expect(await row('Notasked').getByTestId('confirm-state').innerText()).toBe('not asked');
    expect(await row('Deskconf').getByTestId('confirm-state').innerText()).toBe('confirmed');
    expect(await row('Movedit').getByTestId('confirm-state').innerText()).toBe('reschedule wanted');
    expect(await page.getByTestId('schedule-counts').innerText()).toContain('4 appointments · 2 confirmed');
    // The planner agrees: no confirmation request for the PIMS-confirmed visit.
    const plan = await w.plan({});
    expect(plan.appointments.skipped.confirmed).toBeGreaterThanOrEqual(1);
    const asked = w.messages("kind = 'appointment' AND dedupe_key LIKE 'appointment:%:confirm:%'").map((m) => m.appointment_id);
    expect(asked).not.toContain(ids.Pimsconf);
  });

  it('shows times in clinic time, named when this computer runs on another zone', async () => {
    expect(await page.locator('th', { hasText: 'Time' }).innerText()).toBe('Time (PST)');
    expect(await row('Notasked').locator('td').first().innerText()).toBe('9:30 AM');
    await row('Notasked').getByText('Mark arrived').click();
    await expect.poll(() => row('Notasked').getByTestId('arrived').innerText()).toBe('arrived 7:00 AM PST');
    expect(errors).toEqual([]);
  });
});
