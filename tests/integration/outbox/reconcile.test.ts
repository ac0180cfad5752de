import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { RebasedRequestClient } from '../../../src-main/core/messaging/channels/twilio-http';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { FROM, openDesk, phone, sms, statusOf, until, type Desk } from './helpers';

let sim: TwilioSim | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await sim?.close();
  desk = sim = undefined;
});

/** What a process killed right after its claim leaves behind. */
function leaveSending(d: Desk, id: number, claimedAt: Date) {
  d.core.db
    .prepare("UPDATE messages SET status = 'sending', claim_id = 'dead-run:1', claimed_at = ?, attempts = attempts + 1, sent_from = ? WHERE id = ?")
    .run(claimedAt.toISOString(), FROM, id);
}

function client(s: TwilioSim) {
  const httpClient = new RebasedRequestClient({ baseUrl: s.url, timeout: 5_000 });
  return twilio(s.account.sid, s.account.authToken, { accountSid: s.account.sid, httpClient });
}

describe('reconciling sends interrupted by a crash', () => {
  it('a claimed text that reached Twilio is adopted with its sid; one that did not is sent again', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, start: false });
    const [reached, lost] = desk.core.outbox.enqueue([sms(phone(1), 'Reached Twilio'), sms(phone(2), 'Never left')]).ids;
    const claimedAt = new Date(Date.now() - 2000);
    leaveSending(desk, reached!, claimedAt);
    leaveSending(desk, lost!, claimedAt);
    // The dead process's request for the first one made it.
    const m = await client(sim).messages.create({ to: phone(1), from: FROM, body: 'Reached Twilio' });

    desk.core.start();
    await until(() => statusOf(desk!.core, reached!) === 'sent' && statusOf(desk!.core, lost!) === 'sent', 'both settled');
    expect(desk.core.outbox.get(reached!)!.provider_id).toBe(m.sid);
    expect(sim.countByBody('Reached Twilio')).toBe(1);
    expect(sim.countByBody('Never left')).toBe(1);
    const detail = (id: number) => desk!.core.db.prepare<[number], { detail: string }>('SELECT detail FROM message_events WHERE message_id = ? ORDER BY id').all(id).map((e) => e.detail);
    expect(detail(reached!)).toContain(`found at Twilio after an interrupted send: ${m.sid}`);
    expect(detail(lost!)).toContain('not found at Twilio after an interrupted send: sending again');
    // The interrupted claim does not count as an attempt.
    expect(desk.core.outbox.get(lost!)!.attempts).toBe(1);
  });

  it('two identical texts to one number in flight: each gets its own Twilio message, the missing one is sent', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, start: false });
    const ids = desk.core.outbox.enqueue([sms(phone(3), 'Same words', { dedupeKey: 'twin:1' }), sms(phone(3), 'Same words', { dedupeKey: 'twin:2' })]).ids;
    const t = new Date(Date.now() - 1000);
    for (const id of ids) leaveSending(desk, id, t);
    await client(sim).messages.create({ to: phone(3), from: FROM, body: 'Same words' });
    desk.core.start();
    await until(() => ids.every((id) => statusOf(desk!.core, id) === 'sent'), 'both sent');
    expect(sim.countByBody('Same words')).toBe(2);
    const sids = ids.map((id) => desk!.core.outbox.get(id)!.provider_id);
    expect(new Set(sids).size).toBe(2);
  });

  it('never adopts a Twilio message another row already owns, nor one created before the claim', async () => {
    let lag = 0;
    sim = await startTwilioSim({ now: () => Date.now() - lag });
    desk = await openDesk({ sim, start: false });
    const [owner, twin, late] = desk.core.outbox.enqueue([
      sms(phone(4), 'Weekly reminder', { dedupeKey: 'week:1' }),
      sms(phone(4), 'Weekly reminder', { dedupeKey: 'week:2' }),
      sms(phone(5), 'Old words'),
    ]).ids;
    const c = client(sim);
    const s1 = await c.messages.create({ to: phone(4), from: FROM, body: 'Weekly reminder' });
    desk.core.db.prepare("UPDATE messages SET status = 'sent', provider_id = ?, sent_at = ? WHERE id = ?").run(s1.sid, new Date().toISOString(), owner!);
    lag = 10 * 60_000; // someone sent the same words from the Twilio console ten minutes ago
    await c.messages.create({ to: phone(5), from: FROM, body: 'Old words' });
    lag = 0;
    leaveSending(desk, twin!, new Date());
    leaveSending(desk, late!, new Date());
    desk.core.start();
    await until(() => statusOf(desk!.core, twin!) === 'sent' && statusOf(desk!.core, late!) === 'sent', 'both sent');
    expect(sim.countByBody('Weekly reminder')).toBe(2);
    expect(sim.countByBody('Old words')).toBe(2);
    expect(desk.core.outbox.get(twin!)!.provider_id).not.toBe(s1.sid);
  });

  it('waits for the grace period before looking, so a request still on its way is not missed', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, start: false, outbox: { reconcileGraceMs: 600 } });
    const [id] = desk.core.outbox.enqueue([sms(phone(6), 'Still landing')]).ids;
    leaveSending(desk, id!, new Date());
    desk.core.start();
    // The dead process's request lands a moment after the restart.
    await new Promise((r) => setTimeout(r, 200));
    expect(statusOf(desk.core, id!)).toBe('sending');
    await client(sim).messages.create({ to: phone(6), from: FROM, body: 'Still landing' });
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent');
    expect(sim.countByBody('Still landing')).toBe(1);
  });

  it('blocks other texts to the same number until the interrupted one is settled', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, start: false, outbox: { reconcileGraceMs: 400 } });
    const [stuck, next, other] = desk.core.outbox.enqueue([sms(phone(7), 'First'), sms(phone(7), 'Second'), sms(phone(8), 'Elsewhere')]).ids;
    leaveSending(desk, stuck!, new Date());
    desk.core.start();
    await until(() => statusOf(desk!.core, other!) === 'sent', 'other number not blocked');
    expect(statusOf(desk.core, next!)).toBe('queued');
    await until(() => statusOf(desk!.core, next!) === 'sent', 'sent after settling');
    expect(sim.outbound().filter((m) => m.to === phone(7)).map((m) => m.body)).toEqual(['First', 'Second']);
  });
});
