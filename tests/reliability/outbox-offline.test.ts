import { afterAll, describe, expect, it } from 'vitest';
import { startTwilioSim, type TwilioSim } from '../doubles/twilio-sim';
import { countByStatus, openDesk, sms, until, type Desk } from '../integration/outbox/helpers';

const N = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the simulator goes offline for a stretch during a send', () => {
  let sim: TwilioSim;
  let desk: Desk;
  afterAll(async () => {
    await desk?.cleanup();
    await sim?.close();
  });

  it('nothing fails, everything arrives exactly once after it returns', async () => {
    sim = await startTwilioSim({ delays: { sentMs: 5, deliveredMs: 5 } });
    sim.setLatency(2);
    desk = await openDesk({ sim, outbox: { concurrency: { sms: 8 }, probeMs: 100 } });
    desk.core.outbox.enqueue(Array.from({ length: N }, (_, i) => sms(`+1206555${String(1000 + (i % 300)).padStart(4, '0')}`, `Stretch #${i}`)));
    await until(() => sim.stats.created >= 150, 'sending under way');
    // First connections reset mid-request (answers lost), then nothing answers at all.
    await sim.setOffline(true, 'reset');
    await sleep(700);
    await sim.setOffline(true, 'refuse');
    await until(() => countByStatus(desk.core).waiting, 'messages waiting');
    const midway = countByStatus(desk.core);
    await sleep(700);
    expect(countByStatus(desk.core).sent ?? 0).toBe(midway.sent ?? 0);
    const reason = desk.core.db.prepare<[], { r: string }>("SELECT DISTINCT wait_reason r FROM messages WHERE status = 'waiting'").all();
    expect(reason).toEqual([{ r: 'offline' }]);
    await sim.setOffline(false);
    await until(() => countByStatus(desk.core).sent === N, 'all sent', 3000);

    const counts = countByStatus(desk.core);
    expect(counts).toEqual({ sent: N });
    const seen = new Map<string, number>();
    for (const m of sim.outbound()) seen.set(m.body, (seen.get(m.body) ?? 0) + 1);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    expect(seen.size).toBe(N);
  });
});
