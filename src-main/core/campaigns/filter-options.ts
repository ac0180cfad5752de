import type { CampaignFilterOptions } from '../../contract';
import type { Db } from '../db/open';
import { localDate } from '../schedule/local-time';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';

/** What the audience editor offers to pick from: the clinic's own species, cities and services. */
export function filterOptions(db: Db, settings: SettingsStore, clock: Clock, zone: string, marketingCap: number): CampaignFilterOptions {
  const species = db
    .prepare<[], { s: string }>("SELECT species s, COUNT(*) n FROM patients WHERE gone = 0 AND deceased = 0 AND species IS NOT NULL AND trim(species) <> '' GROUP BY lower(trim(species)) ORDER BY n DESC LIMIT 50")
    .all()
    .map((r) => r.s.trim());
  const cities = db
    .prepare<[], { c: string }>("SELECT city c, COUNT(*) n FROM clients WHERE gone = 0 AND city IS NOT NULL AND trim(city) <> '' GROUP BY lower(trim(city)) ORDER BY n DESC LIMIT 300")
    .all()
    .map((r) => r.c.trim());
  const serviceCategories = db
    .prepare<[], { c: string }>("SELECT DISTINCT category c FROM reminders WHERE category IS NOT NULL AND category <> '' ORDER BY 1 LIMIT 50")
    .all()
    .map((r) => r.c);
  const serviceCodes = db
    .prepare<[], { code: string; description: string | null }>('SELECT code, MAX(description) description FROM reminder_codes GROUP BY code ORDER BY code LIMIT 200')
    .all();
  return {
    species,
    cities,
    serviceCategories,
    serviceCodes,
    timeZone: settings.clinic()?.timeZone ?? null,
    today: localDate(clock.now(), zone),
    marketingCapPerMonth: marketingCap,
  };
}
