/**
 * The writing side of an import run: operations from the reading side (ops.ts) are written to
 * the desk's tables as they come, inside the caller's transaction. Rows are keyed by (source,
 * PIMS id); what the database already holds for the source is loaded into maps once, so a row
 * the run has not seen before is a plain INSERT, a changed one an UPDATE by id, and an unchanged
 * one costs nothing. Parents are resolved from the same maps: a row whose required parent is
 * missing is rejected with its file and line. A repeat of a record (denormalised exports repeat
 * the owner on every row) is dropped; a repeat with different details replaces it, with a warning.
 * finish() marks rows a full export no longer lists as gone and recomputes derived data.
 */
import type Database from 'better-sqlite3';
import type { ImportCounts, ImportEntity } from '../../../contract';
import { ApiError } from '../../shared/errors';
import { updateSatisfied, updateShared } from './derived';
import { Fingerprint } from './fingerprint';
import { OP, type Cell, type OpCode, type OpSink } from './ops';
import { APPOINTMENT, CLIENT, CLIENT_CELLS, CONTACT_CELLS, CONTACT_COLUMNS, KEYED, PATIENT, REMINDER, type EntitySchema } from './schema';

export interface RunProblem {
  file: string;
  line: number | null;
  severity: 'error' | 'warning';
  code: string | null;
  reason: string;
}

/** Problems kept per run; beyond this only counted, so a broken file cannot flood the database. */
export const MAX_PROBLEMS = 5000;

/**
 * A truncated or header-only export looks like "every client left the clinic". Above this share
 * of known rows (and at least MASS_REMOVAL_MIN of them) the run is refused, not applied.
 */
const MASS_REMOVAL_SHARE = 0.5;
const MASS_REMOVAL_MIN = 10;

export type EntityCounts = Record<ImportEntity, ImportCounts>;

export interface WriterOptions {
  source: string;
  /** updated_at of the rows written. */
  now: string;
  /** Without it, a full export that would remove most known records is refused. */
  allowMassRemoval?: boolean;
  /** Tests: called after each step ('clients', 'patients', ...); throwing simulates a crash halfway. */
  onStep?(step: string): void;
}

/** Summary notes counting rows whose parent is unknown, by entity and parent. */
const ORPHAN_NOTES: Readonly<Record<string, string>> = {
  'patients:client': 'patientsWithUnknownClient',
  'reminders:patient': 'remindersWithUnknownPatient',
  'appointments:client': 'appointmentsWithUnknownClient',
  'appointments:patient': 'appointmentsWithUnknownPatient',
};

const ENTITY_WORD: Partial<Record<ImportEntity, string>> = { clients: 'Client', patients: 'Patient', reminders: 'Reminder', appointments: 'Appointment' };

/** One keyed row of the source: as the run found it, and as the database holds it now. */
class Row {
  /** Fingerprint of the last version this run read; null while the run has not seen the row. */
  runFp: string | null = null;
  /** That version was rejected (its required parent is missing). */
  rejected = false;
  constructor(
    /** 0 while the row is not in the database. */
    public id: number,
    /** row_hash in the database now ('' when not there). */
    public hash: string,
    public gone: boolean,
    /** row_hash when the run started; null for a row the database did not have. */
    readonly origHash: string | null,
    readonly origGone: boolean,
  ) {}
}

class KeyedTable {
  private loaded = false;
  readonly rows = new Map<string, Row>();
  readonly insert: Database.Statement;
  readonly update: Database.Statement;
  readonly markGone: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly schema: EntitySchema,
    private readonly source: string,
  ) {
    const cols = [...schema.parents.map((p) => p.fk), ...schema.columns];
    this.insert = db.prepare(`INSERT INTO ${schema.table} (source, pims_id, ${cols.join(', ')}, gone, row_hash, updated_at) VALUES (?, ?, ${cols.map(() => '?').join(', ')}, 0, ?, ?)`);
    // A rescheduled appointment needs a fresh confirmation: Pawline's state for the old time is dropped.
    const reset = schema === APPOINTMENT ? `confirm_state = CASE WHEN start_utc IS NOT ? THEN 'none' ELSE confirm_state END, confirm_at = CASE WHEN start_utc IS NOT ? THEN NULL ELSE confirm_at END, ` : '';
    this.update = db.prepare(`UPDATE ${schema.table} SET ${reset}${cols.map((c) => `${c} = ?`).join(', ')}, gone = 0, row_hash = ?, updated_at = ? WHERE id = ?`);
    this.markGone = db.prepare(`UPDATE ${schema.table} SET gone = 1, updated_at = ? WHERE id = ?`);
  }

  /** Loads what the database holds for the source, once, before the run touches the table. */
  load(): this {
    if (this.loaded) return this;
    this.loaded = true;
    const q = this.db.prepare<[string], [string, number, string, number]>(`SELECT pims_id, id, row_hash, gone FROM ${this.schema.table} WHERE source = ?`).raw();
    for (const [pims, id, hash, gone] of q.iterate(this.source)) this.rows.set(pims, new Row(id, hash, gone === 1, hash, gone === 1));
    return this;
  }

  row(pims: string): Row {
    let r = this.rows.get(pims);
    if (!r) {
      r = new Row(0, '', false, null, false);
      this.rows.set(pims, r);
    }
    return r;
  }

  /** Database id of a row of the source, 0 when there is none (or it was rejected). */
  idOf(pims: string | null): number {
    if (pims === null) return 0;
    return this.load().rows.get(pims)?.id ?? 0;
  }
}

interface CodeValues {
  description: string | null;
  recallDays: number | null;
  category: string;
}

export class RunWriter implements OpSink {
  readonly problems: RunProblem[] = [];
  errors = 0;
  warnings = 0;
  duplicateRows = 0;
  /** Rows rejected while reading, by the entity of the file they were in. */
  readonly readRejected: Partial<Record<ImportEntity, number>> = {};
  /** Entities the changed files carry (decides gone marking and derived updates). */
  readonly touched = new Set<ImportEntity>();
  readonly fullFor = new Set<ImportEntity>();
  /** Data rows read per file name. */
  readonly fileRows = new Map<string, number>();
  /**
   * Rows that name a parent neither the export nor Pawline has, by what they are (ORPHAN_NOTES):
   * a file whose rows all point at unknown clients imports nothing, and the summary must say why.
   */
  readonly orphans: Record<string, number> = {};
  private file = '';
  private primary: ImportEntity | null = null;
  /** Entities the current file lists completely. */
  private fileFull: ImportEntity[] = [];
  /** Entities listed by a file that looks cut off: what it does not list is not marked gone. */
  private readonly cutFull = new Set<ImportEntity>();
  private readonly tables: Map<EntitySchema, KeyedTable>;
  private readonly clients: KeyedTable;
  private readonly patients: KeyedTable;
  private readonly source: string;
  private readonly now: string;
  private readonly existingCodes = new Map<string, CodeValues>();
  private readonly runCodes = new Map<string, CodeValues>();
  private readonly insCp: Database.Statement;
  private readonly upsertCp: Database.Statement;
  private readonly trimCp: Database.Statement;
  private readonly insHistory: Database.Statement;
  /** History rows the source had when the run started, by patient id, code and date; null until needed. */
  private historyKeys: Map<string, { id: number; seen: boolean }> | null = null;
  private readonly historyCounts = { inserted: 0, unchanged: 0, rejected: 0 };
  private readonly args: Cell[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly o: WriterOptions,
  ) {
    this.source = o.source;
    this.now = o.now;
    this.tables = new Map(KEYED.map((e) => [e, new KeyedTable(db, e, o.source)]));
    this.clients = this.tables.get(CLIENT)!;
    this.patients = this.tables.get(PATIENT)!;
    const cpCols = ['client_id', ...CONTACT_COLUMNS];
    this.insCp = db.prepare(`INSERT INTO contact_points (${cpCols.join(', ')}) VALUES (${cpCols.map(() => '?').join(', ')})`);
    this.upsertCp = db.prepare(
      `INSERT INTO contact_points (${cpCols.join(', ')}) VALUES (${cpCols.map(() => '?').join(', ')})
       ON CONFLICT(client_id, kind, position) DO UPDATE SET ${CONTACT_COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    // Positions count from 1 per kind without gaps, so what a household no longer has lies past its last position.
    this.trimCp = db.prepare(`DELETE FROM contact_points WHERE client_id = ? AND ((kind = 'phone' AND position > ?) OR (kind = 'email' AND position > ?))`);
    this.insHistory = db.prepare('INSERT OR IGNORE INTO history (source, patient_id, code, description, service_date) VALUES (?, ?, ?, ?, ?)');
    for (const r of db.prepare<[string], { code: string; description: string | null; recall_days: number | null; category: string }>('SELECT code, description, recall_days, category FROM reminder_codes WHERE source = ?').all(o.source)) {
      this.existingCodes.set(r.code, { description: r.description, recallDays: r.recall_days, category: r.category });
    }
  }

  op(code: OpCode, line: number, cells: Cell[]): void {
    switch (code) {
      case OP.client:
        return this.client(line, cells);
      case OP.patient:
        this.keyed(PATIENT, line, cells);
        return;
      case OP.reminder:
        this.keyed(REMINDER, line, cells);
        return;
      case OP.history:
        return this.history(line, cells);
      case OP.appointment:
        this.keyed(APPOINTMENT, line, cells);
        return;
      case OP.code:
        return this.code(cells);
      case OP.problem:
        return this.problem(line < 0 ? null : line, cells[2] as string, cells[0] as 'error' | 'warning', cells[1] as string | null);
      case OP.file:
        return this.beginFile(cells[0] as string, cells[1] as ImportEntity | null, cells[2] as string);
      case OP.fileEnd:
        return this.endFile(cells[0] as number);
    }
  }

  private beginFile(name: string, primary: ImportEntity | null, full: string): void {
    this.file = name;
    this.primary = primary;
    this.fileFull = full.split(',').filter((e): e is ImportEntity => e !== '');
    for (const e of this.fileFull) this.fullFor.add(e);
    if (primary) this.touched.add(primary);
  }

  private endFile(rows: number): void {
    this.fileRows.set(this.file, (this.fileRows.get(this.file) ?? 0) + rows);
    if (this.primary) {
      this.step(this.primary);
      if (this.primary === 'clients') this.step('contact_points');
    }
  }

  /**
   * A keyed record: cells are its PIMS id, its fingerprint, its parents' PIMS ids (schema order),
   * then its values. Returns the row when it was written or found unchanged, null when dropped or
   * rejected.
   */
  private keyed(e: EntitySchema, line: number, cells: Cell[]): Row | null {
    this.touched.add(e.entity);
    const t = this.tables.get(e)!.load();
    const pims = cells[0] as string;
    const fp = cells[1] as string;
    const r = t.row(pims);
    if (r.runFp === fp) return null;
    if (r.runFp !== null) this.problem(line, `${ENTITY_WORD[e.entity] ?? 'Record'} ${pims} appears again with different details; the later row is used`, 'warning', 'conflicting-duplicate');
    r.runFp = fp;

    const args = this.args;
    args.length = 0;
    const nParents = e.parents.length;
    if (r.id === 0) args.push(this.source, pims);
    // An appointment's new start_utc, compared with the stored one (see KeyedTable.update).
    else if (e === APPOINTMENT) args.push(cells[5], cells[5]);
    for (let i = 0; i < nParents; i++) {
      const p = e.parents[i];
      const parentPims = cells[2 + i] as string | null;
      const id = (p.table === 'clients' ? this.clients : this.patients).idOf(parentPims);
      if (id === 0 && (parentPims !== null || p.required)) {
        const word = p.table === 'clients' ? 'client' : 'patient';
        const note = ORPHAN_NOTES[`${e.entity}:${word}`];
        if (note) this.orphans[note] = (this.orphans[note] ?? 0) + 1;
        if (p.required) {
          r.rejected = true;
          this.record({ file: this.file, line, severity: 'error', code: 'missing-parent', reason: `${e === REMINDER ? 'Reminder' : 'Patient'} ${pims}: ${word} ${parentPims} is not in the export; skipped` });
          return null;
        }
        this.record({ file: this.file, line, severity: 'warning', code: 'missing-parent', reason: `Appointment ${pims}: ${word} ${parentPims} is not in the export; kept without a ${word === 'client' ? 'client' : 'pet'}` });
      }
      args.push(id === 0 ? null : id);
    }
    r.rejected = false;
    const end = 2 + nParents + e.columns.length;
    for (let i = 2 + nParents; i < end; i++) args.push(cells[i]);
    args.push(fp, this.now);
    if (r.id === 0) {
      r.id = Number(t.insert.run(args).lastInsertRowid);
    } else if (r.hash !== fp || r.gone) {
      args.push(r.id);
      t.update.run(args);
    } else return r;
    r.hash = fp;
    r.gone = false;
    return r;
  }

  private client(line: number, cells: Cell[]): void {
    const before = this.clients.load().rows.get(cells[0] as string);
    const existed = before !== undefined && before.id !== 0;
    const prevHash = before?.hash;
    const prevGone = before?.gone;
    const r = this.keyed(CLIENT, line, cells);
    if (!r) return;
    // Contact points are rewritten with their client: only when it is new, changed or back.
    if (existed && prevHash === r.hash && !prevGone) return;
    const stmt = existed ? this.upsertCp : this.insCp;
    const args = this.args;
    let phones = 0;
    let emails = 0;
    for (let i = CLIENT_CELLS; i < cells.length; i += CONTACT_CELLS) {
      if (cells[i] === 'phone') phones++;
      else emails++;
      args.length = 0;
      args.push(r.id);
      for (let k = i; k < i + CONTACT_CELLS; k++) args.push(cells[k]);
      stmt.run(args);
    }
    if (existed) this.trimCp.run(r.id, phones, emails);
  }

  private history(line: number, cells: Cell[]): void {
    this.touched.add('history');
    const patientPims = cells[0] as string;
    const patientId = this.patients.idOf(patientPims);
    if (patientId === 0) {
      this.historyCounts.rejected++;
      this.orphans.historyWithUnknownPatient = (this.orphans.historyWithUnknownPatient ?? 0) + 1;
      this.record({ file: this.file, line, severity: 'error', code: 'missing-parent', reason: `Service history for patient ${patientPims}, who is not in the export; skipped` });
      return;
    }
    const keys = this.loadHistory();
    if (keys.size > 0) {
      const known = keys.get(`${patientId}\x1f${cells[1] as string}\x1f${cells[2] as string}`);
      if (known) {
        known.seen = true;
        this.historyCounts.unchanged++;
        return;
      }
    }
    // A row repeated in the file is counted once, as unchanged.
    if (this.insHistory.run(this.source, patientId, cells[1], cells[3], cells[2]).changes > 0) this.historyCounts.inserted++;
    else this.historyCounts.unchanged++;
  }

  private loadHistory(): Map<string, { id: number; seen: boolean }> {
    if (this.historyKeys) return this.historyKeys;
    this.historyKeys = new Map();
    const q = this.db.prepare<[string], [number, number, string, string]>('SELECT id, patient_id, code, service_date FROM history WHERE source = ?').raw();
    for (const [id, pid, code, date] of q.iterate(this.source)) this.historyKeys.set(`${pid}\x1f${code}\x1f${date}`, { id, seen: false });
    return this.historyKeys;
  }

  private code(cells: Cell[]): void {
    this.touched.add('reminder-codes');
    this.runCodes.set(cells[0] as string, { description: cells[1] as string | null, recallDays: cells[2] as number | null, category: cells[3] as string });
  }

  /** A problem found while reading (the reading side's rows are rejected by the file's entity). */
  private problem(line: number | null, reason: string, severity: 'error' | 'warning', code: string | null): void {
    this.record({ file: this.file, line, severity, code, reason });
    if (severity === 'error' && this.primary) this.readRejected[this.primary] = (this.readRejected[this.primary] ?? 0) + 1;
    if (code === 'duplicate-row') this.duplicateRows++;
    if (code === 'truncated-file') for (const e of this.fileFull) this.cutFull.add(e);
  }

  /** Counts a problem and keeps it while there is room. */
  record(p: RunProblem): void {
    if (p.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  problemsOverflow(): number {
    return Math.max(0, this.errors + this.warnings - this.problems.length);
  }

  private step(name: string): void {
    this.o.onStep?.(name);
  }

  /** Reminder codes, gone marking, history a full export no longer lists, derived data; returns the counts. */
  finish(): EntityCounts {
    const zero = (): ImportCounts => ({ inserted: 0, updated: 0, unchanged: 0, rejected: 0, gone: 0 });
    const counts = Object.fromEntries(['clients', 'patients', 'reminders', 'reminder-codes', 'history', 'appointments'].map((e) => [e, zero()])) as EntityCounts;

    if (this.touched.has('reminder-codes')) {
      const c = counts['reminder-codes'];
      const upsert = this.db.prepare(
        `INSERT INTO reminder_codes (source, code, description, recall_days, category) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(source, code) DO UPDATE SET description = excluded.description, recall_days = excluded.recall_days, category = excluded.category`,
      );
      for (const [code, v] of this.runCodes) {
        const old = this.existingCodes.get(code);
        if (old && old.description === v.description && old.recallDays === v.recallDays && old.category === v.category) {
          c.unchanged++;
          continue;
        }
        if (old) c.updated++;
        else c.inserted++;
        upsert.run(this.source, code, v.description, v.recallDays, v.category);
      }
      this.step('reminder-codes');
    }

    for (const e of KEYED) {
      if (!this.touched.has(e.entity)) continue;
      const t = this.tables.get(e)!.load();
      const c = counts[e.entity];
      for (const r of t.rows.values()) {
        if (r.runFp === null) continue;
        if (r.rejected) c.rejected++;
        else if (r.origHash === null) c.inserted++;
        else if (r.origGone || r.hash !== r.origHash) c.updated++;
        else c.unchanged++;
      }
      if (this.fullFor.has(e.entity) && !this.cutFull.has(e.entity)) c.gone = this.markGone(t);
    }

    if (this.touched.has('history')) {
      const c = counts.history;
      c.inserted = this.historyCounts.inserted;
      c.unchanged = this.historyCounts.unchanged;
      c.rejected = this.historyCounts.rejected;
      if (this.fullFor.has('history') && !this.cutFull.has('history')) {
        // History rows are not referenced by messages: ones a full export no longer lists are removed.
        const del = this.db.prepare('DELETE FROM history WHERE id = ?');
        for (const k of this.loadHistory().values()) if (!k.seen) c.gone += del.run(k.id).changes;
      }
      this.step('history');
    }

    if (this.touched.has('reminders') || this.touched.has('history')) updateSatisfied(this.db, this.source);
    if (this.touched.has('clients')) updateShared(this.db);
    this.step('derived');
    return counts;
  }

  /** Rows of the source a full export no longer lists: marked gone, unless that is most of them. */
  private markGone(t: KeyedTable): number {
    const leaving: Row[] = [];
    let known = 0;
    for (const r of t.rows.values()) {
      if (r.id === 0 || r.gone) continue;
      known++;
      if (r.runFp === null) leaving.push(r);
    }
    if (!this.o.allowMassRemoval && leaving.length >= MASS_REMOVAL_MIN && leaving.length > known * MASS_REMOVAL_SHARE) {
      throw new ApiError(
        'import.mass-removal',
        `This export would remove ${leaving.length} of ${known} ${t.schema.table} known to Pawline. The file looks truncated or empty, so nothing was imported. If the practice really removed them, import again with "Allow removals" (CLI: --allow-removals).`,
      );
    }
    for (const r of leaving) {
      t.markGone.run(this.now, r.id);
      r.gone = true;
    }
    return leaving.length;
  }
}
