/**
 * Column mappings: any flat file where each row describes a client and, optionally, a pet, a
 * service due and an appointment. The built-in "client list" report layout is a mapping found by
 * header names; a clinic with another PIMS picks the columns in the UI (or a JSON file).
 */
import type { ColumnMapping, ImportEntity, MappingFieldKey } from '../../../contract';
import { MAPPING_FIELDS } from '../../../contract/imports';
import { ApiError } from '../../shared/errors';
import { parseSex } from '../values';
import { countryOfPostal, normalizeLanguage, normalizeRegion } from '../normalize';
import { textFingerprint } from '../run/fingerprint';
import type { PhoneIn } from '../model';
import { Columns, MAX_DURATION_MIN, normHeader, readers } from './columns';
import type { LayoutDef, ProfileDef } from './types';

/** Header names seen in real reports for each field, compared loosely (case, spaces, punctuation). */
const ALIASES: Partial<Record<MappingFieldKey, string[]>> = {
  'client.id': ['Client #', 'Client No', 'Client Number', 'Client ID', 'ClientID', 'Account', 'Account #', 'Account No', 'AccountId', 'Owner ID', 'Customer ID', 'Customer Number', 'Customer #', 'Client Code'],
  'client.fullName': ['Client Name', 'Client', 'Owner', 'Owner Name', 'Customer', 'Customer Name', 'Name (Last, First)'],
  'client.lastName': ['Last Name', 'LastName', 'Surname', 'Client Last Name', 'Owner Last Name'],
  'client.firstName': ['First Name', 'FirstName', 'Given Name', 'Client First Name', 'Owner First Name'],
  'client.salutation': ['Title', 'Salutation'],
  'client.address1': ['Address', 'Address 1', 'Address1', 'Street', 'Street Address'],
  'client.address2': ['Address 2', 'Address2', 'Unit', 'Suite'],
  'client.city': ['City', 'Town', 'Suburb'],
  'client.region': ['State', 'Province', 'State/Province', 'Region'],
  'client.postalCode': ['Zip', 'ZIP Code', 'Zip Code', 'Postal Code', 'Postcode', 'Postal'],
  'client.cellPhone': ['Mobile', 'Cell', 'Cell Phone', 'Mobile Phone', 'SMS', 'Text Number'],
  'client.homePhone': ['Home Phone', 'Home'],
  'client.workPhone': ['Work Phone', 'Work', 'Business Phone'],
  'client.phone': ['Phone', 'Phone Number', 'Telephone', 'Phone 1', 'Primary Phone'],
  'client.email': ['E-mail', 'Email', 'Email Address', 'E-mail Address'],
  'client.inactive': ['Inactive', 'Client Inactive'],
  'client.noSms': ['Do Not Text', 'No SMS', 'DoNotText'],
  'client.noEmail': ['Do Not Email', 'No Email', 'DoNotEmail'],
  'client.language': ['Language', 'Preferred Language'],
  'patient.id': ['Pet #', 'Pet No', 'Pet Number', 'Pet ID', 'PetID', 'Patient #', 'Patient ID', 'Patient Number', 'Animal ID', 'Patient No'],
  'patient.name': ['Pet Name', 'Pet', 'Patient', 'Patient Name', 'Animal', 'Animal Name'],
  'patient.species': ['Species'],
  'patient.breed': ['Breed'],
  'patient.sex': ['Sex', 'Gender'],
  'patient.dob': ['Birthdate', 'Birth Date', 'DOB', 'Date of Birth', 'Birthday'],
  'patient.dod': ['Date of Death', 'DOD', 'Deceased Date', 'Death Date'],
  'patient.deceased': ['Deceased'],
  'patient.inactive': ['Pet Inactive', 'Patient Inactive'],
  'patient.suspendReminders': ['Suspend Reminders', 'No Reminders'],
  'patient.weight': ['Weight'],
  'patient.microchip': ['Microchip', 'Chip'],
  'patient.notes': ['Notes', 'Note', 'Comments', 'Alert'],
  'reminder.id': ['Reminder ID', 'Reminder #'],
  'reminder.code': ['Service Code', 'Reminder Code', 'Code'],
  'reminder.description': ['Vaccine', 'Service', 'Reminder', 'Service Due', 'Description', 'Reminder Description'],
  'reminder.dueDate': ['Next Vaccine Due', 'Due Date', 'Due', 'Next Due', 'Reminder Due'],
  'reminder.dateGiven': ['Last Given', 'Date Given', 'Last Done'],
  'appointment.id': ['Appointment ID', 'Appt ID', 'Appointment #'],
  'appointment.start': ['Appointment', 'Start', 'Start Time', 'Appointment Date/Time', 'Date/Time'],
  'appointment.date': ['Appointment Date', 'Appt Date'],
  'appointment.time': ['Appointment Time', 'Appt Time'],
  'appointment.duration': ['Duration', 'Length', 'Minutes'],
  'appointment.reason': ['Reason', 'Appointment Reason', 'Visit Reason'],
  'appointment.doctor': ['Doctor', 'Provider', 'Vet', 'Veterinarian'],
  'appointment.status': ['Status', 'Appointment Status'],
};

/** A mapping guessed from header names: each column used once, first alias wins. */
export function suggestMapping(headers: readonly string[]): ColumnMapping {
  const byNorm = new Map<string, string>();
  for (const h of headers) if (!byNorm.has(normHeader(h))) byNorm.set(normHeader(h), h);
  const used = new Set<string>();
  const columns: ColumnMapping['columns'] = {};
  for (const field of MAPPING_FIELDS) {
    for (const alias of ALIASES[field.key] ?? []) {
      const h = byNorm.get(normHeader(alias));
      if (h && !used.has(h)) {
        columns[field.key] = h;
        used.add(h);
        break;
      }
    }
  }
  return { columns };
}

const entityOf = (k: string): ImportEntity => MAPPING_FIELDS.find((f) => f.key === k)!.entity;

/** Problems with a mapping, keyed by field, for the editor; empty when it can be used. */
export function validateMapping(m: ColumnMapping, headers?: readonly string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const cols = m.columns ?? {};
  const known = new Set<string>(MAPPING_FIELDS.map((f) => f.key));
  for (const k of Object.keys(cols)) if (!known.has(k)) errors[k] = `Unknown field "${k}".`;
  if (!cols['client.id']) errors['client.id'] = 'Choose the column with the client number: rows are matched to clients by it on every import.';
  if (!cols['client.fullName'] && !cols['client.lastName']) errors['client.lastName'] = 'Choose the client name column (either "Last, First" or the last name).';
  const wantsReminder = cols['reminder.dueDate'] || cols['reminder.code'] || cols['reminder.description'];
  if (wantsReminder && !cols['reminder.dueDate']) errors['reminder.dueDate'] = 'A service due needs its due date column.';
  if (wantsReminder && !cols['reminder.code'] && !cols['reminder.description']) errors['reminder.description'] = 'A service due needs a code or a name column.';
  if (wantsReminder && !cols['patient.id'] && !cols['patient.name']) errors['patient.name'] = 'Services due belong to a pet: choose the pet number or name column.';
  const wantsAppt = Object.keys(cols).some((k) => k.startsWith('appointment.'));
  if (wantsAppt && !cols['appointment.start'] && !cols['appointment.date']) errors['appointment.date'] = 'An appointment needs its date (or date and time) column.';
  if (m.dateOrder && m.dateOrder !== 'MDY' && m.dateOrder !== 'DMY') errors.dateOrder = 'Date order is MDY or DMY.';
  if (headers) {
    const have = new Set(headers.map(normHeader));
    for (const [k, col] of Object.entries(cols)) if (col && !have.has(normHeader(col))) errors[k] = `The file has no column "${col}".`;
  }
  return errors;
}

function splitFullName(full: string | null): { first: string | null; last: string | null } {
  if (!full) return { first: null, last: null };
  const comma = full.indexOf(',');
  if (comma >= 0) return { last: full.slice(0, comma).trim() || null, first: full.slice(comma + 1).trim() || null };
  const sp = full.lastIndexOf(' ');
  return sp > 0 ? { first: full.slice(0, sp).trim(), last: full.slice(sp + 1).trim() } : { first: null, last: full };
}

function slugCode(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]+/g, '').slice(0, 24);
}

export interface MappingLayoutOptions {
  id: string;
  profile: string;
  label: string;
  /** Built-in layouts match by headers; saved mappings only when chosen. */
  match?: LayoutDef['match'];
}

export function mappingLayout(m: ColumnMapping, o: MappingLayoutOptions): LayoutDef {
  const mapped = Object.keys(m.columns).filter((k) => m.columns[k as MappingFieldKey]);
  const entities = [...new Set(mapped.map(entityOf))];
  const full: ImportEntity[] = m.fullExport ? entities : entities.includes('reminders') ? ['reminders'] : [];
  return {
    id: o.id,
    profile: o.profile,
    label: o.label,
    kind: 'combined',
    full,
    order: 70,
    encoding: m.encoding,
    headerHints: Object.values(m.columns).filter((x): x is string => !!x),
    match: o.match ?? (() => 0),
    bind(headers, ctx) {
      const errors = validateMapping(m, headers);
      const first = Object.values(errors)[0];
      if (first) throw new ApiError('import.bad-mapping', `${o.label}: ${first}`, errors);
      const c = new Columns(headers);
      const r = readers(ctx, { order: m.dateOrder ?? 'MDY' });
      const col = (k: MappingFieldKey) => (m.columns[k] ? c.idx(m.columns[k]!) : -1);
      const ix = Object.fromEntries(MAPPING_FIELDS.map((f) => [f.key, col(f.key)])) as Record<MappingFieldKey, number>;
      const seenRows = new Map<string, number>();
      // Keyed by a hash of the row, so memory stays small on long reports.
      const hasPatient = ix['patient.id'] >= 0 || ix['patient.name'] >= 0;
      const hasReminder = ix['reminder.dueDate'] >= 0;
      const hasAppt = ix['appointment.start'] >= 0 || ix['appointment.date'] >= 0;
      return (f, line, emit) => {
        // Reports saved from Excel repeat rows; an exact repeat is reported once and skipped.
        const rowKey = textFingerprint(f.join('\x1f'));
        const firstLine = seenRows.get(rowKey);
        if (firstLine !== undefined) {
          const pid = r.id(f, ix['patient.id']);
          if (pid) emit.noteValue('duplicatePetIds', pid);
          return emit.problem(line, `Row repeats line ${firstLine} exactly; skipped`, 'warning', 'duplicate-row');
        }
        seenRows.set(rowKey, line);
        const clientPimsId = r.id(f, ix['client.id']);
        if (!clientPimsId) return emit.problem(line, 'No client number; row skipped', 'error', 'missing-id');
        const split = splitFullName(r.name(f, ix['client.fullName']));
        const { region, country } = normalizeRegion(r.text(f, ix['client.region']));
        const postalCode = r.text(f, ix['client.postalCode']);
        const phones: PhoneIn[] = [];
        const addPhone = (k: MappingFieldKey, type: string | null) => {
          const v = r.raw(f, ix[k]);
          if (v && v.trim()) phones.push({ raw: v, type });
        };
        addPhone('client.cellPhone', 'Cell');
        addPhone('client.homePhone', 'Home');
        addPhone('client.workPhone', 'Work');
        addPhone('client.phone', null);
        const email = r.raw(f, ix['client.email']);
        emit.client(
          {
            pimsId: clientPimsId,
            salutation: r.name(f, ix['client.salutation']),
            firstName: r.name(f, ix['client.firstName']) ?? split.first,
            lastName: r.name(f, ix['client.lastName']) ?? split.last,
            spouseName: null,
            address1: r.text(f, ix['client.address1']),
            address2: r.text(f, ix['client.address2']),
            city: r.text(f, ix['client.city']),
            region,
            postalCode,
            country: country ?? countryOfPostal(postalCode),
            clientType: null,
            language: normalizeLanguage(r.text(f, ix['client.language'])),
            active: !r.flag(f, ix['client.inactive'], emit, line, c.name(ix['client.inactive']), false),
            suspendReminders: false,
            suspendUntil: null,
            noSms: r.flag(f, ix['client.noSms'], emit, line, c.name(ix['client.noSms']), false, true),
            noEmail: r.flag(f, ix['client.noEmail'], emit, line, c.name(ix['client.noEmail']), false, true),
            phones,
            emails: email ? [email] : [],
          },
          line,
        );
        if (!hasPatient) return;
        const petName = r.name(f, ix['patient.name']);
        const patientPimsId = r.id(f, ix['patient.id']) ?? (petName ? `${clientPimsId}:${petName.toLowerCase()}` : null);
        if (!patientPimsId) {
          if (hasReminder && r.raw(f, ix['reminder.dueDate'])?.trim()) emit.problem(line, 'Service due without a pet; skipped', 'error', 'missing-parent');
          return;
        }
        const dead = r.strictFlag(f, ix['patient.deceased'], emit, line, c.name(ix['patient.deceased']), false, `pet ${patientPimsId}, with the service due and appointment on its row,`);
        if (dead === undefined) return;
        const sx = parseSex(r.raw(f, ix['patient.sex']));
        const dod = r.date(f, ix['patient.dod'], emit, line, m.columns['patient.dod'] ?? 'Date of death');
        const notes = r.text(f, ix['patient.notes']);
        if (notes) {
          emit.note('rowsWithNotes', line);
          if (notes.includes('\n')) emit.note('rowsWithMultilineNotes', line);
        }
        emit.patient(
          {
            pimsId: patientPimsId,
            clientPimsId,
            name: petName,
            species: r.text(f, ix['patient.species']),
            breed: r.text(f, ix['patient.breed']),
            sex: sx.sex,
            neutered: sx.neutered,
            dob: r.date(f, ix['patient.dob'], emit, line, m.columns['patient.dob'] ?? 'Birth date'),
            dod,
            weight: r.num(f, ix['patient.weight']),
            microchip: r.text(f, ix['patient.microchip']),
            deceased: dead || dod !== null,
            active: !r.flag(f, ix['patient.inactive'], emit, line, c.name(ix['patient.inactive']), false),
            suspendReminders: r.flag(f, ix['patient.suspendReminders'], emit, line, c.name(ix['patient.suspendReminders']), false, true),
            color: null,
            notes,
          },
          line,
        );
        if (hasReminder) {
          const dueRaw = r.raw(f, ix['reminder.dueDate']);
          if (dueRaw && dueRaw.trim()) {
            const dueDate = r.date(f, ix['reminder.dueDate'], emit, line, m.columns['reminder.dueDate'] ?? 'Due date');
            const description = r.text(f, ix['reminder.description']);
            const code = r.id(f, ix['reminder.code'])?.toUpperCase() ?? (description ? slugCode(description) : null);
            if (!dueDate || !code) emit.problem(line, `Service due for pet ${patientPimsId} has no ${code ? 'readable due date' : 'name or code'}; skipped`, 'error', 'missing-value');
            else {
              emit.note('rowsWithReminder', line);
              emit.reminder(
                {
                  pimsId: r.id(f, ix['reminder.id']) ?? `${patientPimsId}:${code}`,
                  patientPimsId,
                  code,
                  description,
                  dateGiven: r.date(f, ix['reminder.dateGiven'], emit, line, m.columns['reminder.dateGiven'] ?? 'Last given'),
                  dueDate,
                  suspended: false,
                },
                line,
              );
            }
          }
        }
        if (hasAppt) {
          const dt = ix['appointment.start'] >= 0 ? r.dateTime(f, ix['appointment.start']) : null;
          const date = dt?.date ?? r.date(f, ix['appointment.date'], emit, line, m.columns['appointment.date'] ?? 'Appointment date');
          if (!date) return;
          const time = dt?.time ?? r.time(f, ix['appointment.time'], true);
          if (!time) return emit.problem(line, 'Appointment without a readable time; skipped', 'error', 'bad-date');
          emit.appointment(
            {
              pimsId: r.id(f, ix['appointment.id']) ?? `${patientPimsId}:${date}T${time}`,
              clientPimsId,
              patientPimsId,
              date,
              time,
              durationMin: r.int(f, ix['appointment.duration'], emit, line, c.name(ix['appointment.duration']), 0, MAX_DURATION_MIN),
              reason: r.text(f, ix['appointment.reason']),
              doctor: r.text(f, ix['appointment.doctor']),
              status: r.text(f, ix['appointment.status']) ?? 'Scheduled',
            },
            line,
          );
        }
      };
    },
  };
}

/**
 * "Client list" reports (a PIMS report saved from Excel): one row per pet with its owner, a
 * title line above the header, Excel serial dates. Recognised when its header names map to a
 * client number and name, a pet number and name, and a phone.
 */
function clientListLayout(): LayoutDef {
  const probe = (headers: readonly string[]) => suggestMapping(headers);
  const base: LayoutDef = {
    id: 'client-list',
    profile: 'client-list',
    label: 'Client list report (one row per pet)',
    kind: 'combined',
    full: ['reminders'],
    order: 70,
    headerHints: ['Client #', 'Client Name', 'Phone', 'Mobile', 'E-mail', 'Pet #', 'Pet Name', 'Species', 'Breed', 'Sex', 'Birthdate', 'Next Vaccine Due', 'Vaccine', 'Notes'],
    match(headers) {
      const c = probe(headers).columns;
      const ok = c['client.id'] && (c['client.fullName'] || c['client.lastName']) && c['patient.id'] && c['patient.name'] && (c['client.phone'] || c['client.cellPhone'] || c['client.homePhone']);
      return ok ? 0.5 : 0;
    },
    bind(headers, ctx) {
      return mappingLayout(probe(headers), { id: 'client-list', profile: 'client-list', label: 'Client list report' }).bind(headers, ctx);
    },
  };
  return base;
}

export const CLIENT_LIST: ProfileDef = {
  name: 'client-list',
  label: 'Client list report',
  description: 'A flat report with one row per pet and its owner (client number and name, phones, email, pet number and name, next service due), e.g. saved from Excel.',
  layouts: [clientListLayout()],
};

