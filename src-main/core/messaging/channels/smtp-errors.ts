import { ChannelError, classifyNetworkError } from './channel-error';

export interface SmtpErrorContext {
  port?: number;
  secure?: 'tls' | 'starttls' | 'none';
}

const SMTP_AUTH_HINT =
  'The mail server refused the user name or password. Gmail and Microsoft 365 need an app password when two-step ' +
  'sign-in is on, and Microsoft 365 needs SMTP AUTH enabled for this mailbox.';
const TLS_SETTING_HINT =
  'The security setting does not match the port: port 465 uses TLS from the start, ports 587 and 25 use STARTTLS.';
const CERT_HINT = "The mail server's certificate was refused (expired, self-signed or for another host name).";
const TLS_MISMATCH = /wrong version number|packet length too long|unknown protocol|ssl3_get_record|tls_validate_record_header|record layer failure|EPROTO\b/i;
const CERT_CODES = /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_TLS_CERT_ALTNAME_INVALID|self[- ]signed certificate|certificate has expired/i;

interface SmtpFields {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message: string;
}

function smtpFields(err: unknown): SmtpFields {
  const e = (err ?? {}) as Record<string, unknown>;
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
    response: typeof e.response === 'string' ? e.response : undefined,
    command: typeof e.command === 'string' ? e.command : undefined,
    message: err instanceof Error ? err.message : String(err),
  };
}

function classifyReply(f: SmtpFields & { responseCode: number }): ChannelError {
  const rc = f.responseCode;
  const text = f.response ?? f.message;
  const enhancedCode = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  const init = { code: rc, enhancedCode, detail: text };
  if (rc === 530 || rc === 534 || rc === 535 || f.code === 'EAUTH')
    return new ChannelError('auth', `The mail server refused to sign in (${rc})`, { ...init, hint: SMTP_AUTH_HINT });
  if (rc >= 500 && (enhancedCode === '5.2.0' || /quota/i.test(text)))
    return new ChannelError('quota', `The mailbox's sending quota is used up (${rc} ${enhancedCode ?? ''})`.trim(), {
      ...init,
      hint: 'Sending resumes when the provider resets the quota, usually the next day.',
    });
  const recipientRefused =
    (rc === 550 || rc === 551 || rc === 553) &&
    (enhancedCode?.startsWith('5.1.') || (!enhancedCode && (f.command === 'RCPT TO' || /user unknown|no such user|does not exist/i.test(text))));
  if (recipientRefused) return new ChannelError('bounced', `The mail server refused the recipient address (${rc} ${enhancedCode ?? ''})`.trim(), init);
  if (rc >= 400 && rc < 500) return new ChannelError('transient', `The mail server asked to try again later (${rc})`, init);
  return new ChannelError('permanent', `The mail server refused the message (${rc})`, init);
}

export function classifySmtpError(err: unknown, ctx: SmtpErrorContext = {}): ChannelError {
  if (err instanceof ChannelError) return err;
  const f = smtpFields(err);
  if (f.code === 'ETLS' || f.command === 'STARTTLS')
    return new ChannelError('tls', 'The mail server did not accept STARTTLS', {
      code: f.responseCode,
      detail: f.message,
      hint: `${TLS_SETTING_HINT} If the server offers no encryption at all, choose TLS on port 465 or ask the provider.`,
    });
  if (f.responseCode !== undefined && f.responseCode >= 400) return classifyReply({ ...f, responseCode: f.responseCode });
  if (f.code === 'EAUTH' || f.code === 'ENOAUTH')
    return new ChannelError('auth', 'The mail server refused to sign in', { detail: f.message, hint: SMTP_AUTH_HINT });
  if (TLS_MISMATCH.test(f.message) || f.code === 'EREQUIRETLS')
    return new ChannelError('tls', 'Secure connection to the mail server failed', { detail: f.message, hint: TLS_SETTING_HINT });
  if (CERT_CODES.test(f.message) || CERT_CODES.test(String((err as { cause?: { code?: string } })?.cause?.code ?? '')))
    return new ChannelError('tls', "The mail server's certificate was refused", { detail: f.message, hint: CERT_HINT });
  // A plain-text client on an implicit-TLS port waits for a greeting that never comes.
  if (/Greeting never received/i.test(f.message) && ctx.port === 465 && ctx.secure !== 'tls')
    return new ChannelError('tls', 'The mail server did not greet (TLS setting?)', { detail: f.message, hint: TLS_SETTING_HINT });
  if (f.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(f.message))
    return new ChannelError('offline', 'Mail server: host not found (check the address, or the internet connection)', { detail: f.message });
  // nodemailer wraps socket errors (code ESOCKET); the system code survives in the message.
  const sys = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/.exec(f.message)?.[1];
  const net = classifyNetworkError(err, 'Mail server') ?? (sys ? classifyNetworkError({ code: sys }, 'Mail server') : undefined);
  if (net) return new ChannelError(net.kind, net.message, { detail: f.message, uncertain: net.uncertain });
  if (f.code === 'ECONNECTION' || f.code === 'ESOCKET')
    return new ChannelError('offline', `Mail server connection failed (${f.code})`, { detail: f.message, uncertain: true });
  return new ChannelError('permanent', 'Sending the email failed', { detail: f.message });
}
