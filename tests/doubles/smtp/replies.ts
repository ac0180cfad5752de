/** Where in the SMTP dialogue a programmed failure answers. */
export type SmtpStage = 'connect' | 'auth' | 'mail' | 'rcpt' | 'data';

export interface SmtpReply {
  code: number;
  /** Reply text, enhanced status code first as real servers write it ("5.1.1 ..."). A default per code otherwise. */
  message?: string;
  /** Default: 534/535 at auth, 550 at rcpt, everything else after DATA. */
  stage?: SmtpStage;
}

/** Texts modelled on what Gmail / Microsoft 365 / Postfix answer. */
export const DEFAULT_TEXT: Record<number, string> = {
  421: '4.7.0 Temporary System Problem. Try again later, closing connection',
  450: '4.2.1 Mailbox temporarily unavailable, try again later',
  451: '4.3.0 Temporary server error. Please try again later',
  452: '4.5.3 Too many recipients',
  530: '5.7.0 Authentication required',
  534: '5.7.9 Application-specific password required',
  535: '5.7.8 Username and Password not accepted',
  550: '5.1.1 Recipient address rejected: User unknown in virtual mailbox table',
  552: '5.3.4 Message size exceeds fixed limit',
  554: '5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Message submission quota exceeded',
};

export function defaultStage(code: number): SmtpStage {
  if (code === 534 || code === 535) return 'auth';
  if (code === 550) return 'rcpt';
  return 'data';
}

export function replyError(reply: { code: number; message?: string }): Error & { responseCode: number } {
  const err = new Error(reply.message ?? DEFAULT_TEXT[reply.code] ?? 'Requested action not taken') as Error & { responseCode: number };
  err.responseCode = reply.code;
  return err;
}
