import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { defaultStage, replyError, type SmtpReply, type SmtpStage } from './replies';

export type { SmtpReply, SmtpStage } from './replies';

export interface MailAddress {
  address: string;
  name: string;
}

export interface ReceivedMail {
  envelope: { mailFrom: string; rcptTo: string[] };
  from?: MailAddress;
  to: MailAddress[];
  replyTo?: MailAddress;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  /** Header values as they were on the wire (still RFC 2047 encoded), by lower-case name; repeats joined by "\n". */
  headers: Record<string, string>;
  /** The whole message source. */
  raw: string;
}

export interface SmtpServerOptions {
  port?: number;
  host?: string;
  /** When given, AUTH PLAIN/LOGIN is offered and required, and wrong credentials get 535. */
  auth?: { user: string; pass: string };
  /** Implicit TLS (like port 465) with smtp-server's built-in self-signed certificate. */
  secure?: boolean;
  /** Offer STARTTLS (self-signed certificate). Off by default so a plain client is not upgraded. */
  starttls?: boolean;
}

export interface SmtpStats {
  connections: number;
  accepted: number;
  rejected: number;
  authFailures: number;
}

function addresses(a: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) => o.value.map((v) => ({ address: v.address ?? '', name: v.name ?? '' })));
}

function rawHeaders(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    out[key] = key in out ? `${out[key]}\n${value}` : value;
  }
  return out;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives and can answer with any reply code on demand. */
export interface SmtpDouble {
  readonly host: string;
  readonly port: number;
  readonly mails: ReceivedMail[];
  readonly stats: SmtpStats;
  /** The next `count` transactions reaching the reply's stage fail with it. */
  failNext(reply: SmtpReply, count?: number): void;
  /** RCPT TO this address answers `code` (550 5.1.1 by default) until acceptRecipient. */
  rejectRecipient(address: string, code?: number, message?: string): void;
  acceptRecipient(address: string): void;
  /** Resolves once at least n mails have arrived. */
  waitForMails(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  reset(): void;
  close(): Promise<void>;
}

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<SmtpDouble> {
  const host = opts.host ?? '127.0.0.1';
  const mails: ReceivedMail[] = [];
  const stats: SmtpStats = { connections: 0, accepted: 0, rejected: 0, authFailures: 0 };
  let pending: (Required<Pick<SmtpReply, 'code' | 'stage'>> & { message?: string })[] = [];
  const rejected = new Map<string, { code: number; message?: string }>();
  const waiters = new Set<() => void>();

  const take = (stage: SmtpStage): Error | undefined => {
    const i = pending.findIndex((p) => p.stage === stage);
    if (i < 0) return undefined;
    const [p] = pending.splice(i, 1);
    stats.rejected++;
    return replyError(p!);
  };

  const server = new SMTPServer({
    secure: opts.secure ?? false,
    hideSTARTTLS: !opts.starttls,
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    // A server that does not offer STARTTLS must also refuse the command, as real ones do.
    disabledCommands: [...(opts.auth ? [] : ['AUTH']), ...(opts.starttls || opts.secure ? [] : ['STARTTLS'])],
    size: 25 * 1024 * 1024,
    logger: false,
    disableReverseLookup: true,
    onConnect(_session, cb) {
      stats.connections++;
      cb(take('connect'));
    },
    onAuth(auth, _session, cb) {
      const forced = take('auth');
      if (forced) return cb(forced);
      if (!opts.auth || auth.username !== opts.auth.user || auth.password !== opts.auth.pass) {
        stats.authFailures++;
        return cb(replyError({ code: 535 }));
      }
      cb(null, { user: auth.username });
    },
    onMailFrom(_address, _session, cb) {
      cb(take('mail'));
    },
    onRcptTo(address, _session, cb) {
      const r = rejected.get(address.address.toLowerCase());
      if (r) {
        stats.rejected++;
        return cb(replyError({ code: r.code, message: r.message ?? `5.1.1 <${address.address}>: Recipient address rejected: User unknown` }));
      }
      cb(take('rcpt'));
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const forced = take('data');
        if (forced) return cb(forced);
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (p) => {
            const text = raw.toString('utf8');
            mails.push({
              envelope: {
                mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
              },
              from: addresses(p.from)[0],
              to: addresses(p.to),
              replyTo: addresses(p.replyTo)[0],
              subject: p.subject,
              text: p.text,
              html: p.html === false ? undefined : p.html,
              messageId: p.messageId,
              headers: rawHeaders(text),
              raw: text,
            });
            stats.accepted++;
            for (const w of waiters) w();
            cb(null, `2.0.0 Ok: queued as ${mails.length}`);
          },
          (e: Error) => cb(replyError({ code: 451, message: `4.3.0 Could not parse message: ${e.message}` })),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  server.on('error', () => {
    // Clients dropping mid-session are normal in failure tests; nothing to report.
  });

  return {
    host,
    port,
    mails,
    stats,
    failNext(reply, count = 1) {
      for (let i = 0; i < count; i++) pending.push({ code: reply.code, message: reply.message, stage: reply.stage ?? defaultStage(reply.code) });
    },
    rejectRecipient(address, code = 550, message) {
      rejected.set(address.toLowerCase(), { code, message });
    },
    acceptRecipient(address) {
      rejected.delete(address.toLowerCase());
    },
    waitForMails(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        if (mails.length >= n) return resolve(mails);
        const done = () => {
          if (mails.length < n) return;
          clearTimeout(timer);
          waiters.delete(done);
          resolve(mails);
        };
        const timer = setTimeout(() => {
          waiters.delete(done);
          reject(new Error(`only ${mails.length} of ${n} mails arrived`));
        }, timeoutMs);
        waiters.add(done);
      });
    },
    reset() {
      mails.length = 0;
      pending = [];
      rejected.clear();
      Object.assign(stats, { connections: 0, accepted: 0, rejected: 0, authFailures: 0 });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
