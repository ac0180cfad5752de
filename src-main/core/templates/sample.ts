import type { ClinicProfile } from '../../contract';
import { addDays, localDate } from '../schedule/local-time';
import { formatDate, formatDay, formatTime, type Lang } from './locale';
import { RELATIVE_DAY } from './defaults';
import { petNames, petsDatedPhrase, petsPhrase, serviceName, type DueService } from './phrasing';
import { clinicContext } from './render';
import type { MessageContext } from './types';

/**
 * A made-up household (Max and Luna) for template previews, with every merge field filled, so
 * the clinic sees length and segments with typical names before anything is sent.
 */
export function sampleContext(clinic: ClinicProfile | null, lang: Lang, now: Date): MessageContext {
  const tz = clinic?.timeZone ?? 'America/Los_Angeles';
  const today = localDate(now, tz);
  const due: DueService[] = [
    { petId: 1, petName: 'Max', petSex: 'M', code: 'RAB1', dueDate: addDays(today, 7) },
    { petId: 1, petName: 'Max', petSex: 'M', code: 'DHPP', dueDate: addDays(today, 7) },
    { petId: 2, petName: 'Luna', petSex: 'F', code: 'EXAM', dueDate: addDays(today, 12) },
  ];
  const visit = addDays(today, 2);
  return {
    clinic: clinicContext(clinic),
    client: { firstName: 'Alex', lastName: 'Morgan' },
    pets: petsPhrase(due, lang),
    petsDated: petsDatedPhrase(due, lang),
    petNames: petNames(due, lang),
    due: formatDate(due[0].dueDate, lang),
    items: due.map((d) => ({ pet: d.petName, service: serviceName(d.code, null, lang).text, due: formatDate(d.dueDate, lang) })),
    pet: 'Max',
    date: formatDay(visit, lang),
    time: formatTime('14:30', lang),
    when: RELATIVE_DAY[lang].today,
    doctor: 'Dr. Marsh',
  };
}
