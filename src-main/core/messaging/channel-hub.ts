import type { SettingsStore, SmtpConfig, TwilioConfig } from '../settings/store';
import { isChannelError } from './channels/errors';
import { smtpOptionsFrom, twilioOptionsFrom } from './channels/from-settings';
import { createSmtpChannel, type SmtpChannel, type SmtpChannelOptions } from './channels/smtp-channel';
import { createTwilioChannel, type TwilioChannel, type TwilioChannelOptions } from './channels/twilio-channel';
import { senderRate } from './rate-limiter';

export interface SmsLink {
  /** Identity of the sender: one rate bucket per key. */
  key: string;
  /** The From number, or null when a Messaging Service picks it. */
  from: string | null;
  channel: TwilioChannel;
  /** Segments per second the sender type allows. */
  rate: number;
  pricePerSegment: number;
}

export interface EmailLink {
  key: string;
  channel: SmtpChannel;
  config: SmtpConfig;
}

export type Link<T> = { ok: true; link: T } | { ok: false; reason: string };

export interface ChannelFactories {
  twilio?: (o: TwilioChannelOptions) => TwilioChannel;
  smtp?: (o: SmtpChannelOptions) => SmtpChannel;
}

export interface ChannelHubOptions {
  factories?: ChannelFactories;
  twilioTimeoutMs?: number;
  /** Simultaneous HTTP requests to Twilio (sockets in the keep-alive pool). */
  twilioSockets?: number;
  smtpMaxConnections?: number;
  smtpTimeoutMs?: number;
  /** Overrides the sender type's rate (tests and benchmarks against the simulator). */
  rateOverride?: number;
}

/**
 * Builds the Twilio and SMTP channels from the stored settings and rebuilds them when the settings
 * change. A replaced channel is closed a while later, so requests still in flight on it can finish.
 */
export interface ChannelHub {
  sms(): Link<SmsLink>;
  email(): Link<EmailLink>;
  /** Re-reads settings; returns the channels whose configuration changed. */
  rebuild(): ('sms' | 'email')[];
  close(): void;
}

const RETIRE_AFTER_MS = 60_000;

export function createChannelHub(settings: SettingsStore, o: ChannelHubOptions = {}): ChannelHub {
  const makeTwilio = o.factories?.twilio ?? createTwilioChannel;
  const makeSmtp = o.factories?.smtp ?? createSmtpChannel;
  let smsKey = '';
  let emailKey = '';
  let sms: Link<SmsLink> = { ok: false, reason: 'Twilio is not set up yet: texts wait in the outbox.' };
  let email: Link<EmailLink> = { ok: false, reason: 'Email is not set up yet: emails wait in the outbox.' };
  const retired = new Set<{ close(): void }>();

  const retire = (c: { close(): void }) => {
    retired.add(c);
    const t = setTimeout(() => {
      retired.delete(c);
      c.close();
    }, RETIRE_AFTER_MS);
    t.unref?.();
  };

  const buildSms = (cfg: TwilioConfig | null): Link<SmsLink> => {
    if (!cfg) return { ok: false, reason: 'Twilio is not set up yet: texts wait in the outbox.' };
    try {
      const channel = makeTwilio({
        ...twilioOptionsFrom(cfg),
        timeoutMs: o.twilioTimeoutMs,
        maxSockets: o.twilioSockets,
      });
      return {
        ok: true,
        link: {
          key: cfg.messagingServiceSid || cfg.fromNumber,
          from: cfg.messagingServiceSid ? null : cfg.fromNumber,
          channel,
          rate: o.rateOverride ?? senderRate(cfg.senderType, cfg.customRate),
          pricePerSegment: cfg.pricePerSegment,
        },
      };
    } catch (e) {
      const hint = isChannelError(e) && e.hint ? ` ${e.hint}` : '';
      return { ok: false, reason: `Twilio settings are incomplete: ${e instanceof Error ? e.message : String(e)}.${hint}` };
    }
  };

  const buildEmail = (cfg: SmtpConfig | null): Link<EmailLink> => {
    if (!cfg) return { ok: false, reason: 'Email is not set up yet: emails wait in the outbox.' };
    const channel = makeSmtp({
      ...smtpOptionsFrom(cfg),
      pool: true,
      maxConnections: o.smtpMaxConnections ?? 3,
      timeoutMs: o.smtpTimeoutMs,
    });
    return { ok: true, link: { key: `${cfg.host}:${cfg.port}:${cfg.user}`, channel, config: cfg } };
  };

  const rebuild = (): ('sms' | 'email')[] => {
    const changed: ('sms' | 'email')[] = [];
    const tw = settings.twilio();
    const tk = JSON.stringify(tw);
    if (tk !== smsKey) {
      if (sms.ok) retire(sms.link.channel);
      smsKey = tk;
      sms = buildSms(tw);
      changed.push('sms');
    }
    const sm = settings.smtp();
    const ek = JSON.stringify(sm);
    if (ek !== emailKey) {
      if (email.ok) retire(email.link.channel);
      emailKey = ek;
      email = buildEmail(sm);
      changed.push('email');
    }
    return changed;
  };

  rebuild();
  return {
    sms: () => sms,
    email: () => email,
    rebuild,
    close() {
      if (sms.ok) sms.link.channel.close();
      if (email.ok) email.link.channel.close();
      for (const c of retired) c.close();
      retired.clear();
    },
  };
}
