import { afterEach, describe, expect, it } from 'vitest';
import { alertInput, campaignEnv } from './helpers';

describe('campaign send', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });

  it('queues one SMS and one email per reachable client, with the dedupe key campaign:<id>:<client>:<channel>', async () => {
    // Tuesday 2026-12-01 10:00 in Seattle: inside quiet hours.
    env = campaignEnv('2026-12-01T18:00:00.000Z');
    const a = env.f.household({ firstName: 'Dana', pets: [{ name: 'Max' }] });
    const b = env.f.household({ firstName: 'Luc', language: 'fr', email: null, pets: [{ name: 'Minou', species: 'Cat' }] });
    const c = env.h['campaigns.create'](alertInput());
    expect(c.status).toBe('draft');
    const sent = env.h['campaigns.send']({ id: c.id, by: 'Maria' });
    expect(sent.status).toBe('sending');
    await env.campaigns.settle(c.id);
    const rows = env.messages(c.id);
    expect(rows.map((r) => r.dedupe_key).sort()).toEqual(
      [`campaign:${c.id}:${a.clientId}:sms`, `campaign:${c.id}:${a.clientId}:email`, `campaign:${c.id}:${b.clientId}:sms`].sort(),
    );
    const sms = rows.find((r) => r.client_id === a.clientId && r.channel === 'sms')!;
    expect(sms.kind).toBe('alert');
    expect(sms.priority).toBe(0);
    expect(sms.body).toContain('Hi Dana');
    expect(sms.body).toContain('Larkspur Hollow Veterinary Clinic');
    expect(sms.not_before).toBe('2026-12-01T18:00:00.000Z');
    const fr = rows.find((r) => r.client_id === b.clientId)!;
    expect(fr.body).toContain('fermé');
    const mail = rows.find((r) => r.channel === 'email')!;
    expect(mail.subject).toBe('Closed today: Larkspur Hollow Veterinary Clinic');
    expect(mail.body).toContain('Hello Dana');
    expect(env.h['campaigns.get']({ id: c.id }).progress.total).toBe(3);
  });

  it('a double click sends nothing twice', async () => {
    env = campaignEnv();
    for (let i = 0; i < 7; i++) env.f.household({ pets: [{}] });
    const c = env.h['campaigns.create'](alertInput());
    env.h['campaigns.send']({ id: c.id });
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    expect(env.messages(c.id)).toHaveLength(14);
  });
});
