import { afterEach, describe, expect, it } from 'vitest';
import { createQueueStore } from '../../../src-main/core/messaging/queue-store';
import { createRetryPolicy } from '../../../src-main/core/messaging/retry-policy';
import { applyStatusUpdates } from '../../../src-main/core/messaging/status-poller';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { countByStatus, openDesk, phone, sms, statusOf, until, type Desk } from './helpers';

let sim: TwilioSim | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await sim?.close();
  desk = sim = undefined;
});

const flags = (d: Desk, address: string) =>
  d.core.db.prepare<[string], { flag: string }>('SELECT flag FROM address_flags WHERE address = ? ORDER BY flag').all(address).map((r) => r.flag);

describe('status polling from Twilio’s Messages list', () => {
  it('records delivered / undelivered / failed with codes, paging through the list', async () => {
    sim = await startTwilioSim({ delays: { sentMs: 5, deliveredMs: 10 } });
    sim.failDelivery(phone(2), 30005);
    sim.failDelivery(phone(3), 30006);
    sim.failDelivery(phone(4), 30007);
    sim.failDelivery(phone(6), 30008, 'failed');
    desk = await openDesk({ sim, outbox: { statusPollMs: 40, statusPageSize: 7 } });
    const ids = desk.core.outbox.enqueue([
      ...[1, 2, 3, 4, 6].map((i) => sms(phone(i), `Check ${i}`)),
      ...Array.from({ length: 30 }, (_, i) => sms(phone(100 + i), `Filler ${i}`)),
    ]).ids;
    await until(() => ids.every((id) => !['queued', 'waiting', 'sending', 'sent'].includes(statusOf(desk!.core, id))), 'all final', 1000);
    const get = (i: number) => desk!.core.outbox.get(ids[[1, 2, 3, 4, 6].indexOf(i)]!)!;
    expect(get(1)).toMatchObject({ status: 'delivered', error_code: null });
    expect(get(2)).toMatchObject({ status: 'undelivered', error_code: '30005' });
    expect(get(3)).toMatchObject({ status: 'undelivered', error_code: '30006' });
    expect(get(4)).toMatchObject({ status: 'undelivered', error_code: '30007' });
    expect(get(6)).toMatchObject({ status: 'failed', error_code: '30008' });
    expect(get(4).error_message).toMatch(/filtered/);
    expect(countByStatus(desk.core).delivered).toBe(31);
    expect(flags(desk, phone(1))).toEqual(['sms-ok']);
    expect(flags(desk, phone(2))).toEqual(['invalid']);
    expect(flags(desk, phone(3))).toEqual(['not-mobile']);
    expect(flags(desk, phone(4))).toEqual([]);
    // No blind retry for these.
    for (const i of [2, 3, 4, 6]) expect(sim.countByTo(phone(i))).toBe(1);
    expect(get(1).final_at).not.toBeNull();
  });

  it('30003 (handset unreachable) is sent once more later, then recorded as undelivered', async () => {
    sim = await startTwilioSim({ delays: { sentMs: 5, deliveredMs: 10 } });
    sim.failDelivery(phone(5), 30003);
    desk = await openDesk({ sim, outbox: { statusPollMs: 40 } });
    const [id] = desk.core.outbox.enqueue([sms(phone(5), 'Are you there?')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'undelivered', 'undelivered', 1000);
    const r = desk.core.outbox.get(id!)!;
    expect(r.delivery_retries).toBe(1);
    expect(r.error_code).toBe('30003');
    expect(sim.countByTo(phone(5))).toBe(2);
    expect(r.provider_id).toBe(sim.outbound().at(-1)!.sid);
  });

  it('a final status never moves back', async () => {
    sim = await startTwilioSim({ delays: { sentMs: 5, deliveredMs: 10 } });
    desk = await openDesk({ sim, outbox: { statusPollMs: 40 } });
    const [id] = desk.core.outbox.enqueue([sms(phone(7), 'Delivered once')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'delivered', 'delivered');
    const row = desk.core.outbox.get(id!)!;
    const store = createQueueStore(desk.core.db);
    const changed = applyStatusUpdates(
      store,
      [
        { row: { ...row, status: 'sent' }, twilio: { sid: row.provider_id!, status: 'undelivered', errorCode: 30003 } },
        { row: { ...row, status: 'sent' }, twilio: { sid: row.provider_id!, status: 'failed', errorCode: 30008 } },
      ],
      new Date(),
      createRetryPolicy(),
    );
    expect(changed).toEqual([]);
    expect(desk.core.outbox.get(id!)).toMatchObject({ status: 'delivered', error_code: null, delivery_retries: 0 });
  });
});
