/**
 * The importer without the rest of the desk, for the command line and the benchmark: the same
 * database opening (migrations, WAL), settings (clinic time zone) and import code, but none of
 * messaging, the inbox or the pollers, so `pawline import` starts fast and stays small.
 */
import { openDatabase, type Db } from '../db/open';
import { keyFileSecretBox } from '../settings/secrets';
import { createSettingsStore, type SettingsStore } from '../settings/store';
import { systemClock, type Clock } from '../shared/clock';
import { createEventBus, type EventBus } from '../shared/events';
import type { Logger } from '../shared/log';
import { createImporter, DEFAULT_TIME_ZONE, type Importer } from './importer';

export interface StandaloneImport {
  db: Db;
  settings: SettingsStore;
  events: EventBus;
  clock: Clock;
  importer: Importer;
  timeZone(): string;
  close(): void;
}

export function openForImport(dataDir: string, log: Logger, clock: Clock = systemClock): StandaloneImport {
  const { db } = openDatabase(dataDir);
  const settings = createSettingsStore(db, keyFileSecretBox(dataDir), clock);
  const events = createEventBus();
  const timeZone = () => settings.clinic()?.timeZone || DEFAULT_TIME_ZONE;
  // Nothing else runs on this process's main thread: it reads the files while the writer thread writes.
  const importer = createImporter({ db, clock, events, log, dataDir, timeZone, readInMainThread: true });
  return { db, settings, events, clock, importer, timeZone, close: () => db.close() };
}
