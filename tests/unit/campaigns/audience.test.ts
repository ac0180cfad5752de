import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudienceFilter } from '../../../src-main/contract';
import { campaignEnv } from './helpers';

/**
 * One small clinic, each household built to be caught (or not) by exactly the filter under test.
 * Today is Tuesday 2026-12-01 in Seattle.
 */
describe('audience filters', () => {
  let env: ReturnType<typeof campaignEnv>;
  const ids: Record<string, number> = {};
  beforeEach(() => {
    env = campaignEnv('2026-12-01T18:00:00.000Z');
    const { f } = env;
    const hh = (key: string, h: Parameters<typeof f.household>[0]) => {
      const r = f.household(h);
      ids[key] = r.clientId;
      return r;
    };
    const tomorrow = hh('tomorrow', { firstName: 'Tomo', pets: [{ name: 'Rex' }] });
    f.appointment({ patientId: tomorrow.pets[0]!.id, start: '2026-12-02T10:30' });
    const cancelled = hh('cancelled', { firstName: 'Cancel', pets: [{ name: 'Ace' }] });
    f.appointment({ patientId: cancelled.pets[0]!.id, start: '2026-12-02T11:00', status: 'Cancelled' });
    const nextWeek = hh('nextWeek', { firstName: 'Later', pets: [{ name: 'Bo' }] });
    f.appointment({ patientId: nextWeek.pets[0]!.id, start: '2026-12-08T09:00' });
    hh('cat', { firstName: 'Cathy', pets: [{ name: 'Minou', species: 'Cat' }] });
    hh('deadCat', { firstName: 'Dee', pets: [{ name: 'Ghost', species: 'Cat', deceased: true }, { name: 'Fido', species: 'Dog' }] });
    hh('due', { firstName: 'Duey', pets: [{ name: 'Vax', reminders: [{ code: 'RAB1', due: '2026-12-15', category: 'vaccine' }] }] });
    hh('overdue', { firstName: 'Overdue', pets: [{ name: 'Old', reminders: [{ code: 'DHPP', due: '2026-10-01', category: 'vaccine' }] }] });
    hh('satisfied', { firstName: 'Sat', pets: [{ name: 'Done', reminders: [{ code: 'RAB1', due: '2026-12-10', satisfiedOn: '2026-11-20' }] }] });
    const visitOld = hh('visitOld', { firstName: 'Vold', pets: [{ name: 'V1' }] });
    f.history(visitOld.pets[0]!.id, 'EXAM', '2024-05-01');
    const visitNew = hh('visitNew', { firstName: 'Vnew', pets: [{ name: 'V2' }, { name: 'V3' }] });
    f.history(visitNew.pets[0]!.id, 'EXAM', '2024-05-01');
    f.history(visitNew.pets[1]!.id, 'EXAM', '2026-09-01');
    hh('vancouver', { firstName: 'Van', address: { line1: '1 Main', city: 'Vancouver', region: 'BC', postalCode: 'V6K 1A1' }, pets: [{}] });
    hh('tacoma', { firstName: 'Tac', address: { line1: '2 Main', city: 'Tacoma', region: 'WA', postalCode: '98402' }, pets: [{}] });
    hh('french', { firstName: 'Élise', language: 'FR-ca', pets: [{}] });
    hh('spanish', { firstName: 'Sol', language: 'Spanish', pets: [{}] });
    hh('noCell', { firstName: 'Nocell', cell: null, pets: [{}] });
    hh('noEmail', { firstName: 'Nomail', email: null, pets: [{}] });
  });
  afterEach(async () => {
    await env.cleanup();
  });

  const matched = async (audience: AudienceFilter) => {
    const names = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
    const list = await env.h['campaigns.recipients']({ kind: 'alert', audience, delivery: 'both', limit: 200 });
    return list.map((r) => names.get(r.clientId)).sort();
  };

  it('no filter: every active, reachable household', async () => {
    expect(await matched({})).toHaveLength(Object.keys(ids).length);
  });

  it("appointment in a date range (tomorrow's appointments), not cancelled ones", async () => {
    expect(await matched({ appointment: { from: '2026-12-02', to: '2026-12-02' } })).toEqual(['tomorrow']);
    expect(await matched({ appointment: { from: '2026-12-02', to: '2026-12-08' } })).toEqual(['nextWeek', 'tomorrow']);
  });

  it('species of a living pet, case-insensitive', async () => {
    expect(await matched({ species: ['cat'] })).toEqual(['cat']);
    expect(await matched({ species: ['CAT', 'dog'] })).toContain('deadCat');
  });

  it('a service due or overdue in a range, open only (not satisfied by history)', async () => {
    expect(await matched({ serviceDue: { from: '2026-12-01', to: '2026-12-31' } })).toEqual(['due']);
    expect(await matched({ serviceDue: { from: '2000-01-01', to: '2026-11-30' } })).toEqual(['overdue']);
    expect(await matched({ serviceDue: { from: '2000-01-01', to: '2026-12-31', codes: ['dhpp'] } })).toEqual(['overdue']);
    expect(await matched({ serviceDue: { from: '2000-01-01', to: '2026-12-31', categories: ['Vaccine'] } })).toEqual(['due', 'overdue']);
  });

  it('last visit before / after a date, from the history of any pet of the household', async () => {
    expect(await matched({ lastVisit: { before: '2025-01-01' } })).toEqual(['visitOld']);
    expect(await matched({ lastVisit: { after: '2026-01-01' } })).toEqual(['visitNew']);
    expect(await matched({ lastVisit: { after: '2024-01-01', before: '2026-12-01' } })).toEqual(['visitNew', 'visitOld']);
  });

  it('city or postal code prefix (spaces and case ignored)', async () => {
    expect(await matched({ cities: ['tacoma'] })).toEqual(['tacoma']);
    expect(await matched({ postalPrefixes: ['v6k1'] })).toEqual(['vancouver']);
    expect(await matched({ postalPrefixes: ['984', 'V6K'] })).toEqual(['tacoma', 'vancouver']);
  });

  it('language, as the PIMS spells it', async () => {
    expect(await matched({ languages: ['fr'] })).toEqual(['french']);
    expect(await matched({ languages: ['es', 'fr'] })).toEqual(['french', 'spanish']);
  });

  it('has SMS / has email (and the opposite)', async () => {
    expect(await matched({ hasSms: false })).toEqual(['noCell']);
    expect(await matched({ hasEmail: false })).toEqual(['noEmail']);
    expect(await matched({ hasSms: true })).not.toContain('noCell');
  });

  it('filters combine: every one must hold', async () => {
    expect(await matched({ species: ['dog'], lastVisit: { after: '2026-01-01' } })).toEqual(['visitNew']);
    expect(await matched({ species: ['cat'], cities: ['Tacoma'] })).toEqual([]);
    expect(await matched({ appointment: { from: '2026-12-02', to: '2026-12-08' }, hasSms: true, languages: ['en'] })).toEqual(['nextWeek', 'tomorrow']);
  });

  it('the merge fields of an appointment audience name that appointment', async () => {
    const p = await env.h['campaigns.preview']({
      kind: 'alert',
      audience: { appointment: { from: '2026-12-02', to: '2026-12-02' } },
      delivery: 'sms',
      content: { defaultLang: 'en', sms: { en: 'Closed tomorrow: your visit for {{appointment.pet}} on {{appointment.date}} at {{appointment.time}} moves.' }, email: {} },
    });
    expect(p.sms?.body).toContain('your visit for Rex on Wed Dec 2 at 10:30 AM moves');
  });

  it('refuses a range that ends before it starts, with the field named', async () => {
    await expect(env.h['campaigns.count']({ kind: 'alert', audience: { appointment: { from: '2026-12-03', to: '2026-12-02' } }, delivery: 'both' })).rejects.toMatchObject({
      code: 'validation',
      fields: { 'appointment.to': expect.any(String) },
    });
    await expect(env.h['campaigns.count']({ kind: 'alert', audience: { lastVisit: { before: '2020-01-01', after: '2025-01-01' } }, delivery: 'both' })).rejects.toMatchObject({
      code: 'validation',
      fields: { 'lastVisit.before': expect.stringMatching(/swap/) },
    });
  });

  it('refuses a filter it does not know instead of dropping it (a misspelt filter would reach the whole clinic)', async () => {
    await expect(env.h['campaigns.count']({ kind: 'alert', audience: { specie: ['Dog'] } as never, delivery: 'both' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/field needs attention/),
    });
  });
});
