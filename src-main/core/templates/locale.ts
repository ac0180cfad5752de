import { DateTime } from 'luxon';

export type Lang = 'en' | 'fr' | 'es';
export const LANGS: Lang[] = ['en', 'fr', 'es'];

/** A client's language as the PIMS wrote it ('fr', 'FR', 'French', 'fr-CA') -> a template language. */
export function toLang(raw: string | null | undefined): Lang {
  const v = (raw ?? '').trim().toLowerCase();
  if (v.startsWith('fr')) return 'fr';
  if (v.startsWith('es') || v.startsWith('sp')) return 'es';
  return 'en';
}

/*
 * Own month and weekday tables rather than Intl: Intl output changes between ICU versions and
 * brings characters outside GSM-7 (narrow no-break spaces, 'août', 'sábado') that would turn a
 * one-segment text into a UCS-2 text costing two or three segments.
 */
const MONTHS: Record<Lang, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  fr: ['janv.', 'févr.', 'mars', 'avril', 'mai', 'juin', 'juil.', 'aout', 'sept.', 'oct.', 'nov.', 'déc.'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
};
const WEEKDAYS: Record<Lang, string[]> = {
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  // Spanish weekday names carry accents outside GSM-7 (sábado, miércoles): dates go without them.
  es: ['', '', '', '', '', '', ''],
};

const ymd = (date: string) => ({ y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)) });
const weekdayIndex = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;

/** A calendar date for a message body: 'Dec 8' / '8 déc.' / '8 de diciembre'. */
export function formatDate(date: string, lang: Lang): string {
  const { m, d } = ymd(date);
  if (lang === 'fr') return `${d} ${MONTHS.fr[m - 1]}`;
  if (lang === 'es') return `${d} de ${MONTHS.es[m - 1]}`;
  return `${MONTHS.en[m - 1]} ${d}`;
}

/** With the weekday where the language allows it: 'Tue Dec 8' / 'mardi 8 déc.' / '8 de diciembre'. */
export function formatDay(date: string, lang: Lang): string {
  const w = WEEKDAYS[lang][weekdayIndex(date)];
  return w ? `${w} ${formatDate(date, lang)}` : formatDate(date, lang);
}

/** Wall-clock time: '2:30 PM' / '14 h 30' / '14:30'. */
export function formatTime(hhmm: string, lang: Lang): string {
  const h = Number(hhmm.slice(0, 2));
  const min = hhmm.slice(3, 5);
  if (lang === 'fr') return `${h} h ${min}`;
  if (lang === 'es') return `${h}:${min}`;
  return `${h % 12 === 0 ? 12 : h % 12}:${min} ${h < 12 ? 'AM' : 'PM'}`;
}

const partsMemo = new Map<string, { date: string; time: string }>();

/** Clinic-local date and time of an instant, for bodies that must never show UTC. */
export function localParts(instant: Date | string, zone: string): { date: string; time: string } {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const k = `${ms}|${zone}`;
  let p = partsMemo.get(k);
  if (!p) {
    const dt = DateTime.fromMillis(ms, { zone });
    p = { date: dt.toISODate()!, time: dt.toFormat('HH:mm') };
    if (partsMemo.size > 20_000) partsMemo.clear();
    partsMemo.set(k, p);
  }
  return { ...p };
}
