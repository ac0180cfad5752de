import { describe, expect, it } from 'vitest';
import { classifyNetworkError, classifySmtpError, classifyTwilioError } from '../../../src-main/core/messaging/channels/errors';

const sysErr = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

describe('channel error classification (shapes not easy to provoke over a socket)', () => {
  it('finds the system code in a cause chain or an AggregateError (Node happy-eyeballs)', () => {
    const agg = new AggregateError([sysErr('ECONNREFUSED'), sysErr('ECONNREFUSED')], '');
    expect(classifyNetworkError(agg, 'X')).toMatchObject({ kind: 'offline', uncertain: false });
    const wrapped = new TypeError('fetch failed', { cause: sysErr('ENETUNREACH') });
    expect(classifyNetworkError(wrapped, 'X')?.kind).toBe('offline');
    expect(classifyNetworkError(new Error('plain'), 'X')).toBeUndefined();
  });

  it('an axios request timeout is transient and uncertain; a connect timeout is offline', () => {
    const axiosTimeout = Object.assign(new Error('timeout of 100ms exceeded'), { code: 'ECONNABORTED' });
    expect(classifyTwilioError(axiosTimeout)).toMatchObject({ kind: 'transient', uncertain: true });
    expect(classifyTwilioError(sysErr('ETIMEDOUT'))).toMatchObject({ kind: 'offline', uncertain: true });
    expect(classifyTwilioError(sysErr('EAI_AGAIN')).message).toMatch(/host not found/);
  });

  it('maps Twilio REST errors by code before status', () => {
    const rest = (status: number, code?: number) => Object.assign(new Error('x'), { status, code });
    expect(classifyTwilioError(rest(429)).kind).toBe('rate-limited');
    expect(classifyTwilioError(rest(400, 20429)).kind).toBe('rate-limited');
    expect(classifyTwilioError(rest(400, 21606))).toMatchObject({ kind: 'permanent', hint: expect.stringMatching(/sending number/) });
    expect(classifyTwilioError(rest(502))).toMatchObject({ kind: 'transient', uncertain: true });
    expect(classifyTwilioError(rest(404, 20404)).kind).toBe('permanent');
  });

  it('reads SMTP replies: quota by 5.2.0 or wording, bounces by 5.1.x, policy 5.7.x is not a bounce', () => {
    const reply = (responseCode: number, response: string, command = 'DATA') => Object.assign(new Error(response), { responseCode, response, command });
    expect(classifySmtpError(reply(550, '550 5.4.5 Daily user sending quota exceeded')).kind).toBe('quota');
    expect(classifySmtpError(reply(550, '550 5.1.10 RESOLVER.ADR.RecipientNotFound', 'RCPT TO')).kind).toBe('bounced');
    expect(classifySmtpError(reply(550, '550 No such user here', 'RCPT TO')).kind).toBe('bounced');
    expect(classifySmtpError(reply(550, '550 5.7.1 Relaying denied', 'RCPT TO')).kind).toBe('permanent');
    expect(classifySmtpError(reply(535, '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled')).kind).toBe('auth');
    const cert = Object.assign(new Error('self-signed certificate'), { code: 'ESOCKET' });
    expect(classifySmtpError(cert).kind).toBe('tls');
  });
});
