/**
 * OpenVPMS reminder export (Reporting > Reminders > Export): one tab-separated row per reminder
 * due for sending, with its customer and patient repeated on every row. Written by opencsv:
 * every non-null field quoted, LF line ends, the street address's lines joined by a newline
 * inside the quoted field. Reminders have no id of their own: a patient has one open reminder
 * per reminder type, so (patient, type) is the key.
 */
import { parseSex } from '../values';
import { countryOfPostal, normalizeRegion, phonesFrom } from '../normalize';
import { Columns, headerScore, readers } from './columns';
import type { LayoutDef, ProfileDef } from './types';

const REQ = ['Customer Identifier', 'Patient Identifier', 'Reminder Type Identifier', 'Reminder Due Date'];
const OPT = [
  'Customer Title', 'Customer First Name', 'Customer Surname', 'Customer Street Address', 'Customer Suburb', 'Customer State', 'Customer Postcode',
  'Customer Phone', 'Customer SMS', 'Customer Email', 'Patient Name', 'Patient Species', 'Patient Breed', 'Patient Sex', 'Patient Colour',
  'Patient Date of Birth', 'Reminder Type Name', 'Reminder Count', 'Reminder Last Sent Date', 'Patient Weight', 'Patient Weight Units',
];

const LB_PER_KG = 2.2046226218;

const reminders: LayoutDef = {
  id: 'openvpms.reminders',
  profile: 'openvpms',
  label: 'OpenVPMS reminder export',
  kind: 'combined',
  full: ['reminders'],
  order: 60,
  headerHints: [...REQ, ...OPT],
  match: (h) => headerScore(h, REQ, OPT),
  bind(headers, ctx) {
    const c = new Columns(headers);
    const r = readers(ctx);
    const file = 'OpenVPMS export';
    const cust = c.require(file, 'Customer Identifier');
    const pat = c.require(file, 'Patient Identifier');
    const type = c.require(file, 'Reminder Type Identifier');
    const due = c.require(file, 'Reminder Due Date');
    const col = (n: string) => c.idx(n);
    const [title, first, surname, company, street, suburb, state, postcode, phone, sms, email] = [
      'Customer Title', 'Customer First Name', 'Customer Surname', 'Company Name', 'Customer Street Address', 'Customer Suburb', 'Customer State',
      'Customer Postcode', 'Customer Phone', 'Customer SMS', 'Customer Email',
    ].map(col);
    const [pname, species, breed, sex, colour, dob, typeName, weight, units] = [
      'Patient Name', 'Patient Species', 'Patient Breed', 'Patient Sex', 'Patient Colour', 'Patient Date of Birth', 'Reminder Type Name',
      'Patient Weight', 'Patient Weight Units',
    ].map(col);
    return (f, line, emit) => {
      const clientPimsId = r.id(f, cust);
      const patientPimsId = r.id(f, pat);
      if (!clientPimsId || !patientPimsId) return emit.problem(line, 'Row without customer or patient identifier; skipped', 'error', 'missing-id');
      const addr = r.text(f, street);
      const [address1, ...more] = addr ? addr.split('\n') : [null];
      const { region, country } = normalizeRegion(r.text(f, state));
      const postalCode = r.text(f, postcode);
      emit.client(
        {
          pimsId: clientPimsId,
          salutation: r.name(f, title),
          firstName: r.name(f, first),
          lastName: r.name(f, surname) ?? r.name(f, company),
          spouseName: null,
          address1: address1 ?? null,
          address2: more.length ? more.join(', ') : null,
          city: r.text(f, suburb),
          region,
          postalCode,
          country: country ?? countryOfPostal(postalCode),
          clientType: null,
          language: null,
          // The export lists active customers only.
          active: true,
          suspendReminders: false,
          suspendUntil: null,
          noSms: false,
          noEmail: false,
          phones: phonesFrom([r.raw(f, phone), null], [r.raw(f, sms), 'Mobile']),
          emails: email >= 0 && f[email] ? [f[email]] : [],
        },
        line,
      );
      const sx = parseSex(r.raw(f, sex));
      let w = r.num(f, weight);
      if (w !== null && /kilo|kg/i.test(r.raw(f, units) ?? '')) w = Math.round(w * LB_PER_KG * 10) / 10;
      emit.patient(
        {
          pimsId: patientPimsId,
          clientPimsId,
          name: r.name(f, pname),
          species: r.text(f, species),
          breed: r.text(f, breed),
          sex: sx.sex,
          neutered: sx.neutered,
          dob: r.date(f, dob, emit, line, 'Patient Date of Birth'),
          dod: null,
          weight: w,
          microchip: null,
          // Deceased, inactive and suspended patients are filtered out by the export itself.
          deceased: false,
          active: true,
          suspendReminders: false,
          color: r.text(f, colour),
          notes: null,
        },
        line,
      );
      const code = r.id(f, type);
      const dueDate = r.date(f, due, emit, line, 'Reminder Due Date');
      if (!code || !dueDate) return emit.problem(line, `Reminder for patient ${patientPimsId} has no ${code ? 'due date' : 'type'}; skipped`, 'error', 'missing-value');
      const description = r.text(f, typeName);
      emit.code({ code, description, recallDays: null }, line);
      emit.reminder({ pimsId: `${patientPimsId}:${code}`, patientPimsId, code, description, dateGiven: null, dueDate, suspended: false }, line);
    };
  },
};

export const OPENVPMS: ProfileDef = {
  name: 'openvpms',
  label: 'OpenVPMS',
  description: 'OpenVPMS reminder export: one tab-separated file with customers, patients and the reminders due.',
  layouts: [reminders],
};
