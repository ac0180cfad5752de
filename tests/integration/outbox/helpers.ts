import type { ClinicProfile, SmtpSettingsInput, TwilioSettingsInput } from '../../../src-main/contract';
import { createCore, type Core, type CoreOptions } from '../../../src-main/core';
import type { MessagingOptions } from '../../../src-main/core/messaging';
import type { OutboundDraft } from '../../../src-main/core/messaging/types';
import type { Clock } from '../../../src-main/core/shared/clock';
import { silentLogger } from '../../../src-main/core/shared/log';
import type { SmtpDouble } from '../../doubles/smtp';
import type { TwilioSim } from '../../doubles/twilio-sim';
import { CLINIC } from '../../helpers/settings-fixtures';
import { tempDir } from '../../helpers/tmp';

export const FROM = '+12065550100';

/**
 * A fixed-offset zone in which `now` is early afternoon, so tests that send "now" are inside every
 * send window whatever time the suite runs at.
 */
export function middayZone(now = new Date()): string {
  const offset = 13 - now.getUTCHours();
  if (offset === 0) return 'Etc/GMT';
  // Etc/GMT+N is N hours *behind* UTC.
  return `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export function clinicIn(timeZone: string): ClinicProfile {
  const open = { open: '08:00', close: '18:00' };
  return {
    ...CLINIC,
    timeZone,
    openingHours: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: open, sun: open },
  };
}

export function twilioFor(sim: TwilioSim, over: Partial<TwilioSettingsInput> = {}): TwilioSettingsInput {
  return {
    accountSid: sim.account.sid,
    authMode: 'token',
    authToken: sim.account.authToken,
    apiKeySid: '',
    fromNumber: FROM,
    messagingServiceSid: '',
    senderType: 'custom',
    customRate: 1000,
    pricePerSegment: 0.0083,
    baseUrl: sim.url,
    ...over,
  };
}

export function smtpFor(smtp: SmtpDouble, over: Partial<SmtpSettingsInput> = {}): SmtpSettingsInput {
  return {
    host: smtp.host,
    port: smtp.port,
    security: 'none',
    user: '',
    password: '',
    fromName: 'Clínica Veterinária Larkspur',
    fromAddress: 'frontdesk@larkspur.example.com',
    replyTo: 'hello@larkspur.example.com',
    ...over,
  };
}

/** Fast timings for tests: short polls and backoffs, no rate limit unless a test sets one. */
export const FAST: MessagingOptions = {
  pollMs: 20,
  probeMs: 50,
  statusPollMs: 60_000,
  reconcileGraceMs: 0,
  progressMs: 50,
  changeEventMs: 20,
  rate: Infinity,
  twilioTimeoutMs: 2_000,
  smtpTimeoutMs: 3_000,
  retry: { transientBaseMs: 30, transientCapMs: 200, rateLimitedBaseMs: 30, rateLimitedCapMs: 200, lookupBaseMs: 30, lookupCapMs: 200, deliveryRetryDelayMs: 50 },
};

export interface Desk {
  core: Core;
  dir: string;
  cleanup(): Promise<void>;
  /** Calls a handler and unwraps its envelope. */
  call<T = any>(method: string, arg?: unknown): Promise<T>;
}

export async function openDesk(o: {
  sim?: TwilioSim;
  smtp?: SmtpDouble;
  clock?: Clock;
  clinic?: ClinicProfile | null;
  twilio?: Partial<TwilioSettingsInput>;
  smtpSettings?: Partial<SmtpSettingsInput>;
  outbox?: MessagingOptions;
  dir?: string;
  start?: boolean;
  core?: Partial<CoreOptions>;
}): Promise<Desk> {
  const t = o.dir ? { dir: o.dir, cleanup() {} } : tempDir('pawline-outbox-');
  const core = createCore({ dataDir: t.dir, host: 'web', logger: silentLogger, clock: o.clock, outbox: { ...FAST, ...o.outbox }, ...o.core });
  const call = async (method: string, arg?: unknown) => {
    const env = (await core.invoke(method, arg)) as { ok: boolean; value?: unknown; error?: { message: string } };
    if (!env.ok) throw new Error(`${method}: ${env.error?.message}`);
    return env.value as any;
  };
  const clinic = o.clinic === undefined ? clinicIn(middayZone(o.clock?.now())) : o.clinic;
  if (clinic) await call('settings.saveClinic', clinic);
  if (o.sim) await call('settings.saveTwilio', twilioFor(o.sim, o.twilio));
  if (o.smtp) await call('settings.saveSmtp', smtpFor(o.smtp, o.smtpSettings));
  if (o.start !== false) core.start();
  return {
    core,
    dir: t.dir,
    call,
    cleanup: async () => {
      await core.close();
      t.cleanup();
    },
  };
}

let n = 0;
export function sms(to: string, body: string, over: Partial<OutboundDraft> = {}): OutboundDraft {
  return { dedupeKey: `test:${++n}:${body}:${to}`, channel: 'sms', kind: 'alert', to, body, notBefore: new Date(0), createdBy: 'test', ...over };
}

export function email(to: string, subject: string, body: string, over: Partial<OutboundDraft> = {}): OutboundDraft {
  return { dedupeKey: `test:${++n}:${subject}:${to}`, channel: 'email', kind: 'alert', to, subject, body, notBefore: new Date(0), createdBy: 'test', ...over };
}

export const phone = (i: number) => `+1206555${String(1000 + (i % 9000)).padStart(4, '0')}`;

/** Waits until `check` returns a truthy value (polling; never asserts on elapsed time). */
export async function until<T>(check: () => T | Promise<T>, what = 'condition', tries = 500, everyMs = 20): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function statusOf(core: Core, id: number) {
  return core.outbox.get(id)!.status;
}

export function countByStatus(core: Core): Record<string, number> {
  const rows = core.db.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) n FROM messages GROUP BY status').all();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
