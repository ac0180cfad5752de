import type { ConnectionTestResult } from '../../contract';
import { createSmtpChannel } from '../messaging/channels/smtp-channel';
import { createTwilioChannel } from '../messaging/channels/twilio-channel';
import type { ChannelError } from '../messaging/channels/errors';
import { smtpOptionsFrom, twilioOptionsFrom } from '../messaging/channels/from-settings';
import type { SmtpConfig, TwilioConfig } from './store';

/** Turns a channel error into a sentence the person at the desk can act on. */
function explain(e: unknown, service: 'Twilio' | 'the mail server'): ConnectionTestResult {
  const err = e as Partial<ChannelError>;
  const kind = err.kind ?? 'unknown';
  const text: Record<string, string> = {
    auth: service === 'Twilio'
      ? 'Twilio refused the credentials (error 20003). Check the Account SID and the Auth Token or API key in the Twilio Console.'
      : 'The mail server refused the user name or password. For Microsoft 365 or Gmail use an app password, and make sure SMTP AUTH is enabled for this mailbox.',
    offline: `Could not reach ${service}. ${err.message ?? ''} Check the host name and this PC's internet connection.`,
    tls: 'The security setting does not match the server: use TLS with port 465, or STARTTLS with port 587.',
    transient: `${service} answered with a temporary error; try again in a minute.`,
  };
  return { ok: false, problem: kind, message: text[kind] ?? `${service} answered: ${err.message ?? 'unknown error'}`, detail: err.code ? String(err.code) : undefined };
}

export async function testTwilio(cfg: TwilioConfig): Promise<ConnectionTestResult> {
  try {
    const ch = createTwilioChannel({
      ...twilioOptionsFrom(cfg),
      timeoutMs: 10_000,
    });
    const acct = await ch.fetchAccount();
    return { ok: true, message: `Connected to Twilio account "${acct.friendlyName}" (${acct.status}).` };
  } catch (e) {
    return explain(e, 'Twilio');
  }
}

export async function testSmtp(cfg: SmtpConfig): Promise<ConnectionTestResult> {
  const ch = createSmtpChannel({
    ...smtpOptionsFrom(cfg),
    pool: false,
    timeoutMs: 10_000,
  });
  try {
    await ch.verify();
    return { ok: true, message: `Connected to ${cfg.host}:${cfg.port}; the server accepted the login.` };
  } catch (e) {
    return explain(e, 'the mail server');
  } finally {
    ch.close();
  }
}
