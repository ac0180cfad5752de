/**
 * The order in which each entity's values travel through the spool, and the column each lands in.
 * Stage (encode) and apply (decode, bind) both use these lists, so they cannot disagree.
 */
import type { ColKind } from '../model';

export interface EntitySchema {
  table: string;
  tag: string;
  /** Database columns after source and pims_id, in spool order. */
  columns: readonly string[];
  kinds: readonly ColKind[];
}

const s = (table: string, tag: string, cols: [string, ColKind][]): EntitySchema => ({
  table,
  tag,
  columns: cols.map((c) => c[0]),
  kinds: cols.map((c) => c[1]),
});

export const CLIENT = s('clients', 'C', [
  ['salutation', 's'], ['first_name', 's'], ['last_name', 's'], ['spouse_name', 's'], ['address1', 's'], ['address2', 's'], ['city', 's'],
  ['region', 's'], ['postal_code', 's'], ['country', 's'], ['client_type', 's'], ['language', 's'], ['active', 'i'], ['suspend_reminders', 'i'],
  ['suspend_until', 's'], ['pims_no_sms', 'i'], ['pims_no_email', 'i'],
]);

/** Patient lines carry the owner's PIMS id first; the client_id column is resolved at apply time. */
export const PATIENT = s('patients', 'P', [
  ['name', 's'], ['species', 's'], ['breed', 's'], ['sex', 's'], ['neutered', 'i'], ['dob', 's'], ['dod', 's'], ['weight', 'f'], ['microchip', 's'],
  ['deceased', 'i'], ['active', 'i'], ['suspend_reminders', 'i'], ['color', 's'], ['notes', 's'],
]);

export const REMINDER = s('reminders', 'R', [
  ['code', 's'], ['description', 's'], ['category', 's'], ['date_given', 's'], ['due_date', 's'], ['suspended', 'i'],
]);

export const APPOINTMENT = s('appointments', 'A', [
  ['start_local', 's'], ['start_utc', 's'], ['duration_min', 'i'], ['reason', 's'], ['category', 's'], ['doctor', 's'], ['status', 's'],
]);

export const HISTORY = s('history', 'H', [['code', 's'], ['description', 's'], ['service_date', 's']]);

export const CODE = s('reminder_codes', 'K', [['description', 's'], ['recall_days', 'i'], ['category', 's']]);

/** Operations in a spool line's first character. */
export const OP = { insert: 'I', update: 'U', revive: 'V', gone: 'G', delete: 'D' } as const;
