/**
 * Service and appointment categories, and which appointment covers which service. The importer
 * may fill `category` columns in its own words; these functions accept those and fall back to
 * the code, the description or the appointment's reason.
 */

/** Same words as the importer's reminder categories (pims/categories.ts). */
export type ServiceCategory = 'vaccines' | 'exam' | 'heartworm' | 'dental' | 'lab' | 'parasite' | 'other';
export const SERVICE_CATEGORIES: ServiceCategory[] = ['vaccines', 'exam', 'heartworm', 'dental', 'lab', 'parasite', 'other'];

/** 'unknown' = no reason given or one we cannot read: any appointment in the window covers. */
export type AppointmentCategory = 'vaccines' | 'exam' | 'dental' | 'sick' | 'recheck' | 'surgery' | 'grooming' | 'other' | 'unknown';

const CODE_CATEGORY: Record<string, ServiceCategory> = {
  RAB1: 'vaccines', RAB3: 'vaccines', RAB: 'vaccines', DHPP: 'vaccines', DAPP: 'vaccines', DA2PP: 'vaccines', BORD: 'vaccines', LEPTO: 'vaccines',
  LYME: 'vaccines', FVRCP: 'vaccines', FELV: 'vaccines', CIV: 'vaccines',
  EXAM: 'exam', WELL: 'exam',
  HWT: 'heartworm', HW: 'heartworm',
  DENT: 'dental', DENTAL: 'dental',
  FECAL: 'parasite', SRBW: 'lab',
};

function fromWords(text: string): ServiceCategory | null {
  const t = text.toLowerCase();
  if (/vacc|rabies|dhpp|distemper|parvo|bordetella|lepto|lyme|fvrcp|felv|leukemia|influenza/.test(t)) return 'vaccines';
  if (/heartworm/.test(t)) return 'heartworm';
  if (/dental|teeth/.test(t)) return 'dental';
  if (/exam|wellness|check-?up|physical/.test(t)) return 'exam';
  if (/fecal|parasite|deworm|flea|tick/.test(t)) return 'parasite';
  if (/blood|urin|lab|panel|test/.test(t)) return 'lab';
  return null;
}

/** The category of a due service: the importer's category if it reads as one of ours, else by code, else by description. */
export function serviceCategory(code: string, category?: string | null, description?: string | null): ServiceCategory {
  if (category) {
    const c = category.trim().toLowerCase();
    if ((SERVICE_CATEGORIES as string[]).includes(c)) return c as ServiceCategory;
    if (c.startsWith('vacc')) return 'vaccines';
    if (c === 'other') return CODE_CATEGORY[code.trim().toUpperCase()] ?? 'other';
    const w = fromWords(c);
    if (w) return w;
  }
  const byCode = CODE_CATEGORY[code.trim().toUpperCase()];
  if (byCode) return byCode;
  return (description && fromWords(description)) || 'other';
}

/** What kind of visit an appointment is, from the importer's category or the PIMS's reason text. */
export function appointmentCategory(category?: string | null, reason?: string | null): AppointmentCategory {
  for (const raw of [category, reason]) {
    const t = (raw ?? '').trim().toLowerCase();
    if (!t) continue;
    if (/vacc|shot|booster|rabies/.test(t)) return 'vaccines';
    if (/dental|teeth/.test(t)) return 'dental';
    if (/exam|wellness|annual|check-?up|physical/.test(t)) return 'exam';
    if (/sick|ill|emerg|urgent/.test(t)) return 'sick';
    if (/recheck|follow/.test(t)) return 'recheck';
    if (/surg|spay|neuter|drop/.test(t)) return 'surgery';
    if (/nail|groom|bath/.test(t)) return 'grooming';
    if (/unknown|^other$|^n\/?a$/.test(t)) continue;
    return 'other';
  }
  return 'unknown';
}

/** A vaccine visit covers vaccines, an exam covers exam and heartworm test, a dental covers dental; an unknown visit covers anything. */
export function appointmentCovers(appt: AppointmentCategory, service: ServiceCategory): boolean {
  switch (appt) {
    case 'unknown':
      return true;
    case 'vaccines':
      return service === 'vaccines';
    case 'exam':
      return service === 'exam' || service === 'heartworm';
    case 'dental':
      return service === 'dental';
    default:
      return false;
  }
}

export type AppointmentState = 'upcoming' | 'cancelled' | 'done' | 'no-show';

/** The PIMS's status in our terms. Unknown statuses count as upcoming: better a confirmation than silence. */
export function appointmentState(status: string | null | undefined): AppointmentState {
  const s = (status ?? '').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (/^cancel|^deleted|^void/.test(s)) return 'cancelled';
  if (/no ?show|missed|dna/.test(s)) return 'no-show';
  if (/complete|checked ?in|checked ?out|arrived|in progress|done|billed/.test(s)) return 'done';
  return 'upcoming';
}

/** The PIMS already holds the appointment as confirmed. */
export function pimsConfirmed(status: string | null | undefined): boolean {
  return /^confirm/.test((status ?? '').trim().toLowerCase());
}
