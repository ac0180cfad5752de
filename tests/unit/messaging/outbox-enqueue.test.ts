import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../helpers/core';
import { TWILIO } from '../../helpers/settings-fixtures';

const draft = (body: string, key = 'k:' + body.slice(0, 20)) => ({
  dedupeKey: key,
  channel: 'sms' as const,
  kind: 'reminder' as const,
  to: '+12065551000',
  body,
  notBefore: new Date('2025-03-10T16:00:00Z'),
  createdBy: 'test',
});

describe('outbox.enqueue: SMS body rules and cost', () => {
  const t = testCore();
  afterEach(() => t.core.db.prepare('DELETE FROM messages').run());
  afterAll(() => t.cleanup());

  it('normalises to NFC, counts segments (GSM-7 vs UCS-2) and is idempotent on the dedupe key', () => {
    const { core } = t;
    const r = core.outbox.enqueue([draft('Cafe\u0301 closes at 5'), draft('Cafe\u0301 closes at 5'), draft('Hi 😀', 'emoji')]);
    expect(r).toMatchObject({ inserted: 2, duplicates: 1 });
    const rows = core.db.prepare<[], { body: string; segments: number; encoding: string }>('SELECT body, segments, encoding FROM messages ORDER BY id').all();
    expect(rows[0]).toEqual({ body: 'Caf\u00e9 closes at 5', segments: 1, encoding: 'GSM-7' });
    expect(rows[1]).toMatchObject({ segments: 1, encoding: 'UCS-2' });
  });

  it('refuses a body over 1,600 characters before queueing', () => {
    expect(() => t.core.outbox.enqueue([draft('x'.repeat(1601))])).toThrow(/at most 1600/);
    expect(t.core.db.prepare('SELECT COUNT(*) n FROM messages').get()).toEqual({ n: 0 });
  });

  it('takes the segment analysis a caller already made, and still refuses an empty or too-long text', () => {
    const { core } = t;
    // A renderer that analysed the body passes its result: the outbox does not count again.
    core.outbox.enqueue([{ ...draft('Closed today, call us', 'given'), analysis: { segments: 1, encoding: 'GSM-7' } }], { pricePerSegment: 0.01 });
    expect(core.db.prepare('SELECT segments, encoding, est_cost FROM messages').get()).toEqual({ segments: 1, encoding: 'GSM-7', est_cost: 0.01 });
    expect(() => core.outbox.enqueue([{ ...draft('x'.repeat(1601), 'long'), analysis: { segments: 11, encoding: 'GSM-7' } }])).toThrow(/at most 1600/);
    expect(() => core.outbox.enqueue([{ ...draft('   ', 'blank'), analysis: { segments: 1, encoding: 'GSM-7' } }])).toThrow(/empty/);
    expect(core.db.prepare('SELECT COUNT(*) n FROM messages').get()).toEqual({ n: 1 });
  });

  it('writes no event row for the creation: the history reads it from the message row', async () => {
    const { core } = t;
    const [id] = core.outbox.enqueue([draft('Your reminder', 'history')]).ids;
    expect(core.db.prepare('SELECT COUNT(*) n FROM message_events WHERE message_id = ?').get(id)).toEqual({ n: 0 });
    core.outbox.withdraw({ ids: [id!] }, 'client moved');
    const row = core.outbox.get(id!)!;
    const history = async (i: number) => (await core.handlers['outbox.get']({ id: i })).events;
    expect(await history(id!)).toEqual([
      { at: row.created_at, from: null, to: 'queued', code: null, detail: 'test' },
      { at: expect.any(String), from: 'queued', to: 'withdrawn', code: null, detail: 'client moved' },
    ]);
    // A message queued before (with its creation event stored) keeps that event, once.
    const [old] = core.outbox.enqueue([draft('Older reminder', 'older')]).ids;
    core.db.prepare("INSERT INTO message_events (message_id, at, from_status, to_status, code, detail) VALUES (?, '2025-01-01T00:00:00.000Z', NULL, 'queued', NULL, 'planner')").run(old);
    expect(await history(old!)).toEqual([{ at: '2025-01-01T00:00:00.000Z', from: null, to: 'queued', code: null, detail: 'planner' }]);
  });

  it('estimates the cost per message from the price per segment in the Twilio settings', async () => {
    await t.core.invoke('settings.saveTwilio', { ...TWILIO, pricePerSegment: 0.01 });
    t.core.outbox.enqueue([draft('Your pet is due for a dental check. '.repeat(10))]);
    expect(t.core.db.prepare('SELECT segments, est_cost FROM messages').get()).toEqual({ segments: 3, est_cost: 0.03 });
  });
});
