import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelStatus } from '../../../src-main/contract';
import { startSmtpServer, type SmtpDouble } from '../../doubles/smtp';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { countByStatus, email, openDesk, phone, sms, until, type Desk } from './helpers';

let sim: TwilioSim | undefined;
let smtp: SmtpDouble | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await sim?.close();
  await smtp?.close();
  desk = sim = smtp = undefined;
});

describe('offline: messages wait, then drain in priority order', () => {
  it('Twilio unreachable: texts wait as "offline", the frame says so, and recovery drains them by priority', async () => {
    sim = await startTwilioSim();
    await sim.setOffline(true);
    const seen: ChannelStatus[][] = [];
    desk = await openDesk({ sim, start: false, outbox: { concurrency: { sms: 1 }, probeMs: 100 } });
    desk.core.events.on('channel.status', (s) => seen.push(s));
    const kinds = ['marketing', 'reminder', 'alert', 'reply'] as const;
    desk.core.outbox.enqueue(kinds.map((kind, i) => sms(phone(i), `${kind} while offline`, { kind })));
    desk.core.start();
    await until(() => countByStatus(desk!.core).waiting === 4, 'all waiting');
    const reasons = desk.core.db.prepare<[], { wait_reason: string }>('SELECT DISTINCT wait_reason FROM messages').all();
    expect(reasons).toEqual([{ wait_reason: 'offline' }]);
    const status = (await desk.call('system.status')) as { channels: ChannelStatus[] };
    expect(status.channels.find((c) => c.channel === 'sms')).toMatchObject({ state: 'offline' });
    expect(seen.some((s) => s.find((c) => c.channel === 'sms')?.state === 'offline')).toBe(true);
    expect(desk.core.db.prepare('SELECT MAX(attempts) n FROM messages').get()).toEqual({ n: 0 });

    await sim.setOffline(false);
    await until(() => countByStatus(desk!.core).sent === 4, 'drained');
    expect(sim.outbound().map((m) => m.body)).toEqual(['alert while offline', 'reply while offline', 'reminder while offline', 'marketing while offline']);
    expect(seen.at(-1)!.find((c) => c.channel === 'sms')).toMatchObject({ state: 'connected' });
  });

  it('connections reset mid-request: each text is looked up after recovery and sent exactly once', async () => {
    sim = await startTwilioSim();
    desk = await openDesk({ sim, start: false, outbox: { probeMs: 100 } });
    await sim.setOffline(true, 'reset');
    desk.core.outbox.enqueue(Array.from({ length: 6 }, (_, i) => sms(phone(i), `Reset ${i}`)));
    desk.core.start();
    await until(() => desk!.core.db.prepare<[], { n: number }>("SELECT COUNT(*) n FROM message_events WHERE detail LIKE 'connection lost%'").get()!.n > 0, 'a reset seen');
    await sim.setOffline(false);
    await until(() => countByStatus(desk!.core).sent === 6, 'all sent');
    for (let i = 0; i < 6; i++) expect(sim.countByBody(`Reset ${i}`)).toBe(1);
  });

  it('mail server down: emails wait as "offline" and go out when it is back', async () => {
    smtp = await startSmtpServer();
    const port = smtp.port;
    await smtp.close();
    desk = await openDesk({ smtp, outbox: { probeMs: 100 } });
    const ids = desk.core.outbox.enqueue([email('a@example.com', 'One', 'Body'), email('b@example.com', 'Two', 'Body')]).ids;
    await until(() => ids.every((id) => desk!.core.outbox.get(id)!.wait_reason === 'offline'), 'waiting offline');
    smtp = await startSmtpServer({ port });
    await until(() => countByStatus(desk!.core).sent === 2, 'sent');
    expect(smtp.mails).toHaveLength(2);
  });
});
