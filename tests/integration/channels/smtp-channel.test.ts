import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, classifySmtpError } from '../../../src-main/core/messaging/channels/errors';
import { createSmtpChannel, type SmtpChannel, type SmtpChannelOptions } from '../../../src-main/core/messaging/channels/smtp-channel';
import { startSmtpServer, type SmtpDouble } from '../../doubles/smtp';
import { rejection } from './helpers';

const CREDS = { user: 'desk@larkspur.example', pass: 'app-password' };

let server: SmtpDouble | undefined;
let channels: SmtpChannel[] = [];
afterEach(async () => {
  for (const c of channels) c.close();
  channels = [];
  await server?.close();
  server = undefined;
});

function channel(over: Partial<SmtpChannelOptions> = {}): SmtpChannel {
  const c = createSmtpChannel({
    host: '127.0.0.1',
    port: server!.port,
    secure: 'none',
    user: CREDS.user,
    pass: CREDS.pass,
    fromName: 'Larkspur Veterinary',
    fromAddress: 'desk@larkspur.example',
    replyTo: 'frontdesk@larkspur.example',
    pool: true,
    timeoutMs: 5_000,
    ...over,
  });
  channels.push(c);
  return c;
}

const mail = (n = 1) => ({
  to: `owner${n}@example.com`,
  subject: `Reminder ${n}`,
  text: 'Rex is due for his rabies vaccine.',
  html: '<p>Rex is due for his <b>rabies</b> vaccine.</p>',
  messageId: `<reminder-${n}@pawline.test>`,
});

async function kindOf(p: Promise<unknown>) {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

describe('smtp channel against the SMTP double', () => {
  it('sends plain + HTML parts with our Message-ID, From name and Reply-To', async () => {
    server = await startSmtpServer({ auth: CREDS });
    const r = await channel().send({ ...mail(1), headers: { 'List-Unsubscribe': '<mailto:unsubscribe@larkspur.example>' } });
    expect(r.messageId).toBe('<reminder-1@pawline.test>');
    expect(r.response).toMatch(/^250 /);
    const [m] = await server.waitForMails(1);
    expect(m!.messageId).toBe('<reminder-1@pawline.test>');
    expect(m!.from).toEqual({ address: 'desk@larkspur.example', name: 'Larkspur Veterinary' });
    expect(m!.replyTo?.address).toBe('frontdesk@larkspur.example');
    expect(m!.envelope.rcptTo).toEqual(['owner1@example.com']);
    expect(m!.text?.trim()).toBe('Rex is due for his rabies vaccine.');
    expect(m!.html).toContain('<b>rabies</b>');
    expect(m!.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(m!.headers['list-unsubscribe']).toBe('<mailto:unsubscribe@larkspur.example>');
  });

  it('encodes an accented From name and subject per RFC 2047 (raw headers are ASCII)', async () => {
    server = await startSmtpServer({ auth: CREDS });
    await channel({ fromName: 'Clínica Veterinária São João' }).send({ ...mail(2), subject: 'Rappel : le vaccin de Léo est dû' });
    const [m] = await server.waitForMails(1);
    expect(m!.headers.subject).toMatch(/^=\?UTF-8\?[QB]\?/i);
    expect(m!.headers.from).toMatch(/=\?UTF-8\?[QB]\?.*\?= <desk@larkspur\.example>/i);
    expect(/[^\x00-\x7f]/.test(m!.headers.subject! + m!.headers.from!)).toBe(false);
    expect(m!.subject).toBe('Rappel : le vaccin de Léo est dû');
    expect(m!.from?.name).toBe('Clínica Veterinária São João');
  });

  it('pools connections for many messages', async () => {
    server = await startSmtpServer({ auth: CREDS });
    const ch = channel({ maxConnections: 3 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => ch.send(mail(i))));
    expect(server.mails).toHaveLength(30);
    expect(server.stats.connections).toBeLessThanOrEqual(3);
  });

  it.each([421, 450, 451])('%i -> transient; a retry with the same Message-ID goes through once', async (code) => {
    server = await startSmtpServer({ auth: CREDS });
    const ch = channel();
    server.failNext({ code });
    const e = await kindOf(ch.send(mail(3)));
    expect(e).toMatchObject({ kind: 'transient', code });
    await ch.send(mail(3));
    expect(server.mails.map((m) => m.messageId)).toEqual(['<reminder-3@pawline.test>']);
  });

  it('535 on wrong credentials -> auth with the app-password / SMTP AUTH hint (send and verify)', async () => {
    server = await startSmtpServer({ auth: CREDS });
    const e = await kindOf(channel({ pass: 'wrong' }).send(mail(4)));
    expect(e).toMatchObject({ kind: 'auth', code: 535, enhancedCode: '5.7.8' });
    expect(e.hint).toMatch(/app password/);
    expect(e.hint).toMatch(/SMTP AUTH/);
    expect((await kindOf(channel({ pass: 'wrong', pool: false }).verify())).kind).toBe('auth');
    expect(server.stats.authFailures).toBe(2);
    await channel({ pool: false }).verify();
  });

  it('534 (application-specific password required) -> auth', async () => {
    server = await startSmtpServer({ auth: CREDS });
    server.failNext({ code: 534 });
    expect(await kindOf(channel().send(mail(5)))).toMatchObject({ kind: 'auth', code: 534, enhancedCode: '5.7.9' });
  });

  it('550 5.1.1 for one recipient -> bounced; other recipients still go', async () => {
    server = await startSmtpServer({ auth: CREDS });
    server.rejectRecipient('gone@example.com');
    const ch = channel();
    const e = await kindOf(ch.send({ ...mail(6), to: 'gone@example.com' }));
    expect(e).toMatchObject({ kind: 'bounced', code: 550, enhancedCode: '5.1.1' });
    await ch.send(mail(7));
    expect(server.mails).toHaveLength(1);
  });

  it('554 5.2.0 -> quota; other 5xx -> permanent', async () => {
    server = await startSmtpServer({ auth: CREDS });
    const ch = channel();
    server.failNext({ code: 554 });
    expect(await kindOf(ch.send(mail(8)))).toMatchObject({ kind: 'quota', code: 554, enhancedCode: '5.2.0' });
    server.failNext({ code: 554, message: '5.7.1 Message rejected as spam' });
    expect(await kindOf(ch.send(mail(9)))).toMatchObject({ kind: 'permanent', code: 554 });
  });

  it('a 421 greeting (server busy) -> transient', async () => {
    server = await startSmtpServer({ auth: CREDS });
    server.failNext({ code: 421, stage: 'connect' });
    expect((await kindOf(channel({ pool: false }).send(mail(10)))).kind).toBe('transient');
  });

  it('implicit TLS against a plain server -> tls with a hint about ports', async () => {
    server = await startSmtpServer({ auth: CREDS });
    const e = await kindOf(channel({ secure: 'tls', pool: false }).verify());
    expect(e.kind).toBe('tls');
    expect(e.hint).toMatch(/465/);
  });

  it('STARTTLS required but not offered -> tls; offered with a self-signed certificate -> tls unless allowed', async () => {
    server = await startSmtpServer({ auth: CREDS });
    expect((await kindOf(channel({ secure: 'starttls', pool: false }).verify())).kind).toBe('tls');
    await server.close();
    server = await startSmtpServer({ auth: CREDS, starttls: true });
    expect((await kindOf(channel({ secure: 'starttls', pool: false }).verify())).kind).toBe('tls');
    await channel({ secure: 'starttls', pool: false, allowInvalidCertificate: true }).send(mail(11));
    expect(server.mails).toHaveLength(1);
  });

  it('implicit TLS server (like 465) works with secure: tls', async () => {
    server = await startSmtpServer({ auth: CREDS, secure: true });
    await channel({ secure: 'tls', allowInvalidCertificate: true }).send(mail(12));
    expect(server.mails[0]!.subject).toBe('Reminder 12');
  });

  it('unknown host and closed port -> offline', async () => {
    const dns = await kindOf(createSmtpChannel({ host: 'smtp.no-such-host.invalid', port: 587, secure: 'starttls', fromName: 'x', fromAddress: 'x@example.com', pool: false }).verify());
    expect(dns.kind).toBe('offline');
    expect(dns.message).toMatch(/host not found/);
    const port = await freePort();
    const refused = await kindOf(createSmtpChannel({ host: '127.0.0.1', port, secure: 'none', fromName: 'x', fromAddress: 'x@example.com', pool: false }).verify());
    expect(refused.kind).toBe('offline');
  });
});

describe('smtp channel: a server that accepts but never greets', () => {
  it('-> offline after the timeout; on port 465 with a non-TLS setting -> tls (the usual cause)', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    const base = { host: '127.0.0.1', fromName: 'x', fromAddress: 'x@example.com', pool: false, timeoutMs: 200 } as const;
    try {
      const e = await kindOf(createSmtpChannel({ ...base, port, secure: 'none' }).verify());
      expect(e.kind).toBe('offline');
      // Same symptom classified with port 465 in the context (no real port 465 needed to check the rule).
      expect(classifySmtpError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }), { port: 465, secure: 'starttls' }).kind).toBe('tls');
    } finally {
      silent.close();
    }
  });
});

describe('plain nodemailer against the SMTP double', () => {
  it('sees each programmed reply code on the error it raises', async () => {
    server = await startSmtpServer({ auth: CREDS });
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true, auth: CREDS });
    const send = () => t.sendMail({ from: 'desk@larkspur.example', to: 'a@example.com', subject: 's', text: 't' });
    const seen: [number, string][] = [];
    for (const code of [421, 450, 451, 554]) {
      server.failNext({ code });
      const e = await rejection(send());
      seen.push([e.responseCode, String(e.response).slice(0, 9)]);
    }
    server.rejectRecipient('a@example.com', 550);
    const rcpt = await rejection(send());
    seen.push([rcpt.responseCode, String(rcpt.response).slice(0, 9)]);
    expect(seen).toEqual([
      [421, '421 4.7.0'],
      [450, '450 4.2.1'],
      [451, '451 4.3.0'],
      [554, '554 5.2.0'],
      [550, '550 5.1.1'],
    ]);
    t.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
