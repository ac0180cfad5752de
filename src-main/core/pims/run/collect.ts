/**
 * The reading side's end of an import run: what a layout emits for a row becomes operations for
 * the writer (ops.ts), normalised on the way (contact points, booleans as 1/0, appointment times
 * in UTC, categories) and fingerprinted, so the writer, the busier side, only looks up and writes.
 * A keyed record's cells are its PIMS id, its fingerprint, its parents' PIMS ids and its values
 * (a client's contact points after them). Facts for the summary (notes) are counted here, once
 * per row.
 */
import { DateTime } from 'luxon';
import type { ImportEntity } from '../../../contract';
import { appointmentCategory } from '../categories';
import type { Emitter } from '../layouts';
import type { AppointmentRec, ClientRec, HistoryRec, PatientRec, ReminderCodeRec, ReminderRec } from '../model';
import { reminderCategory } from '../categories';
import { contactPoints } from '../normalize';
import { Fingerprint } from './fingerprint';
import { OP, type Cell, type OpSink } from './ops';

const b = (v: boolean): number => (v ? 1 : 0);
const nb = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);


export class Collector implements Emitter {
  readonly notes: Record<string, number> = {};
  readonly noteLists: Record<string, string[]> = {};
  private readonly noteLine: Record<string, string> = {};
  private file = '';

  /** Descriptions of reminder codes (the source's known ones, then the run's): a reminder's category may come from them. */
  private readonly codeDescriptions: Map<string, string | null>;

  constructor(
    private readonly sink: OpSink,
    private readonly timeZone: string,
    codeDescriptions: readonly (readonly [string, string | null])[] = [],
  ) {
    this.codeDescriptions = new Map(codeDescriptions);
  }

  /** Puts the fingerprint of cells[2..] in cells[1] and sends the operation. */
  private keyed(op: typeof OP.client | typeof OP.patient | typeof OP.reminder | typeof OP.appointment, line: number, cells: Cell[]): void {
    cells[1] = new Fingerprint().addAll(cells, 2).digest();
    this.sink.op(op, line, cells);
  }

  beginFile(name: string, primary: ImportEntity | null, full: readonly ImportEntity[]): void {
    this.file = name;
    this.sink.op(OP.file, -1, [name, primary, full.join(',')]);
  }

  endFile(rows: number): void {
    this.sink.op(OP.fileEnd, -1, [rows]);
  }

  client(r: ClientRec, line: number): void {
    const cells: Cell[] = [
      r.pimsId, null, r.salutation, r.firstName, r.lastName, r.spouseName, r.address1, r.address2, r.city, r.region, r.postalCode, r.country, r.clientType,
      r.language ?? 'en', b(r.active), b(r.suspendReminders), r.suspendUntil, b(r.noSms), b(r.noEmail),
    ];
    // Then the contact points, CONTACT_CELLS each (schema.ts): the writer reads them in that shape.
    for (const c of contactPoints(r)) cells.push(c.kind, c.position, c.raw, c.value, c.extension, c.phoneType, b(c.valid), b(c.smsCapable), c.nanpKey);
    this.keyed(OP.client, line, cells);
  }

  patient(r: PatientRec, line: number): void {
    this.keyed(OP.patient, line, [
      r.pimsId, null, r.clientPimsId, r.name, r.species, r.breed, r.sex, nb(r.neutered), r.dob, r.dod, r.weight, r.microchip, b(r.deceased), b(r.active), b(r.suspendReminders), r.color, r.notes,
    ]);
  }

  reminder(r: ReminderRec, line: number): void {
    const category = reminderCategory(r.code, r.description ?? this.codeDescriptions.get(r.code) ?? null);
    this.keyed(OP.reminder, line, [r.pimsId, null, r.patientPimsId, r.code, r.description, category, r.dateGiven, r.dueDate, b(r.suspended)]);
  }

  history(r: HistoryRec, line: number): void {
    this.sink.op(OP.history, line, [r.patientPimsId, r.code, r.serviceDate, r.description]);
  }

  appointment(r: AppointmentRec, line: number): void {
    const local = DateTime.fromISO(`${r.date}T${r.time}`, { zone: this.timeZone });
    if (!local.isValid) return this.problem(line, `Appointment ${r.pimsId}: ${r.date} ${r.time} is not a valid time`, 'error', 'bad-date');
    const utc = local.toUTC().toISO({ suppressMilliseconds: true })!;
    this.keyed(OP.appointment, line, [r.pimsId, null, r.clientPimsId, r.patientPimsId, `${r.date}T${r.time}`, utc, r.durationMin, r.reason, appointmentCategory(r.reason), r.doctor, r.status]);
  }

  code(r: ReminderCodeRec, line: number): void {
    this.codeDescriptions.set(r.code, r.description);
    this.sink.op(OP.code, line, [r.code, r.description, r.recallDays, reminderCategory(r.code, r.description)]);
  }

  problem(line: number | null, reason: string, severity: 'error' | 'warning' = 'error', code?: string): void {
    this.sink.op(OP.problem, line ?? -1, [severity, code ?? null, reason]);
  }

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
}
