import type { CampaignContent, CampaignEmailText, CampaignKind, CampaignLang, ClinicProfile } from '../../contract';
import { clinicContext, renderTemplate, renderVariant, tidySms } from '../templates/render';
import { formatDay, formatTime, type Lang } from '../templates/locale';
import { joinList } from '../templates/phrasing';
import type { ClinicContext, MessageContext, RenderedMessage } from '../templates/types';
import type { Recipient } from './resolve';

export interface RenderedEmail {
  subject: string;
  /** Plain text as written; the outbox adds the clinic's footer (address, phone, unsubscribe for marketing). */
  body: string;
  html: string | null;
}

/** An SMS text of only spaces, or an email without a body (a subject alone is no email): no variant. */
const blank = (v: unknown): boolean =>
  typeof v === 'string' ? v.trim() === '' : typeof v === 'object' && v !== null && 'body' in v && String((v as { body: unknown }).body ?? '').trim() === '';

/** The variant for a language, else the campaign's default language, else any that exists. */
export function pick<T>(variants: Partial<Record<CampaignLang, T>>, lang: CampaignLang, fallback: CampaignLang): { value: T; lang: CampaignLang } | null {
  for (const l of [lang, fallback, 'en', 'fr', 'es'] as CampaignLang[]) {
    const v = variants[l];
    if (v !== undefined && v !== null && !blank(v)) return { value: v, lang: l };
  }
  return null;
}

export function hasSms(content: CampaignContent): boolean {
  return Object.values(content.sms).some((s) => !!s && s.trim() !== '');
}
export function hasEmail(content: CampaignContent): boolean {
  return Object.values(content.email).some((e) => !!e && e.body.trim() !== '');
}

const SAMPLE: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment'> = {
  firstName: 'Dana',
  lastName: 'Whitfield',
  pets: ['Max', 'Luna'],
  appointment: null,
};

/**
 * Renders campaign content for one recipient with the shared template engine (mustache, the same
 * merge fields as every template). SMS go through renderVariant, which guarantees the clinic is
 * named and adds the opt-out sentence when asked. Email is rendered as text (+ optional simple HTML)
 * without a footer: the outbox's composer adds the clinic's address, phone and, for marketing, the
 * unsubscribe line and List-Unsubscribe header to every email it sends.
 */
export function createRenderer(content: CampaignContent, kind: CampaignKind, profile: ClinicProfile | null) {
  const clinic: ClinicContext = clinicContext(profile);
  // One context, refilled for each recipient and never kept past a render. renderVariant renders
  // a child of it (Object.create): a fresh context per recipient would have V8 turn every one of
  // them into a prototype, which cost more than the rendering itself.
  const shared: MessageContext & { pets: string; petNames: string; appointment: unknown } = {
    clinic,
    client: { firstName: '', lastName: '' },
    pets: '',
    petNames: '',
    appointment: null,
  };
  const context = (r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment'>, lang: Lang): MessageContext => {
    const pets = joinList(r.pets, lang);
    const a = r.appointment;
    shared.client = { firstName: r.firstName ?? '', lastName: r.lastName ?? '' };
    shared.pets = pets;
    shared.petNames = pets;
    shared.appointment = a
      ? { date: formatDay(a.start_local.slice(0, 10), lang), time: formatTime(a.start_local.slice(11, 16), lang), pet: a.pet ?? '' }
      : null;
    return shared;
  };

  // Many owners share what a template uses ("Hi {{client.firstName}}" and a first name): the text
  // is rendered once per distinct set of the values it names. In a real clinic's list nearly every
  // first name and pet list differs, and the cache would only cost: it switches itself off when
  // fewer than one lookup in five finds a text.
  const smsCache = renderCache<RenderedMessage>();
  const emailCache = renderCache<RenderedEmail>();
  const keys = new Map<string, ((r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment'>) => string) | null>();
  const keyOf = (template: string, r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment'>): string | null => {
    let k = keys.get(template);
    if (k === undefined) keys.set(template, (k = recipientKey(template)));
    return k ? k(r) : null;
  };

  // Which variant a language gets, and the email's template text, once per language rather than
  // once per recipient.
  const smsVariant = new Map<CampaignLang, ReturnType<typeof pick<string>>>();
  const emailVariant = new Map<CampaignLang, { v: ReturnType<typeof pick<CampaignEmailText>>; template: string }>();

  return {
    /** null when the campaign has no SMS text. */
    sms(r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment' | 'lang'>, optOut: boolean): RenderedMessage | null {
      let v = smsVariant.get(r.lang);
      if (v === undefined) smsVariant.set(r.lang, (v = pick(content.sms, r.lang, content.defaultLang)));
      if (!v) return null;
      const withOptOut = optOut || kind === 'marketing';
      return smsCache.get(
        () => {
          const key = keyOf(v.value, r);
          return key === null ? null : `${v.lang}|${withOptOut ? 1 : 0}|${key}`;
        },
        () => renderVariant(null, { body: v.value }, context(r, v.lang), { lang: v.lang, channel: 'sms', optOut: withOptOut }),
      );
    },
    email(r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment' | 'lang'>): RenderedEmail | null {
      let e = emailVariant.get(r.lang);
      if (!e) {
        const v = pick<CampaignEmailText>(content.email, r.lang, content.defaultLang);
        emailVariant.set(r.lang, (e = { v, template: v ? `${v.value.subject}\u0000${v.value.body}\u0000${v.value.html ?? ''}` : '' }));
      }
      const v = e.v;
      if (!v || !v.value.body.trim()) return null;
      const t = v.value;
      const template = e.template;
      return emailCache.get(
        () => {
          const key = keyOf(template, r);
          return key === null ? null : `${v.lang}|${key}`;
        },
        () => renderEmail(t, context(r, v.lang)),
      );
    },
    sample: SAMPLE,
  };

  function renderEmail(t: CampaignEmailText, ctx: MessageContext): RenderedEmail {
    const body = renderTemplate(t.body, ctx)
      .replace(/[\u00a0\u202f\u2007]/g, ' ')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      // An abbreviation ending a field ('déc.') before the template's own full stop.
      .replace(/(?<!\.)\.\.(?!\.)/g, '.')
      .trim();
    const subject = tidySms(renderTemplate(t.subject || clinic.name, ctx)) || clinic.name;
    const html = t.html?.trim() ? renderTemplate(t.html, ctx, { html: true }) : null;
    return { subject, body, html };
  }
}

/**
 * Texts by the merge values they used. After `probe` lookups, a cache that finds fewer than one
 * in five is dropped for good: building keys and filling a map then costs more than it saves.
 */
function renderCache<T>(probe = 1000) {
  const map = new Map<string, T>();
  let lookups = 0;
  let hits = 0;
  let off = false;
  return {
    get(key: () => string | null, make: () => T): T {
      if (off) return make();
      const k = key();
      if (k === null) return make();
      lookups++;
      let v = map.get(k);
      if (v !== undefined) {
        hits++;
        return v;
      }
      v = make();
      if (lookups >= probe && hits * 5 < lookups) {
        off = true;
        map.clear();
      } else {
        if (map.size >= 20_000) map.clear();
        map.set(k, v);
      }
      return v;
    },
  };
}

/** What a campaign template may name: the merge fields the editor offers. */
export const MERGE_FIELDS = [
  'client.firstName',
  'client.lastName',
  'pets',
  'petNames',
  'appointment',
  'appointment.date',
  'appointment.time',
  'appointment.pet',
  'clinic.name',
  'clinic.phone',
  'clinic.email',
  'clinic.website',
  'clinic.address',
  'optOut',
];
const KNOWN_TAG = new Set<string>(MERGE_FIELDS);

/**
 * A function giving the recipient values a template actually uses, joined into a cache key; null
 * when the template names anything else (then every text is rendered on its own).
 */
export function recipientKey(template: string): ((r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment'>) => string) | null {
  const tags = [...template.matchAll(/{{[{#^/&!>]?\s*([^\s}]+)\s*}?}}/g)];
  // Anything this does not understand (changed delimiters, partials, a tag it cannot read): no cache.
  if (tags.length !== (template.match(/{{/g) ?? []).length) return null;
  const names = tags.filter((m) => !m[0].startsWith('{{!')).map((m) => m[1]!);
  if (names.some((n) => !KNOWN_TAG.has(n)) || tags.some((m) => m[0].startsWith('{{>'))) return null;
  const first = names.includes('client.firstName');
  const last = names.includes('client.lastName');
  const pets = names.includes('pets') || names.includes('petNames');
  const appt = names.some((n) => n.startsWith('appointment'));
  return (r) =>
    [first ? r.firstName ?? '' : '', last ? r.lastName ?? '' : '', pets ? r.pets.join('\u0001') : '', appt && r.appointment ? `${r.appointment.start_local}|${r.appointment.pet ?? ''}` : ''].join('\u0002');
}

/** Merge fields a template names that are empty for this recipient (shown beside the preview). */
export function emptyFields(template: string, r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment'>): string[] {
  const out: string[] = [];
  const uses = (f: string) => new RegExp(`{{{?\\s*${f.replace('.', '\\.')}\\s*}?}}`).test(template);
  if (uses('client.firstName') && !r.firstName) out.push('client.firstName');
  if (uses('client.lastName') && !r.lastName) out.push('client.lastName');
  if ((uses('pets') || uses('petNames')) && !r.pets.length) out.push('pets');
  for (const f of ['appointment.date', 'appointment.time', 'appointment.pet']) if (uses(f) && !r.appointment) out.push(f);
  return out;
}
