import { DateTime } from 'luxon';
import Mustache from 'mustache';
import { z } from 'zod';
import type { AudienceFilter, CampaignInput } from '../../contract';
import { checkTemplateSyntax } from '../templates/render';
import { parseOrThrow } from '../settings/schema';
import { MAX_SMS_BODY } from '../text';
import { MERGE_FIELDS } from './content';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-12-01')
  .refine((s) => DateTime.fromISO(s).isValid, 'This date does not exist');
const range = z
  .object({ from: date, to: date })
  .refine((r) => r.from <= r.to, { message: 'The end date must be on or after the start date', path: ['to'] });
const words = z.array(z.string().trim().min(1).max(60)).max(200).optional();
const lang = z.enum(['en', 'fr', 'es']);

export const audienceSchema = z.object({
  appointment: range.nullable().optional(),
  species: words,
  serviceDue: z
    .object({ from: date, to: date, codes: words, categories: words })
    .refine((r) => r.from <= r.to, { message: 'The end date must be on or after the start date', path: ['to'] })
    .nullable()
    .optional(),
  lastVisit: z
    .object({ before: date.nullable().optional(), after: date.nullable().optional() })
    .refine((r) => !r.before || !r.after || r.after < r.before, { message: 'No visit can be both before and after these dates: swap them', path: ['before'] })
    .nullable()
    .optional(),
  cities: words,
  postalPrefixes: z.array(z.string().trim().min(1).max(10)).max(200).optional(),
  languages: z.array(lang).optional(),
  hasSms: z.boolean().nullable().optional(),
  hasEmail: z.boolean().nullable().optional(),
})
  // A misspelt filter ('specie') silently dropped would send to the whole clinic.
  .strict();

// '.' is the current item inside a {{#section}}.
const KNOWN = new Set([...MERGE_FIELDS, '.']);

/** Tags a template names that are no merge field (a typo renders as nothing; 'clinic.constructor' as "[object Object]"); partials too. */
export function unknownMergeFields(t: string): string[] {
  const out = new Set<string>();
  const walk = (tokens: unknown[][]) => {
    for (const tok of tokens) {
      const [type, name] = tok as [string, string];
      if (type === '>') out.add(`>${name}`);
      else if ((type === 'name' || type === '&' || type === '#' || type === '^') && !KNOWN.has(name)) out.add(name);
      if (Array.isArray(tok[4])) walk(tok[4] as unknown[][]);
    }
  };
  walk(Mustache.parse(t) as unknown[][]);
  return [...out];
}

const template = (max: number) =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .superRefine((t, ctx) => {
      try {
        checkTemplateSyntax(t);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'A merge field is not closed: check that every {{#section}} has its {{/section}}' });
        return;
      }
      const unknown = unknownMergeFields(t);
      if (unknown.length)
        ctx.addIssue({
          code: 'custom',
          message: `${unknown.map((n) => `{{${n}}}`).join(', ')} ${unknown.length === 1 ? 'is not a merge field' : 'are not merge fields'}. You can use ${MERGE_FIELDS.map((f) => `{{${f}}}`).join(', ')}.`,
        });
    });

/** Scripts, event handlers, javascript: links and frames: mail programs block them, and spam filters mark the mail for them. */
const ACTIVE_HTML = /<\s*(script|iframe|object|embed|form)\b|\son[a-z]+\s*=|javascript\s*:/i;
const ACTIVE_HTML_MESSAGE = 'Email HTML may not contain scripts, event handlers (onclick=…), javascript: links, frames or forms: mail programs block them.';

export const inputSchema = z
  .object({
    name: z.string().trim().min(2, 'Give the campaign a name staff will recognise').max(120),
    kind: z.enum(['alert', 'health', 'marketing']),
    audience: audienceSchema,
    delivery: z.enum(['both', 'sms', 'email', 'sms-else-email']),
    content: z.object({
      defaultLang: lang,
      sms: z.object({ en: template(MAX_SMS_BODY).optional(), fr: template(MAX_SMS_BODY).optional(), es: template(MAX_SMS_BODY).optional() }),
      email: z.object(
        Object.fromEntries(
          (['en', 'fr', 'es'] as const).map((l) => [
            l,
            z.object({ subject: template(200), body: template(20_000), html: template(50_000).refine((h) => !ACTIVE_HTML.test(h), ACTIVE_HTML_MESSAGE).nullable().optional() }).optional(),
          ]),
        ) as Record<'en' | 'fr' | 'es', z.ZodOptional<z.ZodObject<{ subject: z.ZodString; body: z.ZodString; html: z.ZodOptional<z.ZodNullable<z.ZodString>> }>>>,
      ),
    }),
    emergencyOverride: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.emergencyOverride && c.kind !== 'alert')
      ctx.addIssue({ code: 'custom', path: ['emergencyOverride'], message: 'Only an alert may go out outside the sending window' });
  });

export function parseInput(input: unknown): CampaignInput {
  return parseOrThrow(inputSchema, input, 'The campaign') as CampaignInput;
}

export function parseAudience(input: unknown): AudienceFilter {
  return parseOrThrow(audienceSchema, input ?? {}, 'The audience') as AudienceFilter;
}

/** Clinic-local 'YYYY-MM-DDTHH:MM'. */
export const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)$/;
