import type { ClinicProfile, SmtpSettingsInput, TwilioSettingsInput } from '../../src-main/contract';

export const CLINIC: ClinicProfile = {
  name: 'Larkspur Hollow Veterinary Clinic',
  address: { line1: '1200 Larkspur Way', city: 'Seattle', region: 'WA', postalCode: '98103', country: 'US' },
  phone: '(206) 555-0100',
  email: 'frontdesk@larkspur.example.com',
  timeZone: 'America/Los_Angeles',
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
};

export const TWILIO: TwilioSettingsInput = {
  accountSid: 'AC' + 'a'.repeat(32),
  authMode: 'token',
  authToken: 'tok_SuperSecret_1234567890',
  apiKeySid: '',
  fromNumber: '+12065550100',
  messagingServiceSid: '',
  senderType: 'long-code',
  customRate: 1,
  pricePerSegment: 0.0083,
  baseUrl: '',
};

export const SMTP: SmtpSettingsInput = {
  host: '127.0.0.1',
  port: 2525,
  security: 'none',
  user: 'desk',
  password: 'mail-Pa55word-XYZ',
  fromName: 'Larkspur Hollow Veterinary Clinic',
  fromAddress: 'frontdesk@larkspur.example.com',
  replyTo: '',
};
