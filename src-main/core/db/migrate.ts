import type Database from 'better-sqlite3';
import { ApiError } from '../shared/errors';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Applies numbered migrations, each in its own transaction together with the new
 * PRAGMA user_version, so a crash leaves the database at a whole version.
 */
export function migrate(db: Database.Database, migrations: Migration[]): { from: number; to: number } {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list is not contiguous at ${m.name} (version ${m.version})`);
  });
  const latest = sorted.length;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) {
    throw new ApiError(
      'db.too-new',
      `This database was written by a newer version of Pawline (schema ${from}; this version knows ${latest}). Install the newer Pawline, or open a different data folder. Nothing was changed.`,
    );
  }
  for (const m of sorted) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: latest };
}
