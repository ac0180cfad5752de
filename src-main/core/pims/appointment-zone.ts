import { DateTime } from 'luxon';
import type { Db } from '../db/open';

/**
 * An appointment keeps the PIMS's clinic-local time (start_local) and the instant it means
 * (start_utc), worked out in the clinic's time zone when it was imported. Imported before the clinic
 * profile was saved, that was the default zone; a clinic that then sets (or corrects) its zone would
 * see every visit hours off in texts, the schedule and the planner, and a re-import would not mend
 * it (the rows have not changed). This works the instants out again in the zone now set.
 * The local time is what the PIMS said, so the appointment has not moved: confirmations stay.
 * Returns how many appointments changed.
 */
export function reanchorAppointments(db: Db, zone: string): number {
  const rows = db.prepare<[], { id: number; start_local: string; start_utc: string }>('SELECT id, start_local, start_utc FROM appointments').all();
  const set = db.prepare('UPDATE appointments SET start_utc = ? WHERE id = ?');
  return db.transaction(() => {
    let n = 0;
    for (const r of rows) {
      const local = DateTime.fromISO(r.start_local, { zone });
      if (!local.isValid) continue;
      const utc = local.toUTC().toISO({ suppressMilliseconds: true })!;
      if (utc === r.start_utc) continue;
      set.run(utc, r.id);
      n++;
    }
    return n;
  })();
}
