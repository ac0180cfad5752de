/**
 * AVImark extractor output: CLIENT.TXT, PET.TXT, REMINDER.TXT and APPOINT.TXT, pipe-delimited,
 * Windows-1252, never quoted. Dates MM/DD/YY; appointment time in minutes after midnight; the
 * main phone split into AREA and PHONE, the cell in CELL. AVImark keeps no service history (it
 * moves a reminder's due date forward when the service is done), no patient-inactive flag, and
 * deletes cancelled appointments, so every file is a full list.
 */
import { parseSex } from '../values';
import { countryOfPostal, normalizeRegion, phonesFrom } from '../normalize';
import { Columns, headerScore, MAX_DURATION_MIN, readers } from './columns';
import type { LayoutDef, ProfileDef } from './types';

/** Extractors prefix fields with the table's key name (CLIENTCODE_STATUS) or not (STATUS). */
const a = (table: string, field: string) => [field, `${table}_${field}`, `${table}CODE_${field}`];

const byName = (name: string) => (file: string) => (file.toUpperCase().startsWith(name) ? 0.2 : 0);

const clients: LayoutDef = {
  id: 'avimark.clients',
  profile: 'avimark',
  label: 'AVImark clients (CLIENT.TXT)',
  kind: 'clients',
  full: ['clients'],
  order: 10,
  quote: false,
  encoding: 'windows-1252',
  headerHints: ['CLIENTCODE', 'LASTNAME', 'FIRSTNAME', 'ADDRESS', 'CITY', 'STATE', 'ZIP', 'AREA', 'PHONE', 'CELL', 'EMAIL', 'STATUS', 'SUSPEND_REM', 'SUSPEND_UNTIL'],
  match: (h, file) => {
    const s = headerScore(h, ['CLIENTCODE', 'LASTNAME', 'AREA', 'PHONE'], ['FIRSTNAME', 'ADDRESS', 'CITY', 'STATE', 'ZIP', 'CELL', 'EMAIL', 'STATUS']);
    return s ? s + byName('CLIENT')(file) : 0;
  },
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'CLIENT.TXT';
    const id = c.require(file, 'CLIENTCODE', 'CLIENT_CODE');
    const [last, first, addr, addr2, city, state, zip, area, phone, cell, email, status, suspend, until] = [
      c.idx('LASTNAME'), c.idx('FIRSTNAME'), c.idx('ADDRESS', 'ADDRESS1'), c.idx('ADDRESS2'), c.idx('CITY'), c.idx('STATE'), c.idx('ZIP'), c.idx('AREA'),
      c.idx('PHONE'), c.idx('CELL'), c.idx('EMAIL'), c.idx(...a('CLIENT', 'STATUS')), c.idx(...a('CLIENT', 'SUSPEND_REM')), c.idx(...a('CLIENT', 'SUSPEND_UNTIL')),
    ];
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      if (!pimsId) return emit.problem(line, 'CLIENTCODE is empty; client skipped', 'error', 'missing-id');
      const areaCode = (r.raw(f, area) ?? '').trim();
      const number = (r.raw(f, phone) ?? '').trim();
      const main = number ? (areaCode && number.replace(/\D/g, '').length <= 7 ? `${areaCode} ${number}` : number) : null;
      const { region, country } = normalizeRegion(r.text(f, state));
      const postalCode = r.text(f, zip);
      const suspendUntil = r.date(f, until, emit, line, 'SUSPEND_UNTIL');
      emit.client(
        {
          pimsId,
          salutation: null,
          firstName: r.name(f, first),
          lastName: r.name(f, last),
          spouseName: null,
          address1: r.text(f, addr),
          address2: r.text(f, addr2),
          city: r.text(f, city),
          region,
          postalCode,
          country: country ?? countryOfPostal(postalCode),
          clientType: null,
          language: null,
          active: (r.text(f, status) ?? 'A').toUpperCase() === 'A',
          suspendReminders: r.flag(f, suspend, emit, line, c.name(suspend), false, true),
          suspendUntil,
          noSms: false,
          noEmail: false,
          // AREA+PHONE is the main number (home, else work, else the cell): its type is unknown.
          phones: phonesFrom([r.raw(f, cell), 'Cell'], [main, null]),
          emails: email >= 0 && f[email] ? [f[email]] : [],
        },
        line,
      );
    };
  },
};

const patients: LayoutDef = {
  id: 'avimark.patients',
  profile: 'avimark',
  label: 'AVImark pets (PET.TXT)',
  kind: 'patients',
  full: ['patients'],
  order: 20,
  quote: false,
  encoding: 'windows-1252',
  headerHints: ['PETCODE', 'CLIENTCODE', 'NAME', 'SPECIES', 'BREED', 'SEX', 'COLOR', 'BIRTHDATE', 'DEATHDATE', 'SUSPENDREM', 'WEIGHT'],
  match: (h, file) => {
    const s = headerScore(h, ['PETCODE', 'CLIENTCODE', 'NAME'], ['SPECIES', 'BREED', 'SEX', 'BIRTHDATE', 'DEATHDATE', 'SUSPENDREM', 'WEIGHT']);
    return s && !new Columns(h).has('DUEDATE') && !new Columns(h).has('APPT_DATE') ? s + byName('PET')(file) : 0;
  },
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'PET.TXT';
    const id = c.require(file, 'PETCODE', 'PET_CODE');
    const owner = c.require(file, 'CLIENTCODE', 'CLIENT_CODE');
    const [name, species, breed, sex, color, birth, death, suspend, weight, chip] = [
      c.idx('NAME'), c.idx('SPECIES'), c.idx('BREED'), c.idx('SEX'), c.idx('COLOR'), c.idx('BIRTHDATE', 'BIRTHDAY'), c.idx('DEATHDATE'),
      c.idx(...a('PET', 'SUSPENDREM')), c.idx('WEIGHT'), c.idx('MICROCHIP', 'CHIP'),
    ];
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      const clientPimsId = r.id(f, owner);
      if (!pimsId) return emit.problem(line, 'PETCODE is empty; pet skipped', 'error', 'missing-id');
      if (!clientPimsId) return emit.problem(line, `Pet ${pimsId} has no CLIENTCODE; skipped`, 'error', 'missing-parent');
      const sx = parseSex(r.raw(f, sex));
      const dod = r.date(f, death, emit, line, 'DEATHDATE');
      emit.patient(
        {
          pimsId,
          clientPimsId,
          name: r.name(f, name),
          species: r.text(f, species),
          breed: r.text(f, breed),
          sex: sx.sex,
          neutered: sx.neutered,
          dob: r.date(f, birth, emit, line, 'BIRTHDATE'),
          dod,
          weight: r.num(f, weight),
          microchip: r.text(f, chip),
          deceased: dod !== null,
          active: true,
          suspendReminders: r.flag(f, suspend, emit, line, c.name(suspend), false, true),
          color: r.text(f, color),
          notes: null,
        },
        line,
      );
    };
  },
};

const reminders: LayoutDef = {
  id: 'avimark.reminders',
  profile: 'avimark',
  label: 'AVImark reminders (REMINDER.TXT)',
  kind: 'reminders',
  full: ['reminders'],
  order: 30,
  quote: false,
  encoding: 'windows-1252',
  headerHints: ['REMINDERCODE', 'PETCODE', 'TREATMENT', 'DESCRIPTION', 'DUEDATE', 'SUSPEND'],
  match: (h, file) => {
    const s = headerScore(h, ['PETCODE', 'DUEDATE'], ['REMINDERCODE', 'TREATMENT', 'DESCRIPTION', 'SUSPEND']);
    return s ? s + byName('REMINDER')(file) : 0;
  },
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'REMINDER.TXT';
    const id = c.require(file, 'REMINDERCODE', 'REMINDER_CODE', 'REMINDERID');
    const pet = c.require(file, 'PETCODE', 'PET_CODE');
    const due = c.require(file, 'DUEDATE', 'DUE_DATE');
    const [treatment, desc, suspend] = [c.idx('TREATMENT', 'CODE', 'SERVICE'), c.idx('DESCRIPTION'), c.idx(...a('REMINDER', 'SUSPEND'))];
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      const patientPimsId = r.id(f, pet);
      if (!pimsId || !patientPimsId) return emit.problem(line, 'Reminder without REMINDERCODE or PETCODE; skipped', 'error', 'missing-id');
      const dueDate = r.date(f, due, emit, line, 'DUEDATE');
      const description = r.text(f, desc);
      const code = r.id(f, treatment)?.toUpperCase() ?? description?.toUpperCase().replace(/[^A-Z0-9]+/g, '').slice(0, 16);
      if (!dueDate || !code) return emit.problem(line, `Reminder ${pimsId} has no ${code ? 'due date' : 'treatment code'}; skipped`, 'error', 'missing-value');
      emit.reminder({ pimsId, patientPimsId, code, description, dateGiven: null, dueDate, suspended: r.flag(f, suspend, emit, line, c.name(suspend), false, true) }, line);
    };
  },
};

const CONFIRMED = /^(y|yes|confirmed|c)$/i;

const appointments: LayoutDef = {
  id: 'avimark.appointments',
  profile: 'avimark',
  label: 'AVImark appointments (APPOINT.TXT)',
  kind: 'appointments',
  full: ['appointments'],
  order: 50,
  quote: false,
  encoding: 'windows-1252',
  headerHints: ['APPTCODE', 'CLIENTCODE', 'PETCODE', 'APPT_DATE', 'APPT_TIME', 'APPT_DURATION', 'APPT_REASON', 'APPT_DOCTOR', 'APPT_CONFIRM'],
  match: (h, file) => {
    const s = headerScore(h, ['APPT_DATE', 'APPT_TIME'], ['APPTCODE', 'CLIENTCODE', 'PETCODE', 'APPT_DURATION', 'APPT_REASON', 'APPT_DOCTOR', 'APPT_CONFIRM']);
    return s ? s + byName('APPOINT')(file) : 0;
  },
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'APPOINT.TXT';
    const id = c.require(file, 'APPTCODE', 'APPT_CODE', 'APPOINTCODE');
    const date = c.require(file, 'APPT_DATE');
    const time = c.require(file, 'APPT_TIME');
    const [client, pet, dur, reason, doctor, confirm] = [c.idx('CLIENTCODE'), c.idx('PETCODE'), c.idx('APPT_DURATION', 'DURATION'), c.idx('APPT_REASON', 'REASON'), c.idx('APPT_DOCTOR', 'DOCTOR'), c.idx('APPT_CONFIRM', 'CONFIRM')];
    return (f, line, emit) => {
      const pimsId = r.id(f, id);
      if (!pimsId) return emit.problem(line, 'APPTCODE is empty; skipped', 'error', 'missing-id');
      const d = r.date(f, date, emit, line, 'APPT_DATE');
      // Minutes after midnight ('510' = 08:30); some extractors write a clock time instead.
      const t = r.time(f, time, true);
      if (!d || !t) return emit.problem(line, `Appointment ${pimsId} has no readable date or time; skipped`, 'error', 'bad-date');
      emit.appointment(
        {
          pimsId,
          clientPimsId: r.id(f, client),
          patientPimsId: r.id(f, pet),
          date: d,
          time: t,
          durationMin: r.int(f, dur, emit, line, c.name(dur), 0, MAX_DURATION_MIN),
          reason: r.text(f, reason),
          doctor: r.text(f, doctor),
          // AVImark has no status, only whether the client confirmed (Confirmed / LeftMessage / NotConfirmed).
          status: CONFIRMED.test(r.text(f, confirm) ?? '') ? 'Confirmed' : 'Scheduled',
        },
        line,
      );
    };
  },
};

export const AVIMARK: ProfileDef = {
  name: 'avimark',
  label: 'AVImark',
  description: 'AVImark extractor output: CLIENT.TXT, PET.TXT, REMINDER.TXT and APPOINT.TXT, pipe-delimited, Windows-1252.',
  layouts: [clients, patients, reminders, appointments],
};
