import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignInput, ClientDetail } from '../../../src-main/contract';
import { alertInput, campaignEnv } from './helpers';

const DAY = 86_400_000;

function promo(name: string): CampaignInput {
  return alertInput({
    name,
    kind: 'marketing',
    content: { defaultLang: 'en', sms: { en: 'Dental month: 10% off cleanings for {{pets}}.' }, email: { en: { subject: 'Dental month', body: 'Book a cleaning this month.' } } },
  });
}

describe('marketing consent and caps', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });

  const setup = () => {
    env = campaignEnv('2026-12-01T18:00:00.000Z');
    const yes = env.f.household({ firstName: 'Yes', cell: '+12065558001', email: 'yes@example.com', pets: [{ name: 'Max' }] });
    const no = env.f.household({ firstName: 'No', cell: '+12065558002', email: 'no@example.com', pets: [{}] });
    for (const [address, channel] of [['+12065558001', 'sms'], ['yes@example.com', 'email']] as const)
      env.core.consent.record({ address, channel, purpose: 'marketing', status: 'opt-in', source: 'campaign-signup' });
    return { yes: yes.clientId, no: no.clientId };
  };

  const sendAndSettle = async (input: CampaignInput) => {
    const c = env.h['campaigns.create'](input);
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    return c.id;
  };

  it('marketing needs a standing marketing opt-in; it waits for opening hours and ranks below health and appointments', async () => {
    const { yes, no } = setup();
    const count = await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' });
    expect(count.recipients).toBe(1);
    expect(count.suppressed.byReason['no-marketing-consent']).toBe(1);
    const id = await sendAndSettle(promo('Dental'));
    const rows = env.messages(id);
    expect(rows.map((r) => r.client_id)).toEqual([yes, yes]);
    expect(rows.every((r) => r.kind === 'marketing' && r.priority === 4)).toBe(true);
    // Marketing texts always carry the opt-out sentence.
    expect(rows.find((r) => r.channel === 'sms')!.body).toMatch(/Reply STOP to opt out/);
    expect(rows.some((r) => r.client_id === no)).toBe(false);
  });

  it('at most twice in 30 days per client by default: the third campaign suppresses her, a month later she is back', async () => {
    const { yes } = setup();
    await sendAndSettle(promo('One'));
    env.clock.advance(5 * DAY);
    await sendAndSettle(promo('Two'));
    env.clock.advance(5 * DAY);
    const third = await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' });
    expect(third.recipients).toBe(0);
    expect(third.suppressed.byReason['marketing-cap']).toBe(1);
    const id3 = await sendAndSettle(promo('Three'));
    expect(env.messages(id3)).toHaveLength(0);

    // A campaign's own messages never count against itself (a resumed enqueue after a crash).
    const again = await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both', campaignId: 1 });
    expect(again.suppressed.byReason['marketing-cap']).toBe(0);

    env.clock.advance(21 * DAY); // the first send is now 31 days old
    const later = await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' });
    expect(later.recipients).toBe(1);
    expect(yes).toBeGreaterThan(0);
  });

  it('staff record marketing consent on the client screen; it opens marketing on that channel only, and an opt-out still wins', async () => {
    env = campaignEnv('2026-12-01T18:00:00.000Z');
    const h = env.f.household({ firstName: 'Agrees', cell: '+12065558201', email: 'agrees@example.com', pets: [{}] });
    const detail = env.core.handlers['clients.get']({ id: h.clientId }) as ClientDetail;
    const cell = detail.contactPoints.find((p) => p.kind === 'phone')!;
    expect(cell).toMatchObject({ optedOut: false, marketing: null });
    const count = () => env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' });
    expect((await count()).recipients).toBe(0);

    const r = env.core.handlers['clients.setMarketingConsent']({ clientId: h.clientId, contactPointId: cell.id, optIn: true, by: 'Maria' }) as ClientDetail;
    expect(r.contactPoints.find((p) => p.id === cell.id)!.marketing).toMatchObject({ optedIn: true, source: 'staff' });
    const c = await count();
    expect(c.recipients).toBe(1);
    expect(c.byChannel).toEqual({ sms: 1, email: 0 });

    // STOP from the owner ends it; recording consent again over an opt-out is refused.
    env.core.consent.record({ address: '+12065558201', channel: 'sms', status: 'opt-out', source: 'keyword' });
    expect((await count()).recipients).toBe(0);
    const again = await env.core.invoke('clients.setMarketingConsent', { clientId: h.clientId, contactPointId: cell.id, optIn: true });
    expect(again).toMatchObject({ ok: false, error: { code: 'consent.opted-out' } });
    // Someone else's contact point is not this client's to consent for.
    const other = env.f.household({ cell: '+12065558202', pets: [{}] });
    const wrong = await env.core.invoke('clients.setMarketingConsent', { clientId: other.clientId, contactPointId: cell.id, optIn: true });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('three campaigns sent at the same moment still reach a client at most twice', async () => {
    const { yes } = setup();
    const ids = ['Promo A', 'Promo B', 'Promo C'].map((n) => env.h['campaigns.create'](promo(n)).id);
    for (const id of ids) env.h['campaigns.send']({ id });
    await Promise.all(ids.map((id) => env.campaigns.settle(id)));
    const reached = ids.filter((id) => env.messages(id).some((r) => r.client_id === yes));
    expect(reached).toHaveLength(2);
  });

  it('counts per number and mailbox too: a household sharing a capped number does not make it a third text', async () => {
    env = campaignEnv('2026-12-01T18:00:00.000Z');
    const first = env.f.household({ firstName: 'First', cell: '+12065558101', email: null, pets: [{}] });
    const second = env.f.household({ firstName: 'Second', cell: '+12065558101', email: null, pets: [{}] });
    env.core.consent.record({ address: '+12065558101', channel: 'sms', purpose: 'marketing', status: 'opt-in', source: 'campaign-signup' });
    for (const n of ['One', 'Two']) {
      const id = await sendAndSettle(promo(n));
      expect(env.messages(id).map((r) => r.client_id)).toEqual([first.clientId]);
    }
    const third = await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' });
    expect(third.recipients).toBe(0);
    expect(third.suppressed.byReason['marketing-cap']).toBe(2);
    const id3 = await sendAndSettle(promo('Three'));
    expect(env.messages(id3).some((r) => r.client_id === second.clientId)).toBe(false);
  });

  it('a cancelled marketing campaign does not count; the cap is a clinic setting', async () => {
    setup();
    const a = env.h['campaigns.create'](promo('Cancelled'));
    env.h['campaigns.send']({ id: a.id });
    await env.campaigns.settle(a.id);
    env.h['campaigns.cancel']({ id: a.id });
    await sendAndSettle(promo('Sent'));
    expect((await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' })).recipients).toBe(1);
    env.core.settings.setDoc('campaigns.marketingCap', 1);
    expect((await env.h['campaigns.count']({ kind: 'marketing', audience: {}, delivery: 'both' })).suppressed.byReason['marketing-cap']).toBe(1);
  });

  it('alerts bypass the caps (still honouring opt-outs)', async () => {
    setup();
    await sendAndSettle(promo('One'));
    await sendAndSettle(promo('Two'));
    const alert = await env.h['campaigns.count']({ kind: 'alert', audience: {}, delivery: 'both' });
    expect(alert.recipients).toBe(2);
    expect(alert.suppressed.byReason['marketing-cap']).toBe(0);
    env.core.consent.record({ address: '+12065558002', channel: 'sms', status: 'opt-out', source: 'keyword' });
    env.core.consent.record({ address: 'no@example.com', channel: 'email', status: 'opt-out', source: 'staff' });
    const after = await env.h['campaigns.count']({ kind: 'alert', audience: {}, delivery: 'both' });
    expect(after.recipients).toBe(1);
    expect(after.suppressed.byReason['opted-out']).toBe(1);
  });

  it('health campaigns go out as health reminders (priority 3, opening hours)', async () => {
    setup();
    const id = await sendAndSettle(alertInput({ kind: 'health' }));
    const rows = env.messages(id);
    expect(rows.length).toBe(4);
    expect(rows.every((r) => r.kind === 'reminder' && r.priority === 3)).toBe(true);
  });
});
