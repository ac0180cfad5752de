import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type SmtpDouble } from '../../doubles/smtp';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { countByStatus, email, FROM, openDesk, phone, sms, until, type Desk } from './helpers';

let sim: TwilioSim | undefined;
let smtp: SmtpDouble | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await sim?.close();
  await smtp?.close();
  desk = sim = smtp = undefined;
});

describe('dispatcher: sends what is due through the real clients', () => {
  it('sends queued texts and emails once each and records provider ids', async () => {
    sim = await startTwilioSim();
    smtp = await startSmtpServer();
    desk = await openDesk({ sim, smtp });
    const { core } = desk;
    const r = core.outbox.enqueue([
      ...Array.from({ length: 20 }, (_, i) => sms(phone(i), `Hello owner ${i}`)),
      ...Array.from({ length: 5 }, (_, i) => email(`owner${i}@example.com`, `Subject ${i}`, `Body ${i}`)),
    ]);
    expect(r.inserted).toBe(25);
    await until(() => countByStatus(core).sent === 25, 'all sent');
    expect(sim.outbound()).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect(sim.countByBody(`Hello owner ${i}`)).toBe(1);
    expect(smtp.mails).toHaveLength(5);
    const row = core.db.prepare<[], { provider_id: string; sent_from: string; attempts: number }>("SELECT * FROM messages WHERE channel = 'sms' LIMIT 1").get()!;
    expect(row.provider_id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sim.find(row.provider_id)?.from).toBe(FROM);
    expect(row.attempts).toBe(1);
  });
});
