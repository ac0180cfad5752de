/**
 * The importer's canonical records: what every layout turns a row into, whatever the PIMS.
 * Dates are 'YYYY-MM-DD' (no zone), texts already cleaned. Parents are referenced by their PIMS
 * id; the database ids are resolved when the run is applied.
 */
import type { ImportEntity } from '../../contract';

export interface PhoneIn {
  raw: string;
  /** The PIMS's own label ('Cell', 'Home', 'W'); mapped with phoneTypeOf. */
  type: string | null;
}

export interface ClientRec {
  pimsId: string;
  salutation: string | null;
  firstName: string | null;
  lastName: string | null;
  spouseName: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: 'US' | 'CA' | null;
  clientType: string | null;
  language: string | null;
  active: boolean;
  suspendReminders: boolean;
  suspendUntil: string | null;
  noSms: boolean;
  noEmail: boolean;
  phones: PhoneIn[];
  emails: string[];
}

export interface PatientRec {
  pimsId: string;
  clientPimsId: string;
  name: string | null;
  species: string | null;
  breed: string | null;
  sex: string | null;
  neutered: boolean | null;
  dob: string | null;
  dod: string | null;
  weight: number | null;
  microchip: string | null;
  deceased: boolean;
  active: boolean;
  suspendReminders: boolean;
  color: string | null;
  notes: string | null;
}

export interface ReminderRec {
  pimsId: string;
  patientPimsId: string;
  code: string;
  description: string | null;
  dateGiven: string | null;
  dueDate: string;
  suspended: boolean;
}

export interface HistoryRec {
  patientPimsId: string;
  code: string;
  description: string | null;
  serviceDate: string;
}

export interface AppointmentRec {
  pimsId: string;
  clientPimsId: string | null;
  patientPimsId: string | null;
  /** Clinic-local wall time. */
  date: string;
  time: string;
  durationMin: number | null;
  reason: string | null;
  doctor: string | null;
  status: string;
}

export interface ReminderCodeRec {
  code: string;
  description: string | null;
  recallDays: number | null;
}

/** A stored contact point, normalised. */
export interface ContactPointRec {
  kind: 'phone' | 'email';
  position: number;
  raw: string;
  value: string | null;
  extension: string | null;
  phoneType: string | null;
  valid: boolean;
  smsCapable: boolean;
  nanpKey: string | null;
}

export type Entity = ImportEntity;
