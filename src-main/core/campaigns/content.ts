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

/** The variant for a language, else the campaign's default language, else any that exists. */
export function pick<T>(variants: Partial<Record<CampaignLang, T>>, lang: CampaignLang, fallback: CampaignLang): { value: T; lang: CampaignLang } | null {
  for (const l of [lang, fallback, 'en', 'fr', 'es'] as CampaignLang[]) {
    const v = variants[l];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.trim() !== '')) return { value: v, lang: l };
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
  const context = (r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment'>, lang: Lang): MessageContext => {
    const pets = joinList(r.pets, lang);
    const a = r.appointment;
    return {
      clinic,
      client: { firstName: r.firstName ?? '', lastName: r.lastName ?? '' },
      pets,
      petNames: pets,
      appointment: a
        ? { date: formatDay(a.start_local.slice(0, 10), lang), time: formatTime(a.start_local.slice(11, 16), lang), pet: a.pet ?? '' }
        : null,
    };
  };

  return {
    /** null when the campaign has no SMS text. */
    sms(r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment' | 'lang'>, optOut: boolean): RenderedMessage | null {
      const v = pick(content.sms, r.lang, content.defaultLang);
      if (!v) return null;
      return renderVariant(null, { body: v.value }, context(r, v.lang), { lang: v.lang, channel: 'sms', optOut: optOut || kind === 'marketing' });
    },
    email(r: Pick<Recipient, 'firstName' | 'lastName' | 'pets' | 'appointment' | 'lang'>): RenderedEmail | null {
      const v = pick<CampaignEmailText>(content.email, r.lang, content.defaultLang);
      if (!v || !v.value.body.trim()) return null;
      const ctx = context(r, v.lang);
      const body = renderTemplate(v.value.body, ctx)
        .replace(/[\u00a0\u202f\u2007]/g, ' ')
        .replace(/[ \t]+\n/g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
      const subject = tidySms(renderTemplate(v.value.subject || clinic.name, ctx)) || clinic.name;
      const html = v.value.html?.trim() ? renderTemplate(v.value.html, ctx, { html: true }) : null;
      return { subject, body, html };
    },
    sample: SAMPLE,
  };
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
