import { formatDate, type Lang } from './locale';

/**
 * How a household's due services read in a message: "Max is due for Rabies and DHPP, and Luna
 * for her wellness exam". Vaccines are proper names; exams and tests take the pet's pronoun.
 */

interface ServiceWords {
  en: string;
  fr: string;
  es: string;
  /** "her wellness exam" rather than "her Rabies". */
  possessive?: boolean;
}

const SERVICES: Record<string, ServiceWords> = {
  RAB: { en: 'Rabies', fr: 'rage', es: 'rabia' },
  DHPP: { en: 'DHPP', fr: 'DHPP', es: 'DHPP' },
  DAPP: { en: 'DAPP', fr: 'DAPP', es: 'DAPP' },
  BORD: { en: 'Bordetella', fr: 'Bordetella', es: 'Bordetella' },
  LEPTO: { en: 'Leptospirosis', fr: 'leptospirose', es: 'leptospirosis' },
  LYME: { en: 'Lyme', fr: 'maladie de Lyme', es: 'Lyme' },
  FVRCP: { en: 'FVRCP', fr: 'FVRCP', es: 'FVRCP' },
  FELV: { en: 'FeLV', fr: 'FeLV', es: 'FeLV' },
  CIV: { en: 'Canine Influenza', fr: 'grippe canine', es: 'influenza canina' },
  EXAM: { en: 'wellness exam', fr: 'examen annuel', es: 'examen anual', possessive: true },
  HWT: { en: 'heartworm test', fr: 'test du ver du coeur', es: 'prueba de dirofilaria', possessive: true },
  DENT: { en: 'dental cleaning', fr: 'détartrage', es: 'limpieza dental', possessive: true },
  FECAL: { en: 'fecal test', fr: 'examen des selles', es: 'examen fecal', possessive: true },
  SRBW: { en: 'senior bloodwork', fr: 'bilan sanguin', es: 'examen de sangre', possessive: true },
};

/** RAB1 and RAB3 are both "Rabies" to an owner. */
function serviceKey(code: string): string {
  const c = code.trim().toUpperCase();
  if (/^RAB/.test(c)) return 'RAB';
  return c;
}

export interface ServicePhrase {
  key: string;
  text: string;
  possessive: boolean;
}

export function serviceName(code: string, description: string | null | undefined, lang: Lang): ServicePhrase {
  const key = serviceKey(code);
  const w = SERVICES[key];
  if (w) return { key, text: w[lang], possessive: !!w.possessive };
  const d = (description ?? '').trim();
  return { key, text: d || code, possessive: false };
}

const AND: Record<Lang, string> = { en: 'and', fr: 'et', es: 'y' };

/** 'A', 'A and B', 'A, B and C' (', and' before a clause is added by the caller). */
export function joinList(parts: string[], lang: Lang): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} ${AND[lang]} ${parts[parts.length - 1]}`;
}

export interface DueService {
  petId: number;
  petName: string;
  /** 'M' | 'F' | 'U' or whatever the PIMS wrote; only used for "his"/"her". */
  petSex?: string | null;
  code: string;
  description?: string | null;
  dueDate: string;
  /** Past its due date: "is overdue for" rather than "is due for". */
  overdue?: boolean;
}

interface PetGroup {
  name: string;
  sex: string | null | undefined;
  services: ServicePhrase[];
  firstDue: string;
}

/** Pets in order of their first due date, each with its distinct services. */
export function groupByPet(items: DueService[], lang: Lang): PetGroup[] {
  const byPet = new Map<number, PetGroup>();
  for (const it of items) {
    let g = byPet.get(it.petId);
    if (!g) {
      g = { name: displayPetName(it.petName, lang), sex: it.petSex, services: [], firstDue: it.dueDate };
      byPet.set(it.petId, g);
    }
    if (it.dueDate < g.firstDue) g.firstDue = it.dueDate;
    const s = serviceName(it.code, it.description, lang);
    if (!g.services.some((x) => x.key === s.key)) g.services.push(s);
  }
  // Rabies first: it is the one the law requires, and owners look for it.
  for (const g of byPet.values()) g.services.sort((a, b) => (a.key === 'RAB' ? 0 : 1) - (b.key === 'RAB' ? 0 : 1));
  // Map order is the order pets came in (the PIMS's order), which breaks ties between equal due dates.
  return [...byPet.values()].sort((a, b) => (a.firstDue < b.firstDue ? -1 : a.firstDue > b.firstDue ? 1 : 0));
}

const FALLBACK_PET: Record<Lang, string> = { en: 'your pet', fr: 'votre animal', es: 'su mascota' };

export function displayPetName(name: string | null | undefined, lang: Lang): string {
  const n = (name ?? '').trim();
  return n || FALLBACK_PET[lang];
}

function pronoun(sex: string | null | undefined): string {
  const s = (sex ?? '').toUpperCase();
  if (s.startsWith('F')) return 'her';
  if (s.startsWith('M')) return 'his';
  return 'a';
}

function englishServices(g: PetGroup): string {
  // Vaccines first ("Rabies and DHPP"), then the pronoun-led services ("her wellness exam").
  const named = g.services.filter((s) => !s.possessive).map((s) => s.text);
  const owned = g.services.filter((s) => s.possessive).map((s) => `${pronoun(g.sex)} ${s.text}`);
  return joinList([...named, ...owned], 'en');
}

function englishClauses(items: DueService[], verb: string): string[] {
  return groupByPet(items, 'en').map((g, i) => (i === 0 ? `${g.name} ${verb} ${englishServices(g)}` : `${g.name} for ${englishServices(g)}`));
}

function englishSentence(clauses: string[]): string {
  if (clauses.length <= 1) return clauses[0] ?? '';
  if (clauses.length === 2) return `${clauses[0]}, and ${clauses[1]}`;
  return `${clauses.slice(0, -1).join(', ')}, and ${clauses[clauses.length - 1]}`;
}

/**
 * The sentence naming every pet and what each is due for.
 * en: "Max is due for Rabies and DHPP, and Luna for her wellness exam"; overdue items read
 * "is overdue for", and a household with both gets two clauses joined by "; ".
 * fr/es: "Max (rage et DHPP) et Luna (examen annuel)" — the template supplies the verb, which
 * keeps gender agreement out of code.
 */
export function petsPhrase(items: DueService[], lang: Lang): string {
  if (lang !== 'en') {
    return joinList(
      groupByPet(items, lang).map((g) => `${g.name} (${joinList(g.services.map((s) => s.text), lang)})`),
      lang,
    );
  }
  const upcoming = items.filter((i) => !i.overdue);
  const overdue = items.filter((i) => i.overdue);
  const parts: string[] = [];
  if (overdue.length) parts.push(englishSentence(englishClauses(overdue, 'is overdue for')));
  if (upcoming.length) parts.push(englishSentence(englishClauses(upcoming, 'is due for')));
  return parts.join('; ');
}

const DATED: Record<Lang, { upcoming: (d: string) => string; overdue: (d: string) => string }> = {
  en: { upcoming: (d) => `by ${d}`, overdue: (d) => `(due ${d})` },
  fr: { upcoming: (d) => `d'ici le ${d}`, overdue: (d) => `depuis le ${d}` },
  es: { upcoming: (d) => `antes del ${d}`, overdue: (d) => `desde el ${d}` },
};

/**
 * The household sentence with its dates inside it, so no date can be read as belonging to the
 * wrong pet or service: en "Max is due for Rabies by Dec 12, and Luna for her wellness exam by
 * Dec 20; Bella is overdue for DHPP (due Nov 27)"; fr/es "Max (rage, d'ici le 12 déc.)". Each pet
 * gets its first date of that part; a part whose pets share one date says it once.
 */
export function petsDatedPhrase(items: DueService[], lang: Lang): string {
  const words = DATED[lang];
  const dated = (g: PetGroup, overdue: boolean) => (overdue ? words.overdue : words.upcoming)(formatDate(g.firstDue, lang));
  if (lang !== 'en') {
    const label = (list: DueService[], overdue: boolean) => groupByPet(list, lang).map((g) => `${g.name} (${joinList(g.services.map((x) => x.text), lang)}, ${dated(g, overdue)})`);
    return joinList([...label(items.filter((i) => i.overdue), true), ...label(items.filter((i) => !i.overdue), false)], lang);
  }
  const part = (list: DueService[], verb: string, overdue: boolean): string => {
    const groups = groupByPet(list, 'en');
    const oneDate = groups.every((g) => g.firstDue === groups[0].firstDue);
    const clauses = groups.map((g, i) => `${i === 0 ? `${g.name} ${verb}` : `${g.name} for`} ${englishServices(g)}${oneDate ? '' : ` ${dated(g, overdue)}`}`);
    return `${englishSentence(clauses)}${oneDate ? ` ${dated(groups[0], overdue)}` : ''}`;
  };
  const overdue = items.filter((i) => i.overdue);
  const upcoming = items.filter((i) => !i.overdue);
  const parts: string[] = [];
  if (overdue.length) parts.push(part(overdue, 'is overdue for', true));
  if (upcoming.length) parts.push(part(upcoming, 'is due for', false));
  return parts.join('; ');
}

/** "Max", "Max and Luna", "Max, Bella and Luna". */
export function petNames(items: DueService[], lang: Lang): string {
  return joinList(
    groupByPet(items, lang).map((g) => g.name),
    lang,
  );
}
