import { DEFAULT_OPENING_HOURS, DEFAULT_QUIET_HOURS, type ClinicProfile, type SmtpSettingsInput, type TwilioSettingsInput } from '../../../src-main/contract';

export const DEFAULT_CLINIC: ClinicProfile = {
  name: '',
  address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: 'US' },
  phone: '',
  email: '',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/Los_Angeles',
  openingHours: { ...DEFAULT_OPENING_HOURS },
  quietHours: { ...DEFAULT_QUIET_HOURS },
  helpText: '',
};

export const DEFAULT_TWILIO: TwilioSettingsInput = {
  accountSid: '',
  authMode: 'token',
  apiKeySid: '',
  fromNumber: '',
  messagingServiceSid: '',
  senderType: 'long-code',
  customRate: 1,
  pricePerSegment: 0.0083,
  baseUrl: '',
};

export const DEFAULT_SMTP: SmtpSettingsInput = {
  host: '',
  port: 587,
  security: 'starttls',
  user: '',
  fromName: '',
  fromAddress: '',
  replyTo: '',
};
