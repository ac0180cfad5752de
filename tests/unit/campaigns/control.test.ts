import { afterEach, describe, expect, it } from 'vitest';
import { createCampaigns } from '../../../src-main/core/campaigns';
import { HOLD_REASON } from '../../../src-main/core/campaigns/hold';
import { alertInput, campaignEnv } from './helpers';

describe('pause, resume, cancel', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });

  const started = async (n = 5) => {
    env = campaignEnv();
    for (let i = 0; i < n; i++) env.f.household({ pets: [{}] });
    const c = env.h['campaigns.create'](alertInput());
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    return c.id;
  };

  it('pause holds every queued message where the dispatcher will not pick it; resume lets them go again', async () => {
    const id = await started();
    // One message is already with the provider when the manager pauses.
    const first = env.messages(id)[0]!;
    expect(env.core.outbox.transition(first.id, 'queued', 'sending')).toBe(true);
    const paused = env.h['campaigns.pause']({ id, by: 'Maria' });
    expect(paused.status).toBe('paused');
    const rows = env.messages(id);
    const held = rows.filter((r) => r.status === 'waiting');
    expect(held).toHaveLength(9);
    expect(held.every((r) => r.wait_reason === HOLD_REASON && r.next_attempt_at! > '9000')).toBe(true);
    expect(rows.find((r) => r.id === first.id)!.status).toBe('sending');
    expect(paused.progress.held).toBe(9);

    // What the dispatcher selects (queue-store's due query) finds nothing of this campaign.
    const now = env.clock.now().toISOString();
    const due = env.core.db
      .prepare<[string, string, number], { n: number }>(
        "SELECT COUNT(*) n FROM messages WHERE status IN ('queued','waiting') AND not_before <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND campaign_id = ?",
      )
      .get(now, now, id)!.n;
    expect(due).toBe(0);
    // A second pause is harmless.
    expect(env.h['campaigns.pause']({ id }).status).toBe('paused');

    const resumed = env.h['campaigns.resume']({ id });
    expect(resumed.status).toBe('sending');
    const after = env.messages(id);
    expect(after.filter((r) => r.status === 'queued')).toHaveLength(9);
    expect(after.every((r) => r.next_attempt_at === null && r.wait_reason === null)).toBe(true);
    expect(resumed.log.map((l) => l.action)).toEqual(['created', 'started', 'enqueued', 'paused', 'resumed']);
  });

  it('cancel withdraws what has not gone out, keeps what has, and nothing is written after it', async () => {
    const id = await started();
    const [a, b] = env.messages(id);
    env.core.outbox.transition(a!.id, 'queued', 'sending');
    env.core.outbox.transition(a!.id, 'sending', 'sent');
    env.core.outbox.transition(b!.id, 'queued', 'sending');
    const c = env.h['campaigns.cancel']({ id, by: 'Maria' });
    expect(c.status).toBe('cancelled');
    const rows = env.messages(id);
    expect(rows.filter((r) => r.status === 'cancelled')).toHaveLength(8);
    expect(rows.find((r) => r.id === a!.id)!.status).toBe('sent');
    expect(rows.find((r) => r.id === b!.id)!.status).toBe('sending');
    expect(c.progress.stopped).toBe(8);
    expect(() => env.h['campaigns.resume']({ id })).toThrow(/paused/);
    // Sending it again is refused; a second cancel changes nothing.
    expect(() => env.h['campaigns.send']({ id })).toThrow(/cancelled/);
    expect(env.h['campaigns.cancel']({ id }).status).toBe('cancelled');
  });

  it('a paused campaign can be cancelled, held messages included', async () => {
    const id = await started(3);
    env.h['campaigns.pause']({ id });
    env.h['campaigns.cancel']({ id });
    expect(env.messages(id).every((r) => r.status === 'cancelled')).toBe(true);
    // Nothing went out, so nothing is spent.
    expect(env.h['campaigns.progress']({ id }).estCost).toBe(0);
  });

  it('pausing or cancelling while the enqueue is still running: later chunks are held, or never written', async () => {
    env = campaignEnv();
    for (let i = 0; i < 12; i++) env.f.household({ pets: [{}] });
    // Chunks of 3 clients; act after the first one is committed.
    let act: (() => void) | null = null;
    const campaigns2 = createCampaigns(env.core, {}, { chunk: 3, afterChunk: (_id, n) => n === 0 && act?.() });
    const h = campaigns2.handlers;

    const p = h['campaigns.create'](alertInput({ name: 'Paused mid-way' }));
    act = () => h['campaigns.pause']({ id: p.id });
    h['campaigns.send']({ id: p.id });
    await campaigns2.settle(p.id);
    const pr = env.messages(p.id);
    expect(pr).toHaveLength(24);
    expect(pr.every((r) => r.status === 'waiting' && r.wait_reason === HOLD_REASON)).toBe(true);

    const c = h['campaigns.create'](alertInput({ name: 'Cancelled mid-way' }));
    act = () => h['campaigns.cancel']({ id: c.id });
    h['campaigns.send']({ id: c.id });
    await campaigns2.settle(c.id);
    const cr = env.messages(c.id);
    expect(cr).toHaveLength(6); // the first chunk only
    expect(cr.every((r) => r.status === 'cancelled')).toBe(true);
    await campaigns2.service.stop();
  });

  it('as the app runs it (pages rendered while the writer thread inserts): a pause or cancel mid-way holds, or stops, every later row', async () => {
    // No fixed chunks: pages adapt to their budget and the writer thread commits on its own clock
    // while pages keep coming (both short here, so that there is a "mid-way" to act in).
    env = campaignEnv('2026-12-01T18:00:00.000Z', { chunk: undefined, chunkBudgetMs: 1, writerTxMs: 1 });
    const N = 2500;
    env.core.db.transaction(() => {
      for (let i = 0; i < N; i++) env.f.household({ cell: `+1425555${String(i).padStart(4, '0')}`, email: `owner${i}@example.com`, pets: [{}] });
    })();
    const h = env.h;
    const count = (id: number) => env.core.db.prepare<[number], number>('SELECT COUNT(*) FROM messages WHERE campaign_id = ?').pluck().get(id)!;
    const firstCommit = async (id: number) => {
      while (count(id) === 0) await new Promise((r) => setImmediate(r));
      return count(id);
    };

    const p = h['campaigns.create'](alertInput({ name: 'Paused mid-way' }));
    h['campaigns.send']({ id: p.id });
    const atPause = await firstCommit(p.id);
    h['campaigns.pause']({ id: p.id });
    await env.campaigns.settle(p.id);
    const pr = env.messages(p.id);
    expect(atPause).toBeLessThan(2 * N);
    expect(pr).toHaveLength(2 * N);
    expect(pr.filter((r) => r.status !== 'waiting' || r.wait_reason !== HOLD_REASON)).toEqual([]);

    const c = h['campaigns.create'](alertInput({ name: 'Cancelled mid-way' }));
    h['campaigns.send']({ id: c.id });
    const atCancel = await firstCommit(c.id);
    h['campaigns.cancel']({ id: c.id });
    await env.campaigns.settle(c.id);
    const cr = env.messages(c.id);
    expect(atCancel).toBeLessThan(2 * N);
    // What was written before the cancel was withdrawn with it; nothing was written after.
    expect(cr.length).toBeLessThan(2 * N);
    expect(cr.filter((r) => r.status !== 'cancelled')).toEqual([]);
    expect(new Set(cr.map((r) => r.dedupe_key)).size).toBe(cr.length);
  });

  it('a draft cannot be paused; only drafts can be deleted', async () => {
    env = campaignEnv();
    const c = env.h['campaigns.create'](alertInput());
    expect(() => env.h['campaigns.pause']({ id: c.id })).toThrow(/Only a campaign that is sending/);
    expect(env.h['campaigns.delete']({ id: c.id }).deleted).toBe(true);
    expect(() => env.h['campaigns.get']({ id: c.id })).toThrow(/no longer exists/);
  });
});
