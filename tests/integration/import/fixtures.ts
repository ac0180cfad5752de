/**
 * Small PIMS exports written by the tests themselves, each carrying the traits real exports have
 * (BOM, Windows-1252 accents, title lines, quoted newlines, Excel serial dates, extensions,
 * Canadian numbers, a cell shared by two households, a deceased pet with open reminders, a
 * reminder satisfied by a later service). Nothing here reads ../shared.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';

export type Cell = string | number | boolean | null | undefined;

/** One delimited line; strings are quoted when asked or when they must be. */
export function line(values: Cell[], o: { delimiter?: string; quoteAll?: boolean } = {}): string {
  const d = o.delimiter ?? ',';
  return values
    .map((v) => {
      if (v === null || v === undefined) return '';
      if (typeof v !== 'string') return String(v);
      const must = v.includes(d) || v.includes('"') || v.includes('\n') || v.includes('\r');
      return o.quoteAll || must ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(d);
}

export function table(header: string[], rows: Cell[][], o: { delimiter?: string; quoteAll?: boolean; eol?: string; bom?: boolean; title?: string[] } = {}): string {
  const eol = o.eol ?? '\r\n';
  const lines = [...(o.title ?? []), line(header, { delimiter: o.delimiter }), ...rows.map((r) => line(r, o))];
  return (o.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

/* ---------------- Covetrus Pulse ---------------- */

export interface PulseData {
  clients: Cell[][];
  patients: Cell[][];
  reminders: Cell[][];
  codes: Cell[][];
  history: Cell[][];
  appointments: Cell[][];
}

export const PULSE_HEADERS = {
  clients: ['AccountId', 'ClientTypeCode', 'Salutation', 'LastName', 'FirstName', 'Address1', 'Address2', 'City', 'State', 'Zip', 'Phone1AsIs', 'PhoneType1', 'Phone2AsIs', 'PhoneType2', 'Phone3AsIs', 'PhoneType3', 'Email', 'SpouseNameFirst', 'flgInactive', 'DoNotEmail', 'DoNotText', 'Language'],
  patients: ['ClientAccountId', 'AccountId', 'Name', 'SpeciesCode', 'Species', 'BreedCode', 'Breed', 'GenderVal', 'IsSpayedOrNeutered', 'DOB', 'DOD', 'Weight', 'RabiesTagNum', 'Microchip', 'flgInactive', 'flgDeceased', 'SuspendReminders'],
  reminders: ['ReminderID', 'PatientAccountId', 'Code', 'Description', 'DateGiven', 'DueDate'],
  codes: ['Code', 'Description', 'RecallDays'],
  history: ['PatientAccountId', 'Code', 'Description', 'ServiceDate'],
  appointments: ['AppointmentId', 'ClientAccountId', 'PatientAccountId', 'StartDateTime', 'DurationMinutes', 'Reason', 'Doctor', 'Status'],
};

const F = 'False';
const T = 'True';

/** A small clinic with every trait the importer must handle. */
export function pulseClinic(): PulseData {
  return {
    clients: [
      // Canadian cell (905), a home number with an extension, accents (NFD on purpose: stored NFC).
      ['1001', 'A', 'Mme', 'Côté'.normalize('NFD'), 'Stéphanie', '12 "Old" Mill Rd, Unit 4', null, 'Mississauga', 'ON', 'L5B 1M2', '(905) 555-0101', 'Cell', '206-555-0102 x12', 'Home', null, null, 'steph.cote@example.com', null, F, F, F, 'fr'],
      // These two households share one cell number, written differently.
      ['1002', 'A', 'Mr.', 'Nguyen', 'Bao', '55 Pine St', null, 'Seattle', 'WA', '98103', '226-555-0150', 'Cell', null, null, null, null, 'bao@example.org', 'Lan', F, F, F, 'en'],
      ['1003', 'A', null, 'Tremblay', 'Luc', '9 Rue Principale', null, 'Gatineau', 'QC', 'J8T 4Z1', '+1 226 555 0150', 'Cell', '819.555.0177', 'Work', null, null, 'luc@example.net ', null, F, T, F, 'fr'],
      // Inactive, opted out of texts, malformed email, cell with an extension (never texted).
      ['1004', 'S', 'Dr.', 'Okafor', 'Ada', '1 Lake Ave', null, 'Seattle', 'WA', '9810', '(206) 555-0199 ext. 5', 'Cell', null, null, null, null, 'n/a', null, T, F, T, 'en'],
      // Only home and work numbers: no SMS-capable number; placeholder name.
      ['1005', 'A', null, 'NAME NOT PROVIDED', 'Sam', '7 Elm St', null, 'Tacoma', 'WA', '98402', '253-555-0110', 'Home', '253 555 0111', 'Work', null, null, 'sam@@example.com', null, F, F, F, 'es'],
    ],
    patients: [
      ['1001', '1', 'Biscuit', 'CAN', 'Dog', 'Lab', 'Retriever, Labrador', 'MN', T, '03/23/2020', null, '61.5', null, '985112004567890', F, F, F],
      // Deceased pet whose reminders are still open in the PIMS.
      ['1001', '2', 'Mistral', 'FEL', 'Cat', 'DSH', 'Domestic Shorthair', 'FS', T, '01/02/2012', '11/14/2026', '9.1', null, null, T, T, F],
      ['1002', '3', 'Pho', 'CAN', 'Dog', 'Pug', 'Pug', 'F', F, '06/30/2021', null, '18', null, null, F, F, F],
      ['1003', '4', 'UNKNOWN', 'FEL', 'Cat', 'DSH', 'Domestic Shorthair', 'M', F, '12/01/2019', null, null, null, null, F, F, T],
      ['1004', '5', 'Rex', 'CAN', 'Dog', 'GSD', 'German Shepherd', 'MN', T, '05/05/2015', null, '80', null, null, F, F, F],
      ['1005', '6', 'Kiwi', 'CAN', 'Dog', 'Mix', 'Mixed', 'U', F, '09/09/2018', null, null, null, null, F, F, F],
    ],
    reminders: [
      ['500001', '1', 'RAB1', 'Rabies 1 Year', '11/20/2025', '11/20/2026'],
      // Satisfied: a Rabies service on 11/25/2026, after the due date.
      ['500002', '3', 'RAB1', 'Rabies 1 Year', '10/01/2025', '10/01/2026'],
      // Not satisfied: the only DHPP service is the previous dose, before the due date.
      ['500003', '3', 'DHPP', 'DHPP', '08/01/2025', '08/01/2026'],
      // The deceased cat's open reminders.
      ['500004', '2', 'FVRCP', 'FVRCP', '12/05/2025', '12/05/2026'],
      ['500005', '2', 'EXAM', 'Annual Wellness Exam', null, '12/10/2026'],
      ['500006', '5', 'HWT', 'Heartworm Test', '01/15/2026', '01/15/2027'],
      ['500007', '6', 'DENT', 'Dental Cleaning', null, '12/20/2026'],
    ],
    codes: [
      ['RAB1', 'Rabies 1 Year', 365],
      ['DHPP', 'DHPP', 365],
      ['FVRCP', 'FVRCP', 365],
      ['EXAM', 'Annual Wellness Exam', 365],
      ['HWT', 'Heartworm Test', 365],
      ['DENT', 'Dental Cleaning', 365],
    ],
    history: [
      ['3', 'RAB1', 'Rabies 1 Year', '10/01/2025'],
      ['3', 'RAB1', 'Rabies 1 Year', '11/25/2026'],
      ['3', 'DHPP', 'DHPP', '08/01/2025'],
      ['1', 'RAB1', 'Rabies 1 Year', '11/20/2025'],
    ],
    appointments: [
      // Winter: Pacific Standard Time, UTC-8.
      ['90001', '1002', '3', '12/02/2026 09:30 AM', 20, 'Vaccines', 'Dr. Helena Marsh', 'Scheduled'],
      // Summer: Pacific Daylight Time, UTC-7.
      ['90002', '1001', '1', '07/15/2026 02:30 PM', 30, 'Annual exam', 'Dr. Colin Ashby', 'Completed'],
      ['90003', '1001', '2', '11/24/2026 08:10 AM', 15, 'Dental', 'Dr. Colin Ashby', 'Cancelled'],
      ['90004', '1005', '6', '12/03/2026 01:00 PM', 15, 'Nail trim', 'Dr. Tomasz Ridley', 'Confirmed'],
    ],
  };
}

export function writePulse(dir: string, data: PulseData, o: { bom?: boolean; eol?: string } = {}): string {
  mkdirSync(dir, { recursive: true });
  const q = { quoteAll: true, eol: o.eol ?? '\r\n' };
  writeFileSync(path.join(dir, 'Client.csv'), table(PULSE_HEADERS.clients, data.clients, { ...q, bom: o.bom ?? true }));
  writeFileSync(path.join(dir, 'Patient.csv'), table(PULSE_HEADERS.patients, data.patients, q));
  writeFileSync(path.join(dir, 'Reminders.csv'), table(PULSE_HEADERS.reminders, data.reminders, q));
  writeFileSync(path.join(dir, 'RemCodes.csv'), table(PULSE_HEADERS.codes, data.codes, q));
  writeFileSync(path.join(dir, 'History.csv'), table(PULSE_HEADERS.history, data.history, q));
  writeFileSync(path.join(dir, 'Appointments.csv'), table(PULSE_HEADERS.appointments, data.appointments, q));
  return dir;
}

/* ---------------- AVImark extractor (pipe, Windows-1252, MM/DD/YY, minutes) ---------------- */

export const AVIMARK_HEADERS = {
  client: ['CLIENTCODE', 'LASTNAME', 'FIRSTNAME', 'ADDRESS', 'ADDRESS2', 'CITY', 'STATE', 'ZIP', 'AREA', 'PHONE', 'CELL', 'EMAIL', 'STATUS', 'SUSPEND_REM', 'SUSPEND_UNTIL'],
  pet: ['PETCODE', 'CLIENTCODE', 'NAME', 'SPECIES', 'BREED', 'SEX', 'COLOR', 'BIRTHDATE', 'DEATHDATE', 'SUSPENDREM', 'WEIGHT'],
  reminder: ['REMINDERCODE', 'PETCODE', 'TREATMENT', 'DESCRIPTION', 'DUEDATE', 'SUSPEND'],
  appoint: ['APPTCODE', 'CLIENTCODE', 'PETCODE', 'APPT_DATE', 'APPT_TIME', 'APPT_DURATION', 'APPT_REASON', 'APPT_DOCTOR', 'APPT_CONFIRM'],
};

export function avimarkClinic() {
  return {
    client: [
      ['C1', 'Côté', 'Stéphanie', '12 Mill Rd', '', 'Seattle', 'WA', '98103', '206', '555-0101', '(425) 555-0102', 'steph@example.com', 'A', 'N', ''],
      ['C2', 'Dvo?ák', 'Marie', '9 Oak St', 'Apt 2', 'Vancouver', 'BC', 'V5R 2N3', '604', '5550103', '', '', 'A', 'Y', '01/15/26'],
      ['C3', 'Müller', 'Jürgen', '4 Elm St', '', 'Seattle', 'WA', '98105', '206', '555-0104', '206-555-0104', 'jm@example', 'I', 'N', ''],
    ],
    pet: [
      ['P1', 'C1', 'Noël', 'Canine', 'Beagle', 'MN', 'Tricolor', '03/15/19', '', 'N', '24.5'],
      ['P2', 'C2', 'Zoé', 'Feline', 'DSH', 'FS', 'Grey', '07/04/98', '10/02/26', 'N', '9'],
      ['P3', 'C3', 'Bruno', 'Canine', 'Boxer', 'M', 'Fawn', '11/11/20', '', 'Y', '60'],
    ],
    reminder: [
      ['R1', 'P1', 'RAB1', 'Rabies 1 Year', '12/10/26', 'N'],
      ['R2', 'P2', 'FVRCP', 'FVRCP', '12/12/26', 'N'],
      ['R3', 'P3', 'DHPP', 'DHPP', '12/20/26', 'Y'],
    ],
    appoint: [
      ['A1', 'C1', 'P1', '12/02/26', '510', '20', 'Vaccines', 'HMA', 'Confirmed'],
      ['A2', 'C3', 'P3', '12/04/26', '840', '15', 'Annual exam', 'TRI', 'LeftMessage'],
    ],
  };
}

export function writeAvimark(dir: string, data = avimarkClinic()): string {
  mkdirSync(dir, { recursive: true });
  const pipe = (header: string[], rows: string[][]) => [header.join('|'), ...rows.map((r) => r.join('|'))].join('\r\n') + '\r\n';
  const enc = (s: string) => iconv.encode(s, 'windows-1252');
  writeFileSync(path.join(dir, 'CLIENT.TXT'), enc(pipe(AVIMARK_HEADERS.client, data.client)));
  writeFileSync(path.join(dir, 'PET.TXT'), enc(pipe(AVIMARK_HEADERS.pet, data.pet)));
  writeFileSync(path.join(dir, 'REMINDER.TXT'), enc(pipe(AVIMARK_HEADERS.reminder, data.reminder)));
  writeFileSync(path.join(dir, 'APPOINT.TXT'), enc(pipe(AVIMARK_HEADERS.appoint, data.appoint)));
  return dir;
}

/* ---------------- OpenVPMS reminder export ---------------- */

export const OPENVPMS_HEADER = [
  'Customer Identifier', 'Customer Title', 'Customer First Name', 'Customer Initials', 'Customer Surname', 'Company Name', 'Customer Street Address',
  'Customer Suburb', 'Customer State', 'Customer Postcode', 'Customer Phone', 'Customer SMS', 'Customer Email', 'Patient Identifier', 'Patient Name',
  'Patient Species', 'Patient Breed', 'Patient Sex', 'Patient Colour', 'Patient Date of Birth', 'Reminder Type Identifier', 'Reminder Type Name',
  'Reminder Due Date', 'Reminder Count', 'Reminder Last Sent Date', 'Patient Weight', 'Patient Weight Units', 'Patient Weight Date', 'Practice Location',
];

export function writeOpenVpms(file: string, rows: Cell[][]): string {
  mkdirSync(path.dirname(file), { recursive: true });
  // opencsv: every non-null field quoted, LF line ends.
  const out = [OPENVPMS_HEADER.map((h) => `"${h}"`).join('\t'), ...rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`)).join('\t'))].join('\n') + '\n';
  writeFileSync(file, out);
  return file;
}

export function openVpmsRows(): Cell[][] {
  const cust = ['2001', 'Mr', 'Rubén', 'R', 'Moore', null, '2428 Kestrel Ct SE\nUnit 166', 'Seattle', 'Washington', '98133', '(984) 555-0157', '(984) 555-0157', 'ruben.moore@example.com'];
  const cust2 = ['2002', null, 'Maëlle', 'M', 'Roy', null, '10 Rue Est', 'Montréal', 'Quebec', 'H2X 1Y4', '(514) 555-0108', null, 'maelle@example.ca'];
  return [
    [...cust, '11', 'Velcro', 'Feline', 'American Shorthair', 'Female', 'Grey Tabby', '2022-11-30', '1137', 'Rabies 1 Year', '2026-12-04', '3', '2026-09-20', '6', 'KILOGRAMS', '2026-07-22', 'Larkspur'],
    [...cust, '11', 'Velcro', 'Feline', 'American Shorthair', 'Female', 'Grey Tabby', '2022-11-30', '1172', 'FeLV', '2026-12-15', '1', null, '6', 'KILOGRAMS', '2026-07-22', 'Larkspur'],
    [...cust, '12', 'GIA', 'Canine', 'Chihuahua', 'Male', 'White', '2020-03-21', '1155', 'Annual Wellness Exam', '2026-11-10', '2', '2026-08-25', '9.2', 'POUNDS', '2026-10-09', 'Larkspur'],
    [...cust2, '13', 'Aguardiente', 'Feline', 'DMH', 'Unspecified', 'Orange', '2019-09-29', '1171', 'FVRCP', '2026-12-26', '0', null, '8.3', 'POUNDS', '2026-06-08', 'Larkspur'],
  ];
}

/* ---------------- A client list saved from Excel ---------------- */

export const CLIENT_LIST_HEADER = ['Client #', 'Client Name', 'Phone', 'Mobile', 'E-mail', 'Pet #', 'Pet Name', 'Species', 'Breed', 'Sex', 'Birthdate', 'Next Vaccine Due', 'Vaccine', 'Notes'];

export function clientListRows(): Cell[][] {
  return [
    ['3001', 'Abdi, Aaliyah', '', '786 555 0191', 'Aabdi@example.com', '41', 'Zimty', 'Dog', 'Poodle, Miniature', 'Spayed Female', '10/23/2016', '9/10/2026', 'Rabies 1 Year', ''],
    // Excel serial dates: 45667 = 2025-01-10.
    ['3002', 'Abdi, Adrián', '564-555-0184 ext. 80', '(847)555-0178', 'adrian@example.com', '42', 'Fern', 'Dog', 'Wheaten', 'Neutered Male', '45667', '46023', 'Leptospirosis', 'Call "Mom" first\nthen the office'],
    ['3002', 'Abdi, Adrián', '564-555-0184 ext. 80', '(847)555-0178', 'adrian@example.com', '43', 'Sylvia', 'Cat', 'British Shorthair', 'Spayed Female', '3/7/2025', '12/22/2026', 'FVRCP', ''],
    ['3003', 'Brown, Ana', '+1 705 555 0126', '1-839-555-0195', 'n/a', '44', 'Lucky', 'Dog', 'Shepherd mix', 'Neutered Male', '9/17/2025', '', '', ''],
  ];
}

export function writeClientList(file: string, rows = clientListRows()): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, table(CLIENT_LIST_HEADER, rows, { bom: true, title: ['Clinic Client List,Printed 12/01/2026', ''] }));
  return file;
}
