import { IANAZone } from 'luxon';
import { z } from 'zod';
import { WEEKDAYS } from '../../contract';
import { ApiError } from '../shared/errors';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use 24-hour time like 09:00');
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

const hours = z
  .object({ open: hhmm, close: hhmm })
  .refine((h) => minutes(h.open) < minutes(h.close), { message: 'Closing time must be after opening time', path: ['close'] });

export const clinicSchema = z.object({
  name: z.string().trim().min(2, 'Enter the clinic name as owners know it').max(80),
  address: z.object({
    line1: z.string().trim().min(3, 'Enter the street address'),
    line2: z.string().trim().optional(),
    city: z.string().trim().min(2, 'Enter the city'),
    region: z.string().trim().min(2, 'Enter the state or province'),
    postalCode: z.string().trim().regex(/^(\d{5}(-\d{4})?|[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d)$/, 'Use a US ZIP (98103) or a Canadian postal code (V6B 1A1)'),
    country: z.enum(['US', 'CA']),
  }),
  phone: z.string().trim().regex(/^[+()\d\s.-]{10,20}$/, 'Enter the booking phone, e.g. (206) 555-0100'),
  email: z.email('Enter a valid email address').trim(),
  website: z.string().trim().optional(),
  timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'Choose a time zone from the list (e.g. America/Los_Angeles)'),
  openingHours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, hours.nullable()])) as Record<(typeof WEEKDAYS)[number], z.ZodNullable<typeof hours>>),
  quietHours: z
    .object({ start: hhmm, end: hhmm })
    .refine((q) => minutes(q.start) >= 8 * 60, { message: 'Texts may not start before 08:00 (TCPA)', path: ['start'] })
    .refine((q) => minutes(q.end) <= 21 * 60, { message: 'Texts may not be sent after 21:00 (TCPA)', path: ['end'] })
    .refine((q) => minutes(q.start) < minutes(q.end), { message: 'The window must end after it starts', path: ['end'] }),
  helpText: z.string().trim().max(300).optional(),
});

const e164 = /^\+[1-9]\d{7,14}$/;

export const twilioSchema = z
  .object({
    accountSid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'The Account SID starts with AC followed by 32 letters and digits (Twilio Console > Account info)'),
    authMode: z.enum(['token', 'apiKey']),
    authToken: z.string().trim().optional(),
    apiKeySid: z.string().trim().default(''),
    apiKeySecret: z.string().trim().optional(),
    fromNumber: z.string().trim().default(''),
    messagingServiceSid: z.string().trim().default(''),
    senderType: z.enum(['long-code', '10dlc-low', '10dlc-standard', 'toll-free', 'short-code', 'custom']),
    customRate: z.number().positive('Enter messages per second above 0').max(1000).default(1),
    pricePerSegment: z.number().min(0).max(1).default(0.0083),
    baseUrl: z
      .string()
      .trim()
      .default('')
      .refine((u) => u === '' || /^https?:\/\/[^\s/]+(:\d+)?(\/.*)?$/.test(u), 'Enter a full URL like https://api.twilio.com, or leave empty'),
  })
  .superRefine((t, ctx) => {
    if (t.authMode === 'apiKey' && !/^SK[0-9a-fA-F]{32}$/.test(t.apiKeySid))
      ctx.addIssue({ code: 'custom', path: ['apiKeySid'], message: 'An API key SID starts with SK followed by 32 letters and digits' });
    if (!t.fromNumber && !t.messagingServiceSid)
      ctx.addIssue({ code: 'custom', path: ['fromNumber'], message: 'Enter the clinic texting number (+12065550100) or a Messaging Service SID' });
    if (t.fromNumber && !e164.test(t.fromNumber))
      ctx.addIssue({ code: 'custom', path: ['fromNumber'], message: 'Write the number in international form, e.g. +12065550100' });
    if (t.messagingServiceSid && !/^MG[0-9a-fA-F]{32}$/.test(t.messagingServiceSid))
      ctx.addIssue({ code: 'custom', path: ['messagingServiceSid'], message: 'A Messaging Service SID starts with MG followed by 32 letters and digits' });
  });

export const smtpSchema = z
  .object({
    host: z.string().trim().min(1, 'Enter the mail server name, e.g. smtp.office365.com').regex(/^[A-Za-z0-9.-]+$/, 'A host name has only letters, digits, dots and dashes'),
    port: z.number().int().min(1).max(65535, 'Ports go from 1 to 65535'),
    security: z.enum(['tls', 'starttls', 'none']),
    user: z.string().trim().default(''),
    password: z.string().optional(),
    fromName: z.string().trim().min(1, 'Enter the name owners see, e.g. the clinic name'),
    fromAddress: z.email('Enter the address mail is sent from').trim(),
    replyTo: z.union([z.literal(''), z.email('Enter a valid reply-to address or leave empty')]).default(''),
  })
  .superRefine((s, ctx) => {
    if (s.security === 'tls' && s.port === 587)
      ctx.addIssue({ code: 'custom', path: ['security'], message: 'Port 587 uses STARTTLS; choose STARTTLS, or port 465 for TLS' });
    if (s.security === 'starttls' && s.port === 465)
      ctx.addIssue({ code: 'custom', path: ['security'], message: 'Port 465 uses TLS from the start; choose TLS, or port 587 for STARTTLS' });
  });

export const generalSchema = z.object({
  exportFolder: z.string().trim().min(1).nullable().optional(),
  planTime: hhmm.optional(),
  setupComplete: z.boolean().optional(),
});

/** Parses or throws an ApiError with one message per field path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  const n = Object.keys(fields).length;
  throw new ApiError('validation', `${what}: ${n} field${n === 1 ? ' needs' : 's need'} attention.`, fields);
}
