/**
 * Service categories. PIMS codes differ between clinics (RAB1, RABIES-1YR, 1137...), so reminders
 * are grouped by what they are for; the reminder planner and reports work on categories, and an
 * appointment booked for a category covers the reminders of the categories listed below.
 */

export type ServiceCategory = 'vaccines' | 'exam' | 'heartworm' | 'dental' | 'lab' | 'parasite' | 'other';

const BY_CODE: Record<string, ServiceCategory> = {
  RAB1: 'vaccines',
  RAB3: 'vaccines',
  RABIES: 'vaccines',
  DHPP: 'vaccines',
  DAPP: 'vaccines',
  DA2PP: 'vaccines',
  BORD: 'vaccines',
  LEPTO: 'vaccines',
  LYME: 'vaccines',
  FVRCP: 'vaccines',
  FELV: 'vaccines',
  CIV: 'vaccines',
  EXAM: 'exam',
  WELL: 'exam',
  HWT: 'heartworm',
  HW: 'heartworm',
  DENT: 'dental',
  DENTAL: 'dental',
  SRBW: 'lab',
  FECAL: 'parasite',
};

// Matched against the description when the code is not known; order matters (first hit wins).
const BY_WORDS: [RegExp, ServiceCategory][] = [
  [/heart\s*worm|\bhwt?\b/i, 'heartworm'],
  [/dental|teeth|\bdent\b/i, 'dental'],
  [/rabies|dhpp|da2?pp|distemper|parvo|bordetella|kennel cough|lepto|lyme|fvrcp|felv|leukemia|influenza|vaccin|booster/i, 'vaccines'],
  [/exam|wellness|check.?up|physical/i, 'exam'],
  [/fecal|parasite|deworm|flea|tick/i, 'parasite'],
  [/blood|lab|panel|urinalysis|\bcbc\b|chem/i, 'lab'],
];

export function reminderCategory(code: string | null | undefined, description?: string | null): ServiceCategory {
  const c = (code ?? '').trim().toUpperCase();
  if (c && BY_CODE[c]) return BY_CODE[c];
  const text = `${description ?? ''} ${code ?? ''}`;
  for (const [re, cat] of BY_WORDS) if (re.test(text)) return cat;
  return 'other';
}

/**
 * An appointment's category from its reason. Only the reasons that book preventive care get one
 * that covers reminders; 'Sick visit', 'Nail trim' and the like are 'other'. Null without a reason.
 */
export function appointmentCategory(reason: string | null | undefined): ServiceCategory | null {
  const r = (reason ?? '').trim();
  if (!r) return null;
  if (/vaccin|shots?\b|booster|rabies/i.test(r)) return 'vaccines';
  if (/dental|teeth|cleaning/i.test(r)) return 'dental';
  if (/annual|wellness|exam|check.?up|physical/i.test(r) && !/re.?check|sick/i.test(r)) return 'exam';
  return 'other';
}

/** Which reminder categories an appointment of a category takes care of (an annual exam includes the heartworm test). */
export const APPOINTMENT_COVERS: Record<ServiceCategory, ServiceCategory[]> = {
  vaccines: ['vaccines'],
  exam: ['exam', 'heartworm'],
  heartworm: ['heartworm'],
  dental: ['dental'],
  lab: ['lab'],
  parasite: ['parasite'],
  other: [],
};
