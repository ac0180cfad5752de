import type { SmtpConfig, TwilioConfig } from '../../settings/store';
import type { SmtpChannelOptions } from './smtp-channel';
import type { TwilioChannelOptions } from './twilio-channel';

/** The one translation from stored Twilio settings to channel options (sender, poller, test button). */
export function twilioOptionsFrom(cfg: TwilioConfig): TwilioChannelOptions {
  return {
    accountSid: cfg.accountSid,
    authToken: cfg.authMode === 'token' ? cfg.authToken : undefined,
    apiKey: cfg.authMode === 'apiKey' ? cfg.apiKeySid : undefined,
    apiSecret: cfg.authMode === 'apiKey' ? cfg.apiKeySecret : undefined,
    from: cfg.fromNumber || undefined,
    messagingServiceSid: cfg.messagingServiceSid || undefined,
    baseUrl: cfg.baseUrl || undefined,
  };
}

/** The one translation from stored SMTP settings to channel options. */
export function smtpOptionsFrom(cfg: SmtpConfig): SmtpChannelOptions {
  return {
    host: cfg.host,
    port: cfg.port,
    secure: cfg.security,
    user: cfg.user || undefined,
    pass: cfg.password || undefined,
    fromName: cfg.fromName,
    fromAddress: cfg.fromAddress,
    replyTo: cfg.replyTo || undefined,
  };
}
