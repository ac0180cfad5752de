import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../helpers/core';
import { pimsFixture } from '../../helpers/pims-fixture';
import { CLINIC } from '../../helpers/settings-fixtures';

describe('appointments imported before the clinic time zone was set', () => {
  let t: ReturnType<typeof testCore>;
  afterEach(() => t.cleanup());

  it('get their instants worked out again when the zone is saved, keeping their local time and confirmations', async () => {
    t = testCore();
    // The import ran before the clinic profile existed: the default zone (Los Angeles) was used.
    const f = pimsFixture(t.core.db, { timeZone: 'America/Los_Angeles' });
    const { clientId, pets } = f.household({ pets: [{ name: 'Rex' }] });
    const a = f.appointment({ clientId, patientId: pets[0]!.id, start: '2026-12-09T09:30', confirmState: 'confirmed' });
    const summer = f.appointment({ clientId, patientId: pets[0]!.id, start: '2027-07-01T16:00' });
    const row = (id: number) => t.core.db.prepare<[number], { start_local: string; start_utc: string; confirm_state: string }>('SELECT start_local, start_utc, confirm_state FROM appointments WHERE id = ?').get(id)!;
    expect(row(a).start_utc).toBe('2026-12-09T17:30:00Z');
    const pimsVersion = () => t.core.db.prepare<[], number>("SELECT n FROM change_counters WHERE name = 'pims'").pluck().get();
    const v0 = pimsVersion();

    const r = await t.core.invoke('settings.saveClinic', { ...CLINIC, timeZone: 'America/Toronto' });
    expect(r.ok).toBe(true);
    expect(row(a)).toEqual({ start_local: '2026-12-09T09:30', start_utc: '2026-12-09T14:30:00Z', confirm_state: 'confirmed' });
    // Daylight time in July: four hours, not five.
    expect(row(summer).start_utc).toBe('2027-07-01T20:00:00Z');

    // The planner's kept PIMS data is stale now: it reads the appointments again.
    expect(pimsVersion()).toBeGreaterThan(v0!);

    // Saving again with the same zone changes nothing.
    const before = pimsVersion();
    await t.core.invoke('settings.saveClinic', { ...CLINIC, timeZone: 'America/Toronto', phone: '(416) 555-0100' });
    expect(pimsVersion()).toBe(before);
  });
});
