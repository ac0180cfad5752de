/**
 * Phase one of an import run: every canonical record a layout emits is normalised, encoded and
 * compared with what the database holds for the same (source, PIMS id). New and changed rows go
 * to the spool; unchanged ones are only counted. Nothing is written to the database here.
 */
import { DateTime } from 'luxon';
import type { ImportCounts, ImportEntity } from '../../../contract';
import type { Db } from '../../db/open';
import { appointmentCategory, reminderCategory } from '../categories';
import type { Emitter } from '../layouts';
import { encodeCells, encodeContactPoints, type AppointmentRec, type Cell, type ClientRec, type HistoryRec, type PatientRec, type ReminderCodeRec, type ReminderRec } from '../model';
import { contactPoints } from '../normalize';
import { rowHash } from './hash';
import { APPOINTMENT, CLIENT, CODE, HISTORY, OP, PATIENT, REMINDER } from './schema';
import type { SpoolWriter } from './spool';

export interface Known {
  id: number;
  hash: string;
  gone: boolean;
  /** Seen in this run's files. */
  seen: boolean;
  /** Hash of the version staged in this run (to tell a repeated row from a conflicting one). */
  runHash: string | null;
}

export interface StagedProblem {
  file: string;
  line: number | null;
  severity: 'error' | 'warning';
  code: string | null;
  reason: string;
}

/** Problems kept per run; beyond this only counted, so a broken file cannot flood the database. */
export const MAX_PROBLEMS = 5000;

const SEP = '\x1f';
const ENTITIES: ImportEntity[] = ['clients', 'patients', 'reminders', 'reminder-codes', 'history', 'appointments'];

export const zeroCounts = (): ImportCounts => ({ inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 });

export class Stager implements Emitter {
  readonly counts: Record<ImportEntity, ImportCounts> = Object.fromEntries(ENTITIES.map((e) => [e, zeroCounts()])) as Record<ImportEntity, ImportCounts>;
  readonly problems: StagedProblem[] = [];
  errors = 0;
  warnings = 0;
  duplicateRows = 0;
  readonly notes: Record<string, number> = {};
  readonly noteLists: Record<string, string[]> = {};
  private readonly noteLine: Record<string, string> = {};
  /** Entities touched by changed files (decides gone marking and derived updates). */
  readonly touched = new Set<ImportEntity>();
  readonly fullFor = new Set<ImportEntity>();
  private file = '';
  private primary: ImportEntity | null = null;
  private readonly maps = new Map<ImportEntity, Map<string, Known>>();
  private readonly codeDescriptions = new Map<string, string | null>();
  private codesLoaded = false;
  changed = 0;

  constructor(
    private readonly db: Db,
    readonly source: string,
    private readonly spool: SpoolWriter,
    private readonly timeZone: string,
  ) {}

  /** Starts a file; entities it lists completely are remembered for gone marking. */
  beginFile(file: string, primary: ImportEntity | null, full: readonly ImportEntity[]): void {
    this.file = file;
    this.primary = primary;
    for (const e of full) this.fullFor.add(e);
    if (primary) this.touched.add(primary);
  }

  /* ---- lookups ---- */

  map(e: ImportEntity): Map<string, Known> {
    let m = this.maps.get(e);
    if (m) return m;
    m = new Map();
    this.maps.set(e, m);
    const table = e === 'clients' ? 'clients' : e === 'patients' ? 'patients' : e === 'reminders' ? 'reminders' : e === 'appointments' ? 'appointments' : null;
    if (table) {
      const rows = this.db.prepare<[string], { id: number; pims_id: string; row_hash: string; gone: number }>(`SELECT id, pims_id, row_hash, gone FROM ${table} WHERE source = ?`).all(this.source);
      for (const r of rows) m.set(r.pims_id, { id: r.id, hash: r.row_hash, gone: r.gone === 1, seen: false, runHash: null });
    } else if (e === 'history') {
      const rows = this.db
        .prepare<[string], { id: number; k: string }>(`SELECT h.id, p.pims_id || char(31) || h.code || char(31) || h.service_date AS k FROM history h JOIN patients p ON p.id = h.patient_id WHERE h.source = ?`)
        .all(this.source);
      for (const r of rows) m.set(r.k, { id: r.id, hash: '', gone: false, seen: false, runHash: null });
    } else if (e === 'reminder-codes') {
      const rows = this.db.prepare<[string], { code: string; description: string | null; recall_days: number | null; category: string | null }>('SELECT code, description, recall_days, category FROM reminder_codes WHERE source = ?').all(this.source);
      for (const r of rows) m.set(r.code, { id: 0, hash: rowHash(encodeCells([r.code, r.description, r.recall_days, r.category])), gone: false, seen: false, runHash: null });
    }
    return m;
  }

  private codeDescription(code: string): string | null {
    if (!this.codesLoaded) {
      this.codesLoaded = true;
      for (const r of this.db.prepare<[string], { code: string; description: string | null }>('SELECT code, description FROM reminder_codes WHERE source = ?').all(this.source)) {
        this.codeDescriptions.set(r.code, r.description);
      }
    }
    return this.codeDescriptions.get(code) ?? null;
  }

  /** Known in the database or staged earlier in this run (and not rejected). */
  private exists(e: ImportEntity, pimsId: string): boolean {
    const k = this.map(e).get(pimsId);
    return !!k && (k.id > 0 || k.seen);
  }

  /**
   * The heart of change detection: a row new to the source is inserted, a changed one updated,
   * an identical one counted as unchanged (or revived when a previous full export had dropped it).
   */
  private stage(e: ImportEntity, tag: string, key: string, content: string): void {
    const m = this.map(e);
    const h = rowHash(content);
    const k = m.get(key);
    const c = this.counts[e];
    if (k && k.seen) {
      if (k.runHash === h) return; // the same record repeated (denormalised exports repeat owners on every row)
      this.problem(null, `${e === 'clients' ? 'Client' : e === 'patients' ? 'Patient' : 'Record'} ${key} appears again with different details; the later row is used`, 'warning', 'conflicting-duplicate');
      k.runHash = h;
      this.write(`${OP.update}${tag}${SEP}${h}${SEP}${content}`);
      return;
    }
    if (!k) {
      m.set(key, { id: 0, hash: h, gone: false, seen: true, runHash: h });
      c.inserted++;
      this.write(`${OP.insert}${tag}${SEP}${h}${SEP}${content}`);
      return;
    }
    k.seen = true;
    k.runHash = h;
    if (k.hash !== h) {
      c.updated++;
      this.write(`${OP.update}${tag}${SEP}${h}${SEP}${content}`);
    } else if (k.gone) {
      c.updated++;
      this.write(`${OP.revive}${tag}${SEP}${k.id}`);
    } else c.unchanged++;
  }

  private write(line: string): void {
    this.spool.write(line);
    this.changed++;
  }

  /* ---- Emitter ---- */

  client(r: ClientRec): void {
    const cps = contactPoints(r);
    const values: Cell[] = [
      r.pimsId, r.salutation, r.firstName, r.lastName, r.spouseName, r.address1, r.address2, r.city, r.region, r.postalCode, r.country,
      r.clientType, r.language ?? 'en', r.active, r.suspendReminders, r.suspendUntil, r.noSms, r.noEmail,
    ];
    this.touched.add('clients');
    this.stage('clients', CLIENT.tag, r.pimsId, encodeCells(values) + SEP + encodeContactPoints(cps));
  }

  patient(r: PatientRec, line: number): void {
    this.touched.add('patients');
    if (!this.exists('clients', r.clientPimsId)) {
      return this.reject('patients', line, `Patient ${r.pimsId}: client ${r.clientPimsId} is not in the export; skipped`, 'missing-parent');
    }
    const values: Cell[] = [
      r.pimsId, r.clientPimsId, r.name, r.species, r.breed, r.sex, r.neutered, r.dob, r.dod, r.weight, r.microchip, r.deceased, r.active,
      r.suspendReminders, r.color, r.notes,
    ];
    this.stage('patients', PATIENT.tag, r.pimsId, encodeCells(values));
  }

  reminder(r: ReminderRec, line: number): void {
    this.touched.add('reminders');
    if (!this.exists('patients', r.patientPimsId)) {
      return this.reject('reminders', line, `Reminder ${r.pimsId}: patient ${r.patientPimsId} is not in the export; skipped`, 'missing-parent');
    }
    const category = reminderCategory(r.code, r.description ?? this.codeDescription(r.code));
    const values: Cell[] = [r.pimsId, r.patientPimsId, r.code, r.description, category, r.dateGiven, r.dueDate, r.suspended];
    this.stage('reminders', REMINDER.tag, r.pimsId, encodeCells(values));
  }

  history(r: HistoryRec, line: number): void {
    this.touched.add('history');
    if (!this.exists('patients', r.patientPimsId)) {
      return this.reject('history', line, `Service history for patient ${r.patientPimsId}, who is not in the export; skipped`, 'missing-parent');
    }
    const key = `${r.patientPimsId}${SEP}${r.code}${SEP}${r.serviceDate}`;
    const m = this.map('history');
    const k = m.get(key);
    if (k) {
      if (!k.seen) {
        k.seen = true;
        this.counts.history.unchanged++;
      }
      return;
    }
    m.set(key, { id: 0, hash: '', gone: false, seen: true, runHash: null });
    this.counts.history.inserted++;
    this.write(`${OP.insert}${HISTORY.tag}${SEP}${SEP}${encodeCells([r.patientPimsId, r.code, r.description, r.serviceDate])}`);
  }

  appointment(r: AppointmentRec, line: number): void {
    this.touched.add('appointments');
    let client = r.clientPimsId;
    let patient = r.patientPimsId;
    if (patient && !this.exists('patients', patient)) {
      this.problem(line, `Appointment ${r.pimsId}: patient ${patient} is not in the export; kept without a pet`, 'warning', 'missing-parent');
      patient = null;
    }
    if (client && !this.exists('clients', client)) {
      this.problem(line, `Appointment ${r.pimsId}: client ${client} is not in the export; kept without a client`, 'warning', 'missing-parent');
      client = null;
    }
    const local = DateTime.fromISO(`${r.date}T${r.time}`, { zone: this.timeZone });
    if (!local.isValid) return this.reject('appointments', line, `Appointment ${r.pimsId}: ${r.date} ${r.time} is not a valid time`, 'bad-date');
    const utc = local.toUTC().toISO({ suppressMilliseconds: true })!;
    const values: Cell[] = [r.pimsId, client, patient, `${r.date}T${r.time}`, utc, r.durationMin, r.reason, appointmentCategory(r.reason), r.doctor, r.status];
    this.stage('appointments', APPOINTMENT.tag, r.pimsId, encodeCells(values));
  }

  code(r: ReminderCodeRec): void {
    this.touched.add('reminder-codes');
    this.codeDescriptions.set(r.code, r.description);
    this.codesLoaded = true;
    const content = encodeCells([r.code, r.description, r.recallDays, reminderCategory(r.code, r.description)]);
    const m = this.map('reminder-codes');
    const h = rowHash(content);
    const k = m.get(r.code);
    if (k && (k.hash === h || k.runHash === h)) {
      if (!k.seen) this.counts['reminder-codes'].unchanged++;
      k.seen = true;
      return;
    }
    if (k) {
      if (!k.seen) this.counts['reminder-codes'].updated++;
      k.seen = true;
      k.runHash = h;
    } else {
      m.set(r.code, { id: 0, hash: h, gone: false, seen: true, runHash: h });
      this.counts['reminder-codes'].inserted++;
    }
    this.write(`${OP.update}${CODE.tag}${SEP}${h}${SEP}${content}`);
  }

  problem(line: number | null, reason: string, severity: 'error' | 'warning' = 'error', code?: string): void {
    if (severity === 'error') {
      this.errors++;
      if (this.primary) this.counts[this.primary].rejected++;
    } else this.warnings++;
    if (code === 'duplicate-row') this.duplicateRows++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file: this.file, line, severity, code: code ?? null, reason });
  }

  private reject(e: ImportEntity, line: number, reason: string, code: string): void {
    this.errors++;
    this.counts[e].rejected++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file: this.file, line, severity: 'error', code, reason });
  }

  /** Counts a fact once per row. */
  note(key: string, line: number): void {
    const tag = `${this.file}:${line}`;
    if (this.noteLine[key] === tag) return;
    this.noteLine[key] = tag;
    this.notes[key] = (this.notes[key] ?? 0) + 1;
  }

  noteValue(key: string, value: string): void {
    const list = (this.noteLists[key] ??= []);
    if (list.length < 1000) list.push(value);
  }

  /**
   * After the last file: rows of fully-exported entities that no file listed are marked gone
   * (never deleted: messages point at them); history rows that vanished are removed.
   */
  stageGone(): void {
    for (const e of this.fullFor) {
      if (!this.touched.has(e) || e === 'reminder-codes') continue;
      const m = this.map(e);
      const tag = e === 'clients' ? CLIENT.tag : e === 'patients' ? PATIENT.tag : e === 'reminders' ? REMINDER.tag : e === 'appointments' ? APPOINTMENT.tag : HISTORY.tag;
      for (const k of m.values()) {
        if (k.seen || k.id === 0 || k.gone) continue;
        this.counts[e].gone++;
        this.write(`${e === 'history' ? OP.delete : OP.gone}${tag}${SEP}${k.id}`);
      }
    }
  }

  problemsOverflow(): number {
    return Math.max(0, this.errors + this.warnings - this.problems.length);
  }
}
