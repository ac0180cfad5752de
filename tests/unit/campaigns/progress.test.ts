import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../../../src-main/contract';
import { campaignTagReader } from '../../../src-main/core/campaigns/reply-tag';
import { alertInput, campaignEnv } from './helpers';

describe('live progress, replies, finishing', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });

  const inbound = (from: string, at: string, body = 'ok thanks') => {
    const db = env.core.db;
    const existing = db.prepare<[string], { id: number }>('SELECT id FROM conversations WHERE address = ?').get(from);
    const id =
      existing?.id ??
      Number(
        db.prepare("INSERT INTO conversations (address, client_id, match, last_message_at, created_at, updated_at) VALUES (?, NULL, 'unknown', ?, ?, ?)").run(from, at, at, at)
          .lastInsertRowid,
      );
    db.prepare("INSERT INTO inbound_messages (twilio_sid, conversation_id, from_address, to_address, body, received_at, created_at) VALUES (?, ?, ?, '+12065550100', ?, ?, ?)").run(
      `SM${Math.random().toString(16).slice(2)}`,
      id,
      from,
      body,
      at,
      at,
    );
    return id;
  };

  it('counts queued / sent / delivered / failed and replies, pushes progress events, and finishes at 100%', async () => {
    env = campaignEnv('2026-12-01T18:00:00.000Z', { tickMs: 10 });
    const a = env.f.household({ cell: '+12065556001', pets: [{}] });
    env.f.household({ cell: '+12065556002', pets: [{}] });
    env.f.household({ cell: '+12065556003', email: null, pets: [{}] });
    const pushed: CampaignProgress[] = [];
    const statuses: string[] = [];
    env.core.events.on('campaigns.progress', (p) => pushed.push(p));
    env.core.events.on('campaigns.changed', (c) => statuses.push(c.status));
    const c = env.h['campaigns.create'](alertInput());
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    env.campaigns.tick();
    let p = env.h['campaigns.progress']({ id: c.id });
    expect(p).toMatchObject({ total: 5, queued: 5, done: 0, percent: 0, replies: 0 });
    expect(p.byChannel.sms.total).toBe(3);
    expect(p.estCost).toBeCloseTo(3 * 0.0083, 6);

    // A reply that came before the campaign is not one of its replies.
    inbound('+12065556001', '2026-12-01T17:00:00.000Z');
    const rows = env.messages(c.id);
    const ob = env.core.outbox;
    const at = '2026-12-01T18:00:05.000Z';
    for (const r of rows) {
      ob.transition(r.id, 'queued', 'sending');
      if (r.to_address === '+12065556003') ob.transition(r.id, 'sending', 'failed', { error_code: '30006', final_at: at });
      else ob.transition(r.id, 'sending', 'sent', { sent_at: at });
    }
    const smsA = rows.find((r) => r.client_id === a.clientId && r.channel === 'sms')!;
    ob.transition(smsA.id, 'sent', 'delivered', { final_at: at });
    const conv = inbound('+12065556001', '2026-12-01T18:03:00.000Z', 'Thanks for letting us know');
    inbound('+12065556001', '2026-12-01T18:04:00.000Z', 'See you Thursday');
    inbound('+12065559999', '2026-12-01T18:04:00.000Z', 'who is this');

    p = env.h['campaigns.progress']({ id: c.id });
    expect(p).toMatchObject({ total: 5, queued: 0, sent: 3, delivered: 1, failed: 1, done: 5, percent: 100, replies: 2 });
    expect(env.h['campaigns.replies']({ id: c.id })).toEqual([
      { conversationId: conv, address: '+12065556001', receivedAt: '2026-12-01T18:04:00.000Z' },
      { conversationId: conv, address: '+12065556001', receivedAt: '2026-12-01T18:03:00.000Z' },
    ]);

    // A later text from the clinic to that number (a staff reply) takes over the thread's next replies.
    env.core.outbox.enqueue([{ dedupeKey: 'staff:1', channel: 'sms', kind: 'reply', clientId: a.clientId, to: '+12065556001', body: 'See you then', notBefore: new Date(), createdBy: 'staff:Maria' }]);
    const staff = env.core.outbox.byDedupeKey('staff:1')!;
    ob.transition(staff.id, 'queued', 'sending');
    ob.transition(staff.id, 'sending', 'sent', { sent_at: '2026-12-01T18:10:00.000Z' });
    inbound('+12065556001', '2026-12-01T18:11:00.000Z', 'great');
    expect(env.h['campaigns.progress']({ id: c.id }).replies).toBe(2);
    // The tag the inbox shows on a thread follows the same rule.
    const tag = campaignTagReader(env.core.db);
    expect(tag('+12065556001', '2026-12-01T18:03:00.000Z')).toEqual({ id: c.id, name: 'Storm closure' });
    expect(tag('+12065556001', '2026-12-01T18:11:00.000Z')).toBeNull();
    expect(tag('+12065556001', '2026-12-01T17:00:00.000Z')).toBeNull();

    env.campaigns.service.start();
    for (let i = 0; i < 100 && env.campaigns.store.row(c.id).status !== 'finished'; i++) await new Promise((r) => setTimeout(r, 10));
    const done = env.h['campaigns.get']({ id: c.id });
    expect(done.status).toBe('finished');
    expect(done.finishedAt).not.toBeNull();
    expect(statuses).toEqual(['draft', 'sending', 'finished']);
    expect(pushed.at(-1)).toMatchObject({ campaignId: c.id, status: 'finished', percent: 100 });
    // Delivery reports that come in after it finished still reach the screen.
    const smsB = rows.find((r) => r.client_id !== a.clientId && r.channel === 'sms' && r.to_address !== '+12065556003')!;
    ob.transition(smsB.id, 'sent', 'delivered', { final_at: at });
    for (let i = 0; i < 100 && pushed.at(-1)?.delivered !== 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pushed.at(-1)).toMatchObject({ campaignId: c.id, status: 'finished', delivered: 2 });
    const list = env.h['campaigns.list']();
    expect(list[0]).toMatchObject({ id: c.id, status: 'finished', progress: { delivered: 2, failed: 1, replies: 2 } });
  });

  it('an empty audience finishes at once; the list orders sending, scheduled, drafts, then finished', async () => {
    env = campaignEnv('2026-12-01T18:00:00.000Z', { tickMs: 10 });
    env.f.household({ pets: [{}] });
    const empty = env.h['campaigns.create'](alertInput({ name: 'Nobody', audience: { cities: ['Atlantis'] } }));
    env.h['campaigns.send']({ id: empty.id });
    await env.campaigns.settle(empty.id);
    env.campaigns.tick();
    expect(env.h['campaigns.get']({ id: empty.id })).toMatchObject({ status: 'finished', progress: { total: 0, percent: 100 } });
    const draft = env.h['campaigns.create'](alertInput({ name: 'Draft' }));
    const sched = env.h['campaigns.create'](alertInput({ name: 'Later' }));
    env.h['campaigns.schedule']({ id: sched.id, at: '2026-12-05T10:00' });
    const live = env.h['campaigns.create'](alertInput({ name: 'Live' }));
    env.h['campaigns.send']({ id: live.id });
    await env.campaigns.settle(live.id);
    expect(env.h['campaigns.list']().map((c) => c.name)).toEqual(['Live', 'Later', 'Draft', 'Nobody']);
    expect(draft.status).toBe('draft');
  });
});
