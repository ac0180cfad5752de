import type { ImportEntity, ImportFileKind } from '../../../contract';
import type { TextEncoding } from '../decode';
import type { AppointmentRec, ClientRec, HistoryRec, PatientRec, ReminderCodeRec, ReminderRec } from '../model';

/** Where a layout's mapper sends what it reads from a row. */
export interface Emitter {
  client(r: ClientRec, line: number): void;
  patient(r: PatientRec, line: number): void;
  reminder(r: ReminderRec, line: number): void;
  history(r: HistoryRec, line: number): void;
  appointment(r: AppointmentRec, line: number): void;
  code(r: ReminderCodeRec, line: number): void;
  /** A row-level problem: the row (or the part of it) is rejected when severity is 'error'. */
  problem(line: number, reason: string, severity?: 'error' | 'warning', code?: string): void;
  /** Counts a layout-specific fact for the run summary, once per row (Excel serial dates, notes, ...). */
  note(key: string, line: number): void;
  /** Adds a value to a listed fact (duplicate pet ids). */
  noteValue(key: string, value: string): void;
}

export interface BindContext {
  /** Clinic time zone, for appointment times. */
  timeZone: string;
  /** Year two-digit years pivot around (the clinic clock's year). */
  referenceYear: number;
}

/** Turns one data row (fields in header order) into canonical records. */
export type RowMapper = (fields: string[], line: number, emit: Emitter) => void;

export interface LayoutDef {
  /** 'pulse.clients' */
  id: string;
  /** 'pulse' */
  profile: string;
  label: string;
  kind: ImportFileKind;
  /** Entities this file lists completely: existing rows missing from it are marked gone. */
  full: ImportEntity[];
  /** Load order inside a run; parents (clients) before children (reminders). */
  order: number;
  /** false for exports that never quote (AVImark): a '"' in a name stays text. */
  quote?: boolean;
  encoding?: TextEncoding;
  /** Column names; used to find the header under title lines, and for detection. */
  headerHints: readonly string[];
  /** 0 when the headers do not fit, else a score (higher is better). */
  match(headers: readonly string[], fileName: string): number;
  /** Checks the header and prepares a mapper; throws ApiError when a required column is missing. */
  bind(headers: readonly string[], ctx: BindContext): RowMapper;
}

/** A profile groups the layouts of one PIMS export. */
export interface ProfileDef {
  name: string;
  label: string;
  description: string;
  layouts: LayoutDef[];
}
