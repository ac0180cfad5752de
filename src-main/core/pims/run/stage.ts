/**
 * Phase one of an import run: every canonical record a layout emits is normalised, fingerprinted
 * and written to the run's staging database (a scratch SQLite file of its own, so a transaction
 * may stay open across the reads' awaits without touching the desk's database). Repeated records
 * are kept once; a repeat with different details is reported and the later one kept.
 */
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { ImportEntity } from '../../../contract';
import type { Db } from '../../db/open';
import { appointmentCategory, reminderCategory } from '../categories';
import type { Emitter } from '../layouts';
import { encodeCells, type AppointmentRec, type Cell, type ClientRec, type HistoryRec, type PatientRec, type ReminderCodeRec, type ReminderRec } from '../model';
import { contactPoints } from '../normalize';
import { rowHash } from './hash';
import { APPOINTMENT, CLIENT, PATIENT, REMINDER, STAGING_DDL, STAGING_INDEXES, type EntitySchema } from './schema';

export interface StagedProblem {
  file: string;
  line: number | null;
  severity: 'error' | 'warning';
  code: string | null;
  reason: string;
}

/** Problems kept per run; beyond this only counted, so a broken file cannot flood the database. */
export const MAX_PROBLEMS = 5000;

const ENTITY_WORD: Partial<Record<ImportEntity, string>> = { clients: 'Client', patients: 'Patient', reminders: 'Reminder', appointments: 'Appointment' };

interface Writer {
  insert: Database.Statement;
  hashOf: Database.Statement<[number], { hash: string }>;
  replace: Database.Statement;
  /** PIMS id -> staging rowid of the records staged so far, to keep each once. */
  staged: Map<string, number>;
}

export class Stager implements Emitter {
  readonly problems: StagedProblem[] = [];
  errors = 0;
  warnings = 0;
  duplicateRows = 0;
  /** Rows rejected while reading, by the entity of the file they were in. */
  readonly rejected: Partial<Record<ImportEntity, number>> = {};
  readonly notes: Record<string, number> = {};
  readonly noteLists: Record<string, string[]> = {};
  private readonly noteLine: Record<string, string> = {};
  /** Entities the changed files carry (decides gone marking and derived updates). */
  readonly touched = new Set<ImportEntity>();
  readonly fullFor = new Set<ImportEntity>();
  private file = '';
  private primary: ImportEntity | null = null;
  private readonly db: Database.Database;
  private readonly writers: Map<EntitySchema, Writer>;
  private readonly insHistory: Database.Statement;
  private readonly insCp: Database.Statement;
  private readonly upsertCode: Database.Statement;
  private readonly codeDescriptions = new Map<string, string | null>();
  private closed = false;

  constructor(
    /** The scratch database file; removed by the caller after the run. */
    readonly stagePath: string,
    main: Db,
    readonly source: string,
    private readonly timeZone: string,
  ) {
    this.db = new Database(stagePath);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('cache_size = -4000');
    this.db.exec(STAGING_DDL);
    this.writers = new Map(
      [CLIENT, PATIENT, REMINDER, APPOINTMENT].map((e) => {
        const cols = ['pims_id', 'file', 'line', 'hash', ...e.parents.map((p) => p.stageCol), 'data'];
        return [
          e,
          {
            insert: this.db.prepare(`INSERT INTO ${e.stage} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`),
            hashOf: this.db.prepare(`SELECT hash FROM ${e.stage} WHERE rowid = ?`),
            replace: this.db.prepare(`UPDATE ${e.stage} SET ${cols.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE rowid = ?`),
            staged: new Map(),
          },
        ];
      }),
    );
    this.insCp = this.db.prepare(
      'INSERT INTO s_contact_points (client_pims, client_hash, kind, position, raw, value, extension, phone_type, valid, sms_capable, nanp_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insHistory = this.db.prepare('INSERT INTO s_history (patient_pims, code, service_date, description, file, line) VALUES (?, ?, ?, ?, ?, ?)');
    this.upsertCode = this.db.prepare(
      'INSERT INTO s_codes (code, description, recall_days, category) VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET description = excluded.description, recall_days = excluded.recall_days, category = excluded.category',
    );
    for (const r of main.prepare<[string], { code: string; description: string | null }>('SELECT code, description FROM reminder_codes WHERE source = ?').all(source)) {
      this.codeDescriptions.set(r.code, r.description);
    }
    this.db.exec('BEGIN');
  }

  /** Starts a file; entities it lists completely are remembered for gone marking. */
  beginFile(file: string, primary: ImportEntity | null, full: readonly ImportEntity[]): void {
    this.file = file;
    this.primary = primary;
    for (const e of full) this.fullFor.add(e);
    if (primary) this.touched.add(primary);
  }

  /** Ends staging: commits and closes the scratch database so the apply phase can attach it. */
  finish(): void {
    if (this.closed) return;
    for (const w of this.writers.values()) w.staged.clear();
    this.db.exec(STAGING_INDEXES);
    this.db.exec('COMMIT');
    this.db.close();
    this.closed = true;
  }

  /** Closes without keeping anything (the run failed). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      this.db.close();
    }
  }

  /**
   * Stages one record. A repeat of the same record (denormalised exports repeat the owner on every
   * row) is dropped; a repeat with different details replaces it, with a warning.
   */
  /** Returns the record's hash, or null for an identical repeat (dropped). */
  private put(e: EntitySchema, line: number, pimsId: string, parents: (string | null)[], values: Cell[], fingerprintExtra = ''): string | null {
    const data = JSON.stringify(values.map(sqlValue));
    const hash = rowHash(encodeCells(parents) + '\x1d' + data + fingerprintExtra);
    const w = this.writers.get(e)!;
    const args = [this.file, line, hash, ...parents, data];
    const rowid = w.staged.get(pimsId);
    if (rowid === undefined) {
      w.staged.set(pimsId, Number(w.insert.run(pimsId, ...args).lastInsertRowid));
      return hash;
    }
    if (w.hashOf.get(rowid)?.hash === hash) return null;
    w.replace.run(...args, rowid);
    this.problem(line, `${ENTITY_WORD[e.entity] ?? 'Record'} ${pimsId} appears again with different details; the later row is used`, 'warning', 'conflicting-duplicate');
    return hash;
  }

  /* ---- Emitter ---- */

  client(r: ClientRec, line: number): void {
    this.touched.add('clients');
    const cps = contactPoints(r).map((c): Cell[] => [c.kind, c.position, c.raw, c.value, c.extension, c.phoneType, c.valid, c.smsCapable, c.nanpKey]);
    const values: Cell[] = [
      r.salutation, r.firstName, r.lastName, r.spouseName, r.address1, r.address2, r.city, r.region, r.postalCode, r.country, r.clientType,
      r.language ?? 'en', r.active, r.suspendReminders, r.suspendUntil, r.noSms, r.noEmail,
    ];
    let fingerprint = '';
    for (const c of cps) fingerprint += '\x1e' + encodeCells(c);
    // Contact points are tied to the version of the client they came with; a replaced client's old ones are ignored.
    const hash = this.put(CLIENT, line, r.pimsId, [], values, fingerprint);
    if (hash === null) return;
    for (const c of cps) this.insCp.run(r.pimsId, hash, ...c.map(sqlValue));
  }

  patient(r: PatientRec, line: number): void {
    this.touched.add('patients');
    const values: Cell[] = [r.name, r.species, r.breed, r.sex, r.neutered, r.dob, r.dod, r.weight, r.microchip, r.deceased, r.active, r.suspendReminders, r.color, r.notes];
    this.put(PATIENT, line, r.pimsId, [r.clientPimsId], values);
  }

  reminder(r: ReminderRec, line: number): void {
    this.touched.add('reminders');
    const category = reminderCategory(r.code, r.description ?? this.codeDescriptions.get(r.code) ?? null);
    this.put(REMINDER, line, r.pimsId, [r.patientPimsId], [r.code, r.description, category, r.dateGiven, r.dueDate, r.suspended]);
  }

  history(r: HistoryRec, line: number): void {
    this.touched.add('history');
    this.insHistory.run(r.patientPimsId, r.code, r.serviceDate, r.description, this.file, line);
  }

  appointment(r: AppointmentRec, line: number): void {
    this.touched.add('appointments');
    const local = DateTime.fromISO(`${r.date}T${r.time}`, { zone: this.timeZone });
    if (!local.isValid) return this.problem(line, `Appointment ${r.pimsId}: ${r.date} ${r.time} is not a valid time`, 'error', 'bad-date');
    const utc = local.toUTC().toISO({ suppressMilliseconds: true })!;
    this.put(APPOINTMENT, line, r.pimsId, [r.clientPimsId, r.patientPimsId], [`${r.date}T${r.time}`, utc, r.durationMin, r.reason, appointmentCategory(r.reason), r.doctor, r.status]);
  }

  code(r: ReminderCodeRec): void {
    this.touched.add('reminder-codes');
    if (this.codeDescriptions.get(r.code) !== r.description) this.codeDescriptions.set(r.code, r.description);
    this.upsertCode.run(r.code, r.description, r.recallDays, reminderCategory(r.code, r.description));
  }

  problem(line: number | null, reason: string, severity: 'error' | 'warning' = 'error', code?: string): void {
    this.record({ file: this.file, line, severity, code: code ?? null, reason });
    if (severity === 'error' && this.primary) this.rejected[this.primary] = (this.rejected[this.primary] ?? 0) + 1;
    if (code === 'duplicate-row') this.duplicateRows++;
  }

  /** Counts a problem found later (while applying) and keeps it if there is room. */
  record(p: StagedProblem): void {
    if (p.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
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

  countOnly(severity: 'error' | 'warning', n: number): void {
    if (severity === 'error') this.errors += n;
    else this.warnings += n;
  }

  problemsOverflow(): number {
    return Math.max(0, this.errors + this.warnings - this.problems.length);
  }
}

function sqlValue(v: Cell): string | number | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}
