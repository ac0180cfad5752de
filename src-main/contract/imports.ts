/**
 * Importing practice-management (PIMS) exports: layouts, column mappings, runs, progress and
 * the export-folder watch. The Clients screen's read API lives in ./clients.
 */

/** What one imported record describes. */
export type ImportEntity = 'clients' | 'patients' | 'reminders' | 'reminder-codes' | 'history' | 'appointments';

/** A file holds one entity, or several per row ('combined': a flat report, a denormalised export). */
export type ImportFileKind = ImportEntity | 'combined';

export type ImportEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';
export type ImportDelimiter = ',' | ';' | '\t' | '|';

/** A recognised file layout (one file of a layout profile). */
export interface LayoutInfo {
  /** e.g. 'pulse.clients', 'openvpms.reminders', 'client-list', 'mapping'. */
  id: string;
  /** The profile (PIMS) it belongs to: 'pulse', 'openvpms', 'avimark', 'client-list', or a saved mapping's name. */
  profile: string;
  label: string;
  kind: ImportFileKind;
}

/**
 * Fields a column mapping can fill. One row may describe a client, its pet, a service due, a
 * past service and an appointment; only the mapped parts are imported.
 */
export const MAPPING_FIELDS = [
  { key: 'client.id', label: 'Client number (PIMS id)', entity: 'clients', required: true },
  { key: 'client.fullName', label: 'Client name ("Last, First")', entity: 'clients' },
  { key: 'client.lastName', label: 'Client last name', entity: 'clients' },
  { key: 'client.firstName', label: 'Client first name', entity: 'clients' },
  { key: 'client.salutation', label: 'Title (Mr., Dr.)', entity: 'clients' },
  { key: 'client.address1', label: 'Address line 1 (or whole address)', entity: 'clients' },
  { key: 'client.address2', label: 'Address line 2', entity: 'clients' },
  { key: 'client.city', label: 'City', entity: 'clients' },
  { key: 'client.region', label: 'State / province', entity: 'clients' },
  { key: 'client.postalCode', label: 'ZIP / postal code', entity: 'clients' },
  { key: 'client.cellPhone', label: 'Cell / mobile phone (textable)', entity: 'clients' },
  { key: 'client.homePhone', label: 'Home phone', entity: 'clients' },
  { key: 'client.workPhone', label: 'Work phone', entity: 'clients' },
  { key: 'client.phone', label: 'Phone of unknown type (not texted)', entity: 'clients' },
  { key: 'client.email', label: 'Email', entity: 'clients' },
  { key: 'client.inactive', label: 'Client inactive flag (Y/N, True/False)', entity: 'clients' },
  { key: 'client.noSms', label: 'Do not text flag', entity: 'clients' },
  { key: 'client.noEmail', label: 'Do not email flag', entity: 'clients' },
  { key: 'client.language', label: 'Language (en, fr, es)', entity: 'clients' },
  { key: 'patient.id', label: 'Pet number (PIMS id)', entity: 'patients' },
  { key: 'patient.name', label: 'Pet name', entity: 'patients' },
  { key: 'patient.species', label: 'Species', entity: 'patients' },
  { key: 'patient.breed', label: 'Breed', entity: 'patients' },
  { key: 'patient.sex', label: 'Sex (M, FS, Neutered Male)', entity: 'patients' },
  { key: 'patient.dob', label: 'Birth date', entity: 'patients' },
  { key: 'patient.dod', label: 'Date of death', entity: 'patients' },
  { key: 'patient.deceased', label: 'Deceased flag', entity: 'patients' },
  { key: 'patient.inactive', label: 'Pet inactive flag', entity: 'patients' },
  { key: 'patient.suspendReminders', label: 'Suspend reminders flag', entity: 'patients' },
  { key: 'patient.weight', label: 'Weight', entity: 'patients' },
  { key: 'patient.microchip', label: 'Microchip', entity: 'patients' },
  { key: 'patient.notes', label: 'Notes', entity: 'patients' },
  { key: 'reminder.id', label: 'Reminder id', entity: 'reminders' },
  { key: 'reminder.code', label: 'Service code (RAB1, DHPP)', entity: 'reminders' },
  { key: 'reminder.description', label: 'Service due (name)', entity: 'reminders' },
  { key: 'reminder.dueDate', label: 'Due date', entity: 'reminders' },
  { key: 'reminder.dateGiven', label: 'Last given', entity: 'reminders' },
  { key: 'appointment.id', label: 'Appointment id', entity: 'appointments' },
  { key: 'appointment.start', label: 'Appointment date and time', entity: 'appointments' },
  { key: 'appointment.date', label: 'Appointment date', entity: 'appointments' },
  { key: 'appointment.time', label: 'Appointment time', entity: 'appointments' },
  { key: 'appointment.duration', label: 'Duration (minutes)', entity: 'appointments' },
  { key: 'appointment.reason', label: 'Reason', entity: 'appointments' },
  { key: 'appointment.doctor', label: 'Doctor', entity: 'appointments' },
  { key: 'appointment.status', label: 'Status', entity: 'appointments' },
] as const satisfies readonly { key: string; label: string; entity: ImportEntity; required?: boolean }[];

export type MappingFieldKey = (typeof MAPPING_FIELDS)[number]['key'];

/** A column mapping for a layout Pawline does not know: saved as a named profile or given as a JSON file. */
export interface ColumnMapping {
  /** Field -> column name as written in the file's header. */
  columns: Partial<Record<MappingFieldKey, string>>;
  encoding?: ImportEncoding;
  delimiter?: ImportDelimiter;
  /** Physical 1-based line of the header row when detection picks the wrong one. */
  headerLine?: number;
  /** How to read 03/04/2026; North American exports are MDY. */
  dateOrder?: 'MDY' | 'DMY';
  /** The file lists every client/pet: ones missing from it are marked gone. Default false. */
  fullExport?: boolean;
}

export interface ImportProfileView {
  name: string;
  label: string;
  builtIn: boolean;
  description: string;
  mapping?: ColumnMapping;
  updatedAt?: string;
}

export interface FilePreview {
  path: string;
  name: string;
  bytes: number;
  encoding: ImportEncoding;
  delimiter: ImportDelimiter;
  headerLine: number;
  headers: string[];
  /** Repeated header names, renamed so neither column is lost (Phone -> Phone_2). */
  duplicateHeaders: { name: string; renamedTo: string }[];
  /** Title lines skipped above the header. */
  rowsAboveHeader: number;
  /** First data rows, in header order. */
  rows: string[][];
  layout: LayoutInfo | null;
  /** A starting point for the mapping editor, guessed from the header names. */
  suggestedMapping: ColumnMapping | null;
  problem?: string;
}

export interface ImportPreview {
  path: string;
  isFolder: boolean;
  files: FilePreview[];
  /** Files in the folder that are not delimited text (ignored). */
  ignored: string[];
}

export interface ImportRunRequest {
  /** A folder (every export file in it) or one file. */
  path: string;
  /** A built-in profile ('pulse', 'openvpms', 'avimark', 'client-list') or a saved mapping's name. */
  profile?: string;
  /** A one-off mapping (not saved). */
  mapping?: ColumnMapping;
  /** Import files even when their content hash matches the last import. */
  force?: boolean;
  /** Accept a full export that would remove more than half of the known records (e.g. a deliberate clean-up). */
  allowRemovals?: boolean;
  /** Source key rows are stored under; defaults to the profile. */
  source?: string;
}

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  gone: number;
}

export interface ImportFileSummary {
  path: string;
  name: string;
  layout: string | null;
  kind: ImportFileKind | null;
  sha256: string;
  bytes: number;
  rows: number;
  skippedUnchanged: boolean;
  encoding: ImportEncoding | null;
  delimiter: ImportDelimiter | null;
}

export type ImportRunStatus = 'running' | 'ok' | 'failed' | 'unchanged';

export interface ImportRunSummary {
  runId: number;
  status: ImportRunStatus;
  source: string;
  profile: string | null;
  trigger: 'manual' | 'watch' | 'cli';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number;
  files: ImportFileSummary[];
  totals: ImportCounts;
  byEntity: Partial<Record<ImportEntity, ImportCounts>>;
  /** Data rows read from changed files. */
  rowsRead: number;
  /** Rows identical to an earlier row of the same file (skipped, reported). */
  duplicateRows: number;
  errors: number;
  warnings: number;
  /** The fatal error, when status is 'failed'. */
  error?: string;
  /** Its machine code: 'import.locked' (retried by the folder watch), 'import.missing-column', ... */
  errorCode?: string;
  /** Layout-specific facts (Excel serial dates seen, notes, duplicate pet ids, ...). */
  notes: Record<string, number | string[]>;
}

export interface ImportProblemView {
  id: number;
  file: string;
  line: number | null;
  severity: 'error' | 'warning';
  code: string | null;
  reason: string;
}

export interface ImportProgress {
  runId: number;
  phase: 'hashing' | 'reading' | 'saving' | 'done' | 'failed';
  file: string | null;
  fileIndex: number;
  fileCount: number;
  rows: number;
  rowsPerSecond: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface WatchStatus {
  folder: string | null;
  state: 'off' | 'watching' | 'waiting' | 'importing' | 'retrying' | 'error';
  message?: string;
  lastRunId?: number | null;
  pendingFiles: string[];
}

export interface BrowseEntry {
  name: string;
  path: string;
  dir: boolean;
  bytes: number | null;
  modifiedAt: string | null;
}

export interface BrowseResult {
  path: string;
  parent: string | null;
  entries: BrowseEntry[];
}

export interface ImportApi {
  /** Detects encoding, delimiter, header and layout of a file (or each file of a folder); first rows for the mapping editor. */
  'imports.preview': (arg: { path: string; encoding?: ImportEncoding; delimiter?: ImportDelimiter; headerLine?: number }) => ImportPreview;
  /** Runs an import to the end and returns its summary; progress arrives as 'imports.progress' events. */
  'imports.run': (arg: ImportRunRequest) => ImportRunSummary;
  'imports.runs': (arg: { limit?: number }) => ImportRunSummary[];
  'imports.problems': (arg: { runId: number; offset?: number; limit?: number }) => { total: number; items: ImportProblemView[] };
  'imports.profiles': (arg: void) => ImportProfileView[];
  'imports.saveProfile': (arg: { name: string; mapping: ColumnMapping }) => ImportProfileView[];
  'imports.deleteProfile': (arg: { name: string }) => ImportProfileView[];
  'imports.status': (arg: void) => { progress: ImportProgress | null; watch: WatchStatus };
  /** Lists a folder of this PC, for choosing the export folder from any desk. */
  'imports.browse': (arg: { path?: string }) => BrowseResult;
}

export interface ImportEvents {
  'imports.progress': ImportProgress;
  'imports.finished': ImportRunSummary;
  'imports.watch': WatchStatus;
}
