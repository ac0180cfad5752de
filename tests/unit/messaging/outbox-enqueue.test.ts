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

  it('estimates the cost per message from the price per segment in the Twilio settings', async () => {
    await t.core.invoke('settings.saveTwilio', { ...TWILIO, pricePerSegment: 0.01 });
    t.core.outbox.enqueue([draft('Your pet is due for a dental check. '.repeat(10))]);
    expect(t.core.db.prepare('SELECT segments, est_cost FROM messages').get()).toEqual({ segments: 3, est_cost: 0.03 });
  });
});
