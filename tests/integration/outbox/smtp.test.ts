import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelStatus } from '../../../src-main/contract';
import { startSmtpServer, type SmtpDouble } from '../../doubles/smtp';
import { clinicIn, email, middayZone, openDesk, smtpFor, statusOf, until, type Desk } from './helpers';

let smtp: SmtpDouble | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.cleanup();
  await smtp?.close();
  desk = smtp = undefined;
});

const row = (d: Desk, id: number) => d.core.outbox.get(id)!;

describe('email through the SMTP pool', () => {
  it('sends HTML and plain text with the clinic name (RFC 2047), reply-to and footer; marketing carries List-Unsubscribe', async () => {
    smtp = await startSmtpServer();
    desk = await openDesk({ smtp });
    const [alert, promo] = desk.core.outbox.enqueue([
      email('owner@example.com', 'Fermeture lundi – clinique', 'The clinic is closed Monday.\n\nSee you soon.'),
      email('fan@example.com', 'Spring dental month', 'Book a dental check.', { kind: 'marketing' }),
    ]).ids;
    const mails = await smtp.waitForMails(2);
    await until(() => statusOf(desk!.core, alert!) === 'sent' && statusOf(desk!.core, promo!) === 'sent', 'sent');
    const a = mails.find((m) => m.to[0]!.address === 'owner@example.com')!;
    const p = mails.find((m) => m.to[0]!.address === 'fan@example.com')!;

    expect(a.from).toEqual({ name: 'Clínica Veterinária Larkspur', address: 'frontdesk@larkspur.example.com' });
    expect(a.headers.from).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(a.headers.subject).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(a.subject).toBe('Fermeture lundi – clinique');
    expect(a.replyTo?.address).toBe('hello@larkspur.example.com');
    expect(a.text).toContain('The clinic is closed Monday.');
    expect(a.text).toContain('1200 Larkspur Way');
    expect(a.text).toContain('Seattle, WA 98103');
    expect(a.text).toContain('(206) 555-0100');
    expect(a.html).toContain('<p style="margin:0 0 16px">The clinic is closed Monday.</p>');
    expect(a.html).toContain('1200 Larkspur Way');
    expect(a.html).toContain('name="viewport"');
    expect(a.headers['list-unsubscribe']).toBeUndefined();
    expect(a.messageId).toBe(row(desk, alert!).smtp_message_id);

    expect(p.headers['list-unsubscribe']).toBe('<mailto:hello@larkspur.example.com?subject=unsubscribe>');
    expect(p.text).toMatch(/To stop these emails, reply with "unsubscribe"/);
    expect(p.html).toContain('Unsubscribe</a>');
    expect(p.text).toContain('1200 Larkspur Way');
  });

  it.each([421, 450, 451])('%i: retries later with the same Message-ID and delivers once', async (code) => {
    smtp = await startSmtpServer();
    smtp.failNext({ code });
    desk = await openDesk({ smtp });
    const [id] = desk.core.outbox.enqueue([email('owner@example.com', `Try again ${code}`, 'Body')]).ids;
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent');
    const r = row(desk, id!);
    expect(r.attempts).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.messageId).toBe(r.smtp_message_id);
    const waited = desk.core.db.prepare<[number], { detail: string; code: string }>("SELECT detail, code FROM message_events WHERE message_id = ? AND to_status = 'waiting'").all(id!);
    expect(waited).toHaveLength(1);
    expect(waited[0]!.code).toBe(String(code));
  });

  it.each([
    [535, /app password/],
    [534, /SMTP AUTH/],
  ])('%i: pauses email with a hint about app passwords / SMTP AUTH and keeps the queue', async (code, hint) => {
    smtp = await startSmtpServer({ auth: { user: 'desk', pass: 'right' } });
    smtp.failNext({ code, stage: 'auth' }, 5);
    desk = await openDesk({ smtp, smtpSettings: { user: 'desk', password: 'right' } });
    const [id] = desk.core.outbox.enqueue([email('owner@example.com', 'Auth', 'Body')]).ids;
    await until(() => row(desk!, id!).wait_reason?.startsWith('channel-paused'), 'paused');
    expect(row(desk, id!).wait_reason).toMatch(hint);
    const status = (await desk.call('outbox.channels')) as ChannelStatus[];
    expect(status.find((c) => c.channel === 'email')).toMatchObject({ state: 'paused' });
    expect(status.find((c) => c.channel === 'email')!.reason).toMatch(hint);
    smtp.reset();
    await desk.call('settings.saveSmtp', smtpFor(smtp, { user: 'desk', password: 'right', fromName: 'Larkspur Vet' }));
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent after new settings');
  });

  it('554 5.2.0 (quota): pauses email until the next clinic day; a resume by hand sends', async () => {
    smtp = await startSmtpServer();
    smtp.failNext({ code: 554 });
    const zone = middayZone();
    desk = await openDesk({ smtp, clinic: clinicIn(zone) });
    const [id] = desk.core.outbox.enqueue([email('owner@example.com', 'Quota', 'Body')]).ids;
    await until(() => row(desk!, id!).wait_reason?.startsWith('channel-paused'), 'paused');
    const st = desk.core.db.prepare<[], { until: string; reason: string }>("SELECT until, reason FROM channel_state WHERE channel = 'email'").get()!;
    const expected = DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day').toJSDate().toISOString();
    expect(st.until).toBe(expected);
    expect(st.reason).toMatch(/quota/);
    expect(smtp.mails).toHaveLength(0);
    await desk.call('outbox.resumeChannel', { channel: 'email' });
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent after resume');
  });

  it('550 5.1.1: marks the address bounced, fails that message only, withdraws later mail to it', async () => {
    smtp = await startSmtpServer();
    smtp.rejectRecipient('gone@example.com');
    desk = await openDesk({ smtp });
    const [bad, good] = desk.core.outbox.enqueue([email('gone@example.com', 'Hi', 'Body'), email('here@example.com', 'Hi', 'Body')]).ids;
    await until(() => statusOf(desk!.core, bad!) === 'failed' && statusOf(desk!.core, good!) === 'sent', 'settled');
    expect(row(desk, bad!).error_code).toBe('550');
    expect(desk.core.db.prepare('SELECT flag, code FROM address_flags WHERE address = ?').all('gone@example.com')).toEqual([{ flag: 'bounced', code: '550 5.1.1' }]);
    const [again] = desk.core.outbox.enqueue([email('gone@example.com', 'Again', 'Body')]).ids;
    await until(() => statusOf(desk!.core, again!) === 'withdrawn', 'withdrawn');
  });

  it('an email left "sending" by a crash goes again with the Message-ID fixed before the first attempt', async () => {
    smtp = await startSmtpServer();
    desk = await openDesk({ smtp, start: false });
    const [id] = desk.core.outbox.enqueue([email('owner@example.com', 'Crash', 'Body')]).ids;
    desk.core.db
      .prepare("UPDATE messages SET status = 'sending', claim_id = 'dead:1', claimed_at = ?, attempts = 1, smtp_message_id = '<fixed.1@larkspur.example.com>' WHERE id = ?")
      .run(new Date().toISOString(), id!);
    desk.core.start();
    await until(() => statusOf(desk!.core, id!) === 'sent', 'sent');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.messageId).toBe('<fixed.1@larkspur.example.com>');
  });
});
