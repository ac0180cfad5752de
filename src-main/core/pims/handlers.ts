/** The PIMS domain as the core hosts it: import and clients handlers, and the folder watch. */
import { DateTime } from 'luxon';
import { reanchorAppointments } from './appointment-zone';
import type { Handlers } from '../../contract';
import type { Db } from '../db/open';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import type { EventBus } from '../shared/events';
import type { Logger } from '../shared/log';
import { browseFolder } from './browse';
import { getClient, searchClients } from './clients-query';
import { createImporter, DEFAULT_TIME_ZONE, type Importer } from './importer';
import { deleteProfile, listProfiles, saveProfile } from './profiles';
import { getRun, listProblems, listRuns } from './runs';
import { createFolderWatcher, type FolderWatcher, type WatcherOptions } from './watcher';

// Marketing consent is the consent domain's (consent/handlers.ts), though it lives on the client screen.
export type PimsHandlers = { [K in keyof Handlers as K extends `imports.${string}` | `clients.${string}` ? (K extends 'clients.setMarketingConsent' ? never : K) : never]: Handlers[K] };

export interface PimsDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  log: Logger;
  settings: SettingsStore;
  dataDir: string;
  watch?: WatcherOptions;
}

export interface Pims {
  handlers: PimsHandlers;
  importer: Importer;
  watcher: FolderWatcher;
}

export function createPims(d: PimsDeps): Pims {
  const timeZone = () => d.settings.clinic()?.timeZone || DEFAULT_TIME_ZONE;
  const importer = createImporter({ db: d.db, clock: d.clock, events: d.events, log: d.log, dataDir: d.dataDir, timeZone });
  const watcher = createFolderWatcher({ folder: () => d.settings.getGeneral('exportFolder'), importer, events: d.events, log: d.log }, d.watch);
  // The zone the stored appointment instants were worked out in (the import used this one too).
  let anchoredIn = timeZone();
  d.events.on('settings.changed', () => {
    watcher.refresh();
    const zone = timeZone();
    if (zone === anchoredIn) return;
    anchoredIn = zone;
    const moved = reanchorAppointments(d.db, zone);
    if (moved) d.log.info('appointment times worked out again in the clinic time zone', { zone, appointments: moved });
  });
  const today = () => DateTime.fromJSDate(d.clock.now()).setZone(timeZone()).toISODate()!;
  const int = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ApiError('validation', `${name} must be a whole number.`, { [name]: 'Required.' });
    return v;
  };

  const handlers: PimsHandlers = {
    'imports.preview': (a) => {
      if (!a?.path?.trim()) throw new ApiError('validation', 'Choose a folder or a file.', { path: 'Required.' });
      return importer.preview(a);
    },
    'imports.run': (a) => importer.run(a, 'manual'),
    'imports.runs': (a) => listRuns(d.db, a?.limit ?? 50),
    'imports.problems': (a) => {
      const runId = int(a?.runId, 'runId');
      if (!getRun(d.db, runId)) throw new ApiError('not-found', 'That import run is not in the history.');
      return listProblems(d.db, runId, a.offset ?? 0, a.limit ?? 200);
    },
    'imports.profiles': () => listProfiles(d.db),
    'imports.saveProfile': (a) => {
      saveProfile(d.db, a?.name, a?.mapping, d.clock.now().toISOString());
      return listProfiles(d.db);
    },
    'imports.deleteProfile': (a) => {
      deleteProfile(d.db, String(a?.name ?? ''));
      return listProfiles(d.db);
    },
    'imports.status': () => ({ progress: importer.progress(), watch: watcher.status() }),
    'imports.browse': (a) => browseFolder(a?.path),
    'clients.search': (a) => searchClients(d.db, a ?? {}),
    'clients.get': (a) => getClient(d.db, int(a?.id, 'id'), today()),
  };
  return { handlers, importer, watcher };
}
