import type { ClinicProfile, SmtpSettingsInput, TwilioSettingsInput } from '../../../src-main/contract';

export const DEFAULT_CLINIC: ClinicProfile = {
  name: '',
  address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: 'US' },
  phone: '',
  email: '',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/Los_Angeles',
  openingHours: {
    mon: { open: '08:00', close: '18:00' },
    tue: { open: '08:00', close: '18:00' },
    wed: { open: '08:00', close: '18:00' },
    thu: { open: '08:00', close: '18:00' },
    fri: { open: '08:00', close: '18:00' },
    sat: { open: '09:00', close: '13:00' },
    sun: null,
  },
  quietHours: { start: '09:00', end: '20:00' },
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
