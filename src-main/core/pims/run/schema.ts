/**
 * Where each entity's values go: the staging table a run fills while reading (the record's values
 * as one JSON array, which binds and stores far faster than a column each), and the columns of
 * the real table they are applied to. Staging (stage.ts) and applying (apply.ts) are generated
 * from these lists, so they cannot disagree.
 */
import type { ImportEntity } from '../../../contract';

export interface ParentRef {
  /** Column of the staging table holding the parent's PIMS id. */
  stageCol: string;
  /** Parent table and the foreign-key column it fills. */
  table: 'clients' | 'patients';
  fk: string;
  /** Without its parent the row is rejected (else kept with a NULL link). */
  required: boolean;
}

export interface EntitySchema {
  entity: ImportEntity;
  table: string;
  stage: string;
  parents: ParentRef[];
  /** Data columns of the real table, in the order of the staged JSON array ('data'). */
  columns: readonly string[];
}

export const CLIENT: EntitySchema = {
  entity: 'clients',
  table: 'clients',
  stage: 's_clients',
  parents: [],
  columns: [
    'salutation', 'first_name', 'last_name', 'spouse_name', 'address1', 'address2', 'city', 'region', 'postal_code', 'country', 'client_type',
    'language', 'active', 'suspend_reminders', 'suspend_until', 'pims_no_sms', 'pims_no_email',
  ],
};

export const PATIENT: EntitySchema = {
  entity: 'patients',
  table: 'patients',
  stage: 's_patients',
  parents: [{ stageCol: 'client_pims', table: 'clients', fk: 'client_id', required: true }],
  columns: ['name', 'species', 'breed', 'sex', 'neutered', 'dob', 'dod', 'weight', 'microchip', 'deceased', 'active', 'suspend_reminders', 'color', 'notes'],
};

export const REMINDER: EntitySchema = {
  entity: 'reminders',
  table: 'reminders',
  stage: 's_reminders',
  parents: [{ stageCol: 'patient_pims', table: 'patients', fk: 'patient_id', required: true }],
  columns: ['code', 'description', 'category', 'date_given', 'due_date', 'suspended'],
};

export const APPOINTMENT: EntitySchema = {
  entity: 'appointments',
  table: 'appointments',
  stage: 's_appointments',
  parents: [
    { stageCol: 'client_pims', table: 'clients', fk: 'client_id', required: false },
    { stageCol: 'patient_pims', table: 'patients', fk: 'patient_id', required: false },
  ],
  columns: ['start_local', 'start_utc', 'duration_min', 'reason', 'category', 'doctor', 'status'],
};

/** Entities keyed by (source, pims_id), in the order a run applies them (parents first). */
export const KEYED: readonly EntitySchema[] = [CLIENT, PATIENT, REMINDER, APPOINTMENT];

/** Staging tables, without indexes while they fill (appends only); STAGING_INDEXES come after. */
export const STAGING_DDL = `
  ${KEYED.map((e) => `CREATE TABLE ${e.stage} (pims_id TEXT NOT NULL, file TEXT, line INTEGER, hash TEXT NOT NULL, ${[...e.parents.map((p) => `${p.stageCol} TEXT`), 'data TEXT NOT NULL'].join(', ')});`).join('\n  ')}
  CREATE TABLE s_contact_points (client_pims TEXT NOT NULL, client_hash TEXT NOT NULL, kind TEXT NOT NULL, position INTEGER NOT NULL, raw TEXT, value TEXT, extension TEXT, phone_type TEXT, valid INTEGER, sms_capable INTEGER, nanp_key TEXT);
  CREATE TABLE s_history (patient_pims TEXT NOT NULL, code TEXT NOT NULL, service_date TEXT NOT NULL, description TEXT, file TEXT, line INTEGER);
  CREATE TABLE s_codes (code TEXT PRIMARY KEY, description TEXT, recall_days INTEGER, category TEXT);
`;

/** Built once the staging tables are full: one sorted build is far cheaper than keeping them up to date per row. */
export const STAGING_INDEXES = `
  ${KEYED.map((e) => `CREATE UNIQUE INDEX ${e.stage}_pims ON ${e.stage}(pims_id);`).join('\n  ')}
  CREATE INDEX s_contact_points_client ON s_contact_points(client_pims, client_hash, kind, position);
  CREATE INDEX s_history_key ON s_history(patient_pims, code, service_date);
`;
