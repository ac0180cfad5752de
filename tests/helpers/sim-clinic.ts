/**
 * A clinic wired to local stand-ins for headless runs: the Twilio simulator and the SMTP test
 * server, and a data folder configured through `pawline settings import` as IT would do it
 * (secrets from environment variables). Used by the `pawline run` tests and check:larkspur;
 * imports nothing from vitest.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/registry';
import { startSmtpServer, type SmtpDouble } from '../doubles/smtp';
import { startTwilioSim, type TwilioSim } from '../doubles/twilio-sim';

export const CLINIC_NUMBER = '+12065550100';
export const SIM_ACCOUNT = { sid: `AC${'0'.repeat(28)}1a2b`, authToken: 'run-sim-token' };

export interface SimClinic {
  sim: TwilioSim;
  smtp: SmtpDouble;
  /** Writes the settings file and applies it to `dataDir`; returns the CLI's output. */
  configure(dataDir: string, o?: { timeZone?: string; customRate?: number; quietHours?: { start: string; end: string } }): Promise<string>;
  close(): Promise<void>;
}

export interface SimClinicOptions {
  /** The simulator's clock (ms); keep it in step with the desk's when the desk runs on --now. */
  now?: () => number;
  /** Simulator rate limit, segments per second (default: none). */
  simSegmentsPerSecond?: number;
  delays?: { sentMs?: number; deliveredMs?: number };
}

/** Runs a CLI command in-process; output is captured, never printed. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: { ...process.env, ...env }, readStdin: async () => '' };
  const code = await main(argv, io);
  return { code, out, err };
}

export async function startSimClinic(o: SimClinicOptions = {}): Promise<SimClinic> {
  const sim = await startTwilioSim({
    accounts: [{ ...SIM_ACCOUNT, friendlyName: 'Pawline run check', numbers: [CLINIC_NUMBER] }],
    now: o.now,
    delays: o.delays,
    rateLimit: o.simSegmentsPerSecond ? { segmentsPerSecond: o.simSegmentsPerSecond } : undefined,
  });
  const smtp = await startSmtpServer({ auth: { user: 'frontdesk', pass: 'run-mail-password' } });
  return {
    sim,
    smtp,
    async configure(dataDir, c = {}) {
      const weekday = { open: '08:00', close: '18:00' };
      const doc = {
        clinic: {
          name: 'Larkspur Hollow Veterinary Clinic',
          timeZone: c.timeZone ?? 'America/Los_Angeles',
          phone: '(206) 555-0100',
          email: 'frontdesk@larkspur.example.com',
          address: { line1: '1200 Larkspur Way', city: 'Seattle', region: 'WA', postalCode: '98103', country: 'US' },
          quietHours: c.quietHours ?? { start: '09:00', end: '20:00' },
          openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: '09:00-13:00', sun: null },
        },
        twilio: {
          accountSid: SIM_ACCOUNT.sid,
          authMode: 'token',
          authToken: { env: 'PAWLINE_CHECK_TWILIO_TOKEN' },
          fromNumber: CLINIC_NUMBER,
          senderType: 'custom',
          customRate: c.customRate ?? 100,
          pricePerSegment: 0.0079,
          baseUrl: sim.url,
        },
        smtp: {
          host: smtp.host,
          port: smtp.port,
          security: 'none',
          user: 'frontdesk',
          password: { env: 'PAWLINE_CHECK_SMTP_PASSWORD' },
          fromName: 'Larkspur Hollow Veterinary Clinic',
          fromAddress: 'frontdesk@larkspur.example.com',
          replyTo: 'frontdesk@larkspur.example.com',
        },
        general: { setupComplete: true },
      };
      const file = path.join(dataDir, 'check-settings.json');
      writeFileSync(file, JSON.stringify(doc, null, 2));
      const r = await cli(['settings', 'import', file, '--data-dir', dataDir], {
        PAWLINE_CHECK_TWILIO_TOKEN: SIM_ACCOUNT.authToken,
        PAWLINE_CHECK_SMTP_PASSWORD: 'run-mail-password',
      });
      if (r.code !== 0) throw new Error(`settings import failed (${r.code}): ${r.err || r.out}`);
      return r.out;
    },
    async close() {
      await sim.close();
      await smtp.close();
    },
  };
}

/** Texts the simulator took more than once for the same number with the same words. */
export function repeatedTexts(sim: TwilioSim): { groups: number; extra: number } {
  const seen = new Map<string, number>();
  for (const m of sim.outbound()) {
    const k = `${m.to}\u0000${m.body}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  let groups = 0;
  let extra = 0;
  for (const n of seen.values())
    if (n > 1) {
      groups++;
      extra += n - 1;
    }
  return { groups, extra };
}

/** Mails the server took more than once for the same recipient, subject and text. */
export function repeatedMails(smtp: SmtpDouble): { groups: number; extra: number } {
  const seen = new Map<string, number>();
  for (const m of smtp.mails) {
    const k = `${m.envelope.rcptTo.join(',')}\u0000${m.subject ?? ''}\u0000${m.text ?? ''}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  let groups = 0;
  let extra = 0;
  for (const n of seen.values())
    if (n > 1) {
      groups++;
      extra += n - 1;
    }
  return { groups, extra };
}
