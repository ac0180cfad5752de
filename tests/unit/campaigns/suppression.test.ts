import { afterEach, describe, expect, it } from 'vitest';
import { alertInput, campaignEnv } from './helpers';

describe('suppressed counts with reasons', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });

  it('counts each matched household once, under the first reason that applies, and recipients by channel', async () => {
    env = campaignEnv();
    const { f, core } = env;
    f.household({ firstName: 'Both', pets: [{}] }); // sms + email
    f.household({ firstName: 'SmsOnly', email: null, pets: [{}] }); // sms
    f.household({ firstName: 'Inactive', active: false, pets: [{}] });
    f.household({ firstName: 'Gone', pets: [{ deceased: true }, { deceased: true }] });
    f.household({ firstName: 'NoPets', pets: [] }); // a client without pets is not "deceased-only"
    const stop = f.household({ firstName: 'Stop', cell: '+12065559001', email: null, pets: [{}] });
    core.consent.record({ address: '+12065559001', channel: 'sms', status: 'opt-out', source: 'keyword' });
    f.household({ firstName: 'PimsNoSms', noSms: true, email: null, pets: [{}] });
    f.household({ firstName: 'Nothing', cell: null, email: null, pets: [{}] });
    f.household({ firstName: 'Landline', cell: null, home: '+12065559002', email: null, pets: [{}] });
    const halfOut = f.household({ firstName: 'MailOut', email: 'out@example.com', pets: [{}] }); // reached by sms, email opted out
    core.consent.record({ address: 'out@example.com', channel: 'email', status: 'opt-out', source: 'unsubscribe-link' });
    f.household({ firstName: 'Shared1', cell: '+12065559003', email: null, pets: [{}] });
    f.household({ firstName: 'Shared2', cell: '+12065559003', email: null, pets: [{}] });

    const c = await env.h['campaigns.count']({ kind: 'alert', audience: {}, delivery: 'both' });
    expect(c.matched).toBe(12);
    expect(c.suppressed.byReason).toEqual({
      inactive: 1,
      'deceased-only': 1,
      'opted-out': 2,
      'no-channel': 2,
      'no-marketing-consent': 0,
      'marketing-cap': 0,
      'shared-address': 1,
    });
    expect(c.suppressed.total).toBe(7);
    expect(c.recipients).toBe(5);
    expect(c.byChannel).toEqual({ sms: 5, email: 2 });
    expect(c.channelGaps.email).toEqual({ 'no-email': 2, 'email-opted-out': 1 });
    expect(c.channelGaps.sms).toEqual({});

    // The preview says why a chosen client gets nothing.
    const p = await env.h['campaigns.preview']({ ...alertInput(), clientId: stop.clientId });
    expect(p.smsBlocked).toMatch(/opted out/i);
    const q = await env.h['campaigns.preview']({ ...alertInput(), clientId: halfOut.clientId });
    expect(q.sms).not.toBeNull();
    expect(q.emailBlocked).toMatch(/opted out of email/i);
  });

  it('sms-else-email reaches the owners without a cell by email, and nobody twice', async () => {
    env = campaignEnv();
    env.f.household({ firstName: 'Cell', pets: [{}] });
    env.f.household({ firstName: 'MailOnly', cell: null, pets: [{}] });
    const c = await env.h['campaigns.count']({ kind: 'alert', audience: {}, delivery: 'sms-else-email' });
    expect(c.byChannel).toEqual({ sms: 1, email: 1 });
    expect(c.recipients).toBe(2);
  });

  it('the snapshot taken when the campaign starts keeps the counts beside its figures', async () => {
    env = campaignEnv();
    env.f.household({ pets: [{}] });
    env.f.household({ active: false, pets: [{}] });
    const c = env.h['campaigns.create'](alertInput());
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    const d = env.h['campaigns.get']({ id: c.id });
    expect(d.snapshot?.recipients).toBe(1);
    expect(d.snapshot?.suppressed.byReason.inactive).toBe(1);
  });
});
