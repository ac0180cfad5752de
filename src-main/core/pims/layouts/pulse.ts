/**
 * Covetrus Pulse conversion export: Client, Patient, Reminders, RemCodes, History and
 * Appointments CSVs, one entity per file, each a full list. Dates MM/DD/YYYY, booleans
 * True/False, up to three phones per client each with its own type.
 */
import { parseSex } from '../values';
import { countryOfPostal, normalizeLanguage, normalizeRegion, phonesFrom } from '../normalize';
import { Columns, headerScore, MAX_DURATION_MIN, MAX_RECALL_DAYS, readers } from './columns';
import type { LayoutDef, ProfileDef } from './types';

const CLIENT_REQ = ['AccountId', 'LastName', 'FirstName', 'Phone1AsIs', 'flgInactive'];
const CLIENT_OPT = ['ClientTypeCode', 'Salutation', 'Address1', 'Address2', 'City', 'State', 'Zip', 'PhoneType1', 'Phone2AsIs', 'PhoneType2', 'Phone3AsIs', 'PhoneType3', 'Email', 'SpouseNameFirst', 'DoNotEmail', 'DoNotText', 'Language'];

const clients: LayoutDef = {
  id: 'pulse.clients',
  profile: 'pulse',
  label: 'Covetrus Pulse clients (Client.csv)',
  kind: 'clients',
  full: ['clients'],
  order: 10,
  headerHints: [...CLIENT_REQ, ...CLIENT_OPT],
  match: (h) => headerScore(h, CLIENT_REQ, CLIENT_OPT),
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'Client.csv';
    const id = c.require(file, 'AccountId');
    const [sal, last, first, a1, a2, city, state, zip, email, spouse, inactive, noEmail, noText, lang, type] = [
      c.idx('Salutation'), c.idx('LastName'), c.idx('FirstName'), c.idx('Address1'), c.idx('Address2'), c.idx('City'), c.idx('State'), c.idx('Zip'),
      c.idx('Email'), c.idx('SpouseNameFirst'), c.idx('flgInactive'), c.idx('DoNotEmail'), c.idx('DoNotText'), c.idx('Language'), c.idx('ClientTypeCode'),
    ];
    const phones = [1, 2, 3].map((n) => [c.idx(`Phone${n}AsIs`, `Phone${n}`), c.idx(`PhoneType${n}`)] as const);
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      if (!pimsId) return emit.problem(line, 'AccountId is empty; client skipped', 'error', 'missing-id');
      const { region, country } = normalizeRegion(r.text(f, state));
      const postalCode = r.text(f, zip);
      emit.client(
        {
          pimsId,
          salutation: r.name(f, sal),
          firstName: r.name(f, first),
          lastName: r.name(f, last),
          spouseName: r.name(f, spouse),
          address1: r.text(f, a1),
          address2: r.text(f, a2),
          city: r.text(f, city),
          region,
          postalCode,
          country: country ?? countryOfPostal(postalCode),
          clientType: r.text(f, type),
          language: normalizeLanguage(r.text(f, lang)),
          active: !r.flag(f, inactive, emit, line, c.name(inactive), false),
          suspendReminders: false,
          suspendUntil: null,
          noSms: r.flag(f, noText, emit, line, c.name(noText), false, true),
          noEmail: r.flag(f, noEmail, emit, line, c.name(noEmail), false, true),
          phones: phonesFrom(...phones.map(([p, t]) => [r.raw(f, p), r.text(f, t)] as [string | null, string | null])),
          emails: email >= 0 && f[email] ? [f[email]] : [],
        },
        line,
      );
    };
  },
};

const PATIENT_REQ = ['ClientAccountId', 'AccountId', 'Name', 'flgDeceased'];
const PATIENT_OPT = ['SpeciesCode', 'Species', 'BreedCode', 'Breed', 'GenderVal', 'IsSpayedOrNeutered', 'DOB', 'DOD', 'Weight', 'RabiesTagNum', 'Microchip', 'flgInactive', 'SuspendReminders'];

const patients: LayoutDef = {
  id: 'pulse.patients',
  profile: 'pulse',
  label: 'Covetrus Pulse patients (Patient.csv)',
  kind: 'patients',
  full: ['patients'],
  order: 20,
  headerHints: [...PATIENT_REQ, ...PATIENT_OPT],
  match: (h) => headerScore(h, PATIENT_REQ, PATIENT_OPT),
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'Patient.csv';
    const id = c.require(file, 'AccountId');
    const owner = c.require(file, 'ClientAccountId');
    const [name, species, breed, gender, neut, dob, dod, weight, chip, inactive, deceased, suspend] = [
      c.idx('Name'), c.idx('Species', 'SpeciesCode'), c.idx('Breed'), c.idx('GenderVal', 'Sex'), c.idx('IsSpayedOrNeutered'), c.idx('DOB'), c.idx('DOD'),
      c.idx('Weight'), c.idx('Microchip'), c.idx('flgInactive'), c.idx('flgDeceased'), c.idx('SuspendReminders'),
    ];
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      const clientPimsId = r.id(f, owner);
      if (!pimsId) return emit.problem(line, 'AccountId is empty; patient skipped', 'error', 'missing-id');
      if (!clientPimsId) return emit.problem(line, `Patient ${pimsId} has no ClientAccountId; skipped`, 'error', 'missing-parent');
      const sx = parseSex(r.raw(f, gender));
      const dodDate = r.date(f, dod, emit, line, 'DOD');
      const dead = r.strictFlag(f, deceased, emit, line, c.name(deceased), false, `patient ${pimsId}`);
      if (dead === undefined) return;
      emit.patient(
        {
          pimsId,
          clientPimsId,
          name: r.name(f, name),
          species: r.text(f, species),
          breed: r.text(f, breed),
          sex: sx.sex,
          neutered: sx.neutered ?? (r.raw(f, neut)?.trim() ? r.flag(f, neut, emit, line, c.name(neut), false) : null),
          dob: r.date(f, dob, emit, line, 'DOB'),
          dod: dodDate,
          weight: r.num(f, weight),
          microchip: r.text(f, chip),
          deceased: dead || dodDate !== null,
          active: !r.flag(f, inactive, emit, line, c.name(inactive), false),
          suspendReminders: r.flag(f, suspend, emit, line, c.name(suspend), false, true),
          color: null,
          notes: null,
        },
        line,
      );
    };
  },
};

const REM_REQ = ['ReminderID', 'PatientAccountId', 'Code', 'DueDate'];
const REM_OPT = ['Description', 'DateGiven'];

const reminders: LayoutDef = {
  id: 'pulse.reminders',
  profile: 'pulse',
  label: 'Covetrus Pulse reminders (Reminders.csv)',
  kind: 'reminders',
  full: ['reminders'],
  order: 30,
  headerHints: [...REM_REQ, ...REM_OPT],
  match: (h) => headerScore(h, REM_REQ, REM_OPT),
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'Reminders.csv';
    const id = c.require(file, 'ReminderID');
    const pat = c.require(file, 'PatientAccountId');
    const code = c.require(file, 'Code');
    const due = c.require(file, 'DueDate');
    const desc = c.idx('Description');
    const given = c.idx('DateGiven');
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      const patientPimsId = r.id(f, pat);
      const cd = r.id(f, code);
      if (!pimsId) return emit.problem(line, 'ReminderID is empty; reminder skipped', 'error', 'missing-id');
      if (!patientPimsId) return emit.problem(line, `Reminder ${pimsId} has no PatientAccountId; skipped`, 'error', 'missing-parent');
      const dueDate = r.date(f, due, emit, line, 'DueDate');
      if (!dueDate || !cd) return emit.problem(line, `Reminder ${pimsId} has no ${cd ? 'due date' : 'code'}; skipped`, 'error', 'missing-value');
      emit.reminder({ pimsId, patientPimsId, code: cd.toUpperCase(), description: r.text(f, desc), dateGiven: r.date(f, given, emit, line, 'DateGiven'), dueDate, suspended: false }, line);
    };
  },
};

const codes: LayoutDef = {
  id: 'pulse.reminder-codes',
  profile: 'pulse',
  label: 'Covetrus Pulse reminder codes (RemCodes.csv)',
  kind: 'reminder-codes',
  full: [],
  order: 5,
  headerHints: ['Code', 'Description', 'RecallDays'],
  match: (h) => (h.length <= 5 ? headerScore(h, ['Code', 'Description', 'RecallDays']) : 0),
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const code = c.require('RemCodes.csv', 'Code');
    const desc = c.idx('Description');
    const days = c.idx('RecallDays');
    return (f, line, emit) => {
      const cd = r.id(f, code);
      if (!cd) return emit.problem(line, 'Code is empty; skipped', 'error', 'missing-id');
      emit.code({ code: cd.toUpperCase(), description: r.text(f, desc), recallDays: r.int(f, days, emit, line, c.name(days), 0, MAX_RECALL_DAYS) }, line);
    };
  },
};

const HIST_REQ = ['PatientAccountId', 'Code', 'ServiceDate'];

const history: LayoutDef = {
  id: 'pulse.history',
  profile: 'pulse',
  label: 'Covetrus Pulse service history (History.csv)',
  kind: 'history',
  full: ['history'],
  order: 40,
  headerHints: [...HIST_REQ, 'Description'],
  match: (h) => (h.some((x) => /reminderid/i.test(x)) ? 0 : headerScore(h, HIST_REQ, ['Description'])),
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'History.csv';
    const pat = c.require(file, 'PatientAccountId');
    const code = c.require(file, 'Code');
    const date = c.require(file, 'ServiceDate');
    const desc = c.idx('Description');
    return (f, line, emit) => {
      const patientPimsId = r.id(f, pat);
      const cd = r.id(f, code);
      const serviceDate = r.date(f, date, emit, line, 'ServiceDate');
      if (!patientPimsId || !cd || !serviceDate) return emit.problem(line, 'History row without patient, code or date; skipped', 'error', 'missing-value');
      emit.history({ patientPimsId, code: cd.toUpperCase(), description: r.text(f, desc), serviceDate }, line);
    };
  },
};

const APPT_REQ = ['AppointmentId', 'PatientAccountId', 'StartDateTime', 'Status'];
const APPT_OPT = ['ClientAccountId', 'DurationMinutes', 'Reason', 'Doctor'];

const appointments: LayoutDef = {
  id: 'pulse.appointments',
  profile: 'pulse',
  label: 'Covetrus Pulse appointments (Appointments.csv)',
  kind: 'appointments',
  full: ['appointments'],
  order: 50,
  headerHints: [...APPT_REQ, ...APPT_OPT],
  match: (h) => headerScore(h, APPT_REQ, APPT_OPT),
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'Appointments.csv';
    const id = c.require(file, 'AppointmentId');
    const start = c.require(file, 'StartDateTime');
    const [client, patient, dur, reason, doctor, status] = [c.idx('ClientAccountId'), c.idx('PatientAccountId'), c.idx('DurationMinutes'), c.idx('Reason'), c.idx('Doctor'), c.idx('Status')];
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      if (!pimsId) return emit.problem(line, 'AppointmentId is empty; skipped', 'error', 'missing-id');
      const dt = r.dateTime(f, start);
      if (!dt || !dt.time) return emit.problem(line, `Appointment ${pimsId}: start "${(r.raw(f, start) ?? '').slice(0, 30)}" is not a date and time; skipped`, 'error', 'bad-date');
      emit.appointment(
        {
          pimsId,
          clientPimsId: r.id(f, client),
          patientPimsId: r.id(f, patient),
          date: dt.date,
          time: dt.time,
          durationMin: r.int(f, dur, emit, line, c.name(dur), 0, MAX_DURATION_MIN),
          reason: r.text(f, reason),
          doctor: r.text(f, doctor),
          status: r.text(f, status) ?? 'Scheduled',
        },
        line,
      );
    };
  },
};

export const PULSE: ProfileDef = {
  name: 'pulse',
  label: 'Covetrus Pulse',
  description: 'Covetrus Pulse conversion export: Client, Patient, Reminders, RemCodes, History and Appointments CSV files.',
  layouts: [codes, clients, patients, reminders, history, appointments],
};
