/**
 * The tables an import run writes, keyed by (source, pims_id), and their data columns in the
 * order the writer binds them (the order of the cells collect.ts puts in each operation).
 */
import type { ImportEntity } from '../../../contract';

export interface EntitySchema {
  entity: ImportEntity;
  table: 'clients' | 'patients' | 'reminders' | 'appointments';
  /** Foreign-key columns filled from parents' PIMS ids, in the order of the operation's parent cells. */
  parents: { table: 'clients' | 'patients'; fk: string; required: boolean }[];
  columns: readonly string[];
}

export const CLIENT: EntitySchema = {
  entity: 'clients',
  table: 'clients',
  parents: [],
  columns: [
    'salutation', 'first_name', 'last_name', 'spouse_name', 'address1', 'address2', 'city', 'region', 'postal_code', 'country', 'client_type',
    'language', 'active', 'suspend_reminders', 'suspend_until', 'pims_no_sms', 'pims_no_email',
  ],
};

export const PATIENT: EntitySchema = {
  entity: 'patients',
  table: 'patients',
  parents: [{ table: 'clients', fk: 'client_id', required: true }],
  columns: ['name', 'species', 'breed', 'sex', 'neutered', 'dob', 'dod', 'weight', 'microchip', 'deceased', 'active', 'suspend_reminders', 'color', 'notes'],
};

export const REMINDER: EntitySchema = {
  entity: 'reminders',
  table: 'reminders',
  parents: [{ table: 'patients', fk: 'patient_id', required: true }],
  columns: ['code', 'description', 'category', 'date_given', 'due_date', 'suspended'],
};

export const APPOINTMENT: EntitySchema = {
  entity: 'appointments',
  table: 'appointments',
  parents: [
    { table: 'clients', fk: 'client_id', required: false },
    { table: 'patients', fk: 'patient_id', required: false },
  ],
  columns: ['start_local', 'start_utc', 'duration_min', 'reason', 'category', 'doctor', 'status'],
};

/** In the order a run finishes them (parents first). */
export const KEYED: readonly EntitySchema[] = [CLIENT, PATIENT, REMINDER, APPOINTMENT];

export const CONTACT_COLUMNS = ['kind', 'position', 'raw', 'value', 'extension', 'phone_type', 'valid', 'sms_capable', 'nanp_key'] as const;

/** A client operation's cells: its PIMS id, fingerprint and 17 values, then CONTACT_CELLS per contact point. */
export const CLIENT_CELLS = 2 + CLIENT.columns.length;
export const CONTACT_CELLS = CONTACT_COLUMNS.length;
