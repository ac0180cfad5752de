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

/* ---- Spool codec: one record per line, fields separated by US (0x1F). ---- */

export type Cell = string | number | boolean | null;

const SEP = '\x1f';
const NULL = '\x01';
const NL = '\x02';
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

function encodeString(s: string): string {
  if (!CONTROL.test(s)) return s;
  return s.replace(/\r\n?|\n/g, NL).replace(/[\x00-\x01\x03-\x08\x0a-\x1f\x7f]/g, ' ');
}

export function encodeCell(v: Cell): string {
  if (v === null) return NULL;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  return encodeString(v);
}

export function encodeCells(values: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i) out += SEP;
    out += encodeCell(values[i]);
  }
  return out;
}

/** Column kinds for decoding: text, integer (incl. booleans), real. */
export type ColKind = 's' | 'i' | 'f';

export function decodeCells(text: string, kinds: readonly ColKind[]): (string | number | null)[] {
  const parts = text.split(SEP);
  const out: (string | number | null)[] = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === NULL) out[i] = null;
    else if (kinds[i] === 'i') out[i] = parseInt(p, 10);
    else if (kinds[i] === 'f') out[i] = Number(p);
    else out[i] = p.indexOf(NL) >= 0 ? p.split(NL).join('\n') : p;
  }
  return out;
}

/* Contact points travel inside a client line: points separated by RS, their fields by GS. */
const CP_SEP = '\x1e';
const CP_FIELD = '\x1d';

export function encodeContactPoints(cps: readonly ContactPointRec[]): string {
  return cps
    .map((c) =>
      [c.kind === 'phone' ? 'p' : 'e', String(c.position), c.raw, c.value ?? NULL, c.extension ?? NULL, c.phoneType ?? NULL, c.valid ? '1' : '0', c.smsCapable ? '1' : '0', c.nanpKey ?? NULL]
        .map((x) => (CONTROL.test(x) && x !== NULL ? x.replace(/[\x00-\x1f\x7f]/g, ' ') : x))
        .join(CP_FIELD),
    )
    .join(CP_SEP);
}

export function decodeContactPoints(text: string): ContactPointRec[] {
  if (text === '' || text === NULL) return [];
  return text.split(CP_SEP).map((t) => {
    const f = t.split(CP_FIELD);
    const n = (x: string) => (x === NULL ? null : x);
    return {
      kind: f[0] === 'p' ? 'phone' : 'email',
      position: parseInt(f[1], 10),
      raw: f[2],
      value: n(f[3]),
      extension: n(f[4]),
      phoneType: n(f[5]),
      valid: f[6] === '1',
      smsCapable: f[7] === '1',
      nanpKey: n(f[8]),
    };
  });
}
