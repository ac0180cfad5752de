import { currentFormat } from '../../ui/format';
import type { AudienceFilter, CampaignContent, CampaignDelivery, CampaignInput, CampaignKind, CampaignLang, CampaignStatus } from '../../../src-main/contract';

export const KIND_LABEL: Record<CampaignKind, string> = {
  alert: 'Alert (closure, policy change)',
  health: 'Health (counts toward health caps)',
  marketing: 'Marketing (needs marketing consent)',
};
export const KIND_SHORT: Record<CampaignKind, string> = { alert: 'Alert', health: 'Health', marketing: 'Marketing' };

export const DELIVERY_LABEL: Record<CampaignDelivery, string> = {
  both: 'Text and email (every channel each owner has)',
  sms: 'Text only',
  email: 'Email only',
  'sms-else-email': 'Text, or email when there is no textable number',
};

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending',
  paused: 'Paused',
  finished: 'Finished',
  cancelled: 'Cancelled',
};


export const LANG_LABEL: Record<CampaignLang, string> = { en: 'English', fr: 'French', es: 'Spanish' };

export const emptyContent = (): CampaignContent => ({ defaultLang: 'en', sms: { en: '' }, email: { en: { subject: '', body: '', html: '' } } });

export const emptyInput = (): CampaignInput => ({ name: '', kind: 'alert', audience: {}, delivery: 'both', content: emptyContent(), emergencyOverride: false });

/** Drops empty language variants and empty filters, so the core sees only what the manager filled in. */
export function cleanInput(v: CampaignInput): CampaignInput {
  const sms: CampaignContent['sms'] = {};
  const email: CampaignContent['email'] = {};
  for (const l of ['en', 'fr', 'es'] as CampaignLang[]) {
    const s = v.content.sms[l];
    if (s && s.trim()) sms[l] = s;
    const e = v.content.email[l];
    if (e && (e.body.trim() || e.subject.trim())) email[l] = { subject: e.subject, body: e.body, html: e.html?.trim() ? e.html : null };
  }
  return { ...v, audience: cleanAudience(v.audience), content: { defaultLang: v.content.defaultLang, sms, email } };
}

export function cleanAudience(a: AudienceFilter): AudienceFilter {
  const out: AudienceFilter = {};
  if (a.appointment?.from && a.appointment.to) out.appointment = a.appointment;
  if (a.species?.length) out.species = a.species;
  if (a.serviceDue?.from && a.serviceDue.to) out.serviceDue = a.serviceDue;
  if (a.lastVisit?.before || a.lastVisit?.after) out.lastVisit = { before: a.lastVisit.before || null, after: a.lastVisit.after || null };
  if (a.cities?.length) out.cities = a.cities;
  if (a.postalPrefixes?.length) out.postalPrefixes = a.postalPrefixes;
  if (a.languages?.length) out.languages = a.languages;
  if (a.hasSms === true || a.hasSms === false) out.hasSms = a.hasSms;
  if (a.hasEmail === true || a.hasEmail === false) out.hasEmail = a.hasEmail;
  return out;
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const money = (n: number) => currentFormat().money(n);
export const num = (n: number) => currentFormat().num(n);
/** Clinic time, whatever this computer's zone. */
export const localText = (iso: string | null) => currentFormat().longDateTime(iso);
