import nodemailer from 'nodemailer';
import { classifySmtpError } from './errors';

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export interface SmtpChannelOptions {
  host: string;
  port: number;
  /** tls: encrypted from the start (465); starttls: upgrade is required (587); none: plain, never upgraded. */
  secure: SmtpSecurity;
  user?: string;
  pass?: string;
  fromName: string;
  fromAddress: string;
  replyTo?: string;
  /** One pool of reusable connections (the default) or a fresh connection per message. */
  pool?: boolean;
  maxConnections?: number;
  /** Connection, greeting and socket inactivity limit. */
  timeoutMs?: number;
  /** For on-site servers with a self-signed certificate only. */
  allowInvalidCertificate?: boolean;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Fixed before the first attempt and reused on retries, so the receiving side can spot a repeat. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface EmailSendResult {
  messageId: string;
  /** The server's final reply line, e.g. "250 2.0.0 Ok: queued as 12". */
  response: string;
}

export interface SmtpChannel {
  send(msg: EmailMessage): Promise<EmailSendResult>;
  /** Connects and signs in without sending, for "test connection". */
  verify(): Promise<void>;
  close(): void;
}

function bracketed(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}

export function createSmtpChannel(opts: SmtpChannelOptions): SmtpChannel {
  const timeout = opts.timeoutMs ?? 30_000;
  const common = {
    host: opts.host,
    port: opts.port,
    secure: opts.secure === 'tls',
    requireTLS: opts.secure === 'starttls',
    ignoreTLS: opts.secure === 'none',
    auth: opts.user ? { user: opts.user, pass: opts.pass ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    tls: opts.allowInvalidCertificate ? { rejectUnauthorized: false } : undefined,
    logger: false,
    debug: false,
  };
  const transporter =
    opts.pool === false
      ? nodemailer.createTransport(common)
      : nodemailer.createTransport({ ...common, pool: true, maxConnections: opts.maxConnections ?? 3, maxMessages: 100 });
  const ctx = { port: opts.port, secure: opts.secure };

  return {
    async send(msg) {
      const messageId = bracketed(msg.messageId);
      try {
        const info = await transporter.sendMail({
          from: { name: opts.fromName, address: opts.fromAddress },
          to: msg.to,
          replyTo: opts.replyTo,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          messageId,
          headers: msg.headers,
        });
        return { messageId, response: String(info.response ?? '') };
      } catch (e) {
        throw classifySmtpError(e, ctx);
      }
    },
    async verify() {
      try {
        await transporter.verify();
      } catch (e) {
        throw classifySmtpError(e, ctx);
      }
    },
    close() {
      transporter.close();
    },
  };
}
