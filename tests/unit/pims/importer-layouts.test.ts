import { describe, expect, it } from 'vitest';
import { detectLayout, suggestMapping, validateMapping } from '../../../src-main/core/pims/layouts';
import { AVIMARK_HEADERS, CLIENT_LIST_HEADER, OPENVPMS_HEADER, PULSE_HEADERS } from '../../integration/import/fixtures';

describe('layout detection from headers', () => {
  it('tells the six Pulse files apart', () => {
    expect(detectLayout(PULSE_HEADERS.clients, 'Client.csv')?.id).toBe('pulse.clients');
    expect(detectLayout(PULSE_HEADERS.patients, 'Patient.csv')?.id).toBe('pulse.patients');
    expect(detectLayout(PULSE_HEADERS.reminders, 'Reminders.csv')?.id).toBe('pulse.reminders');
    expect(detectLayout(PULSE_HEADERS.codes, 'RemCodes.csv')?.id).toBe('pulse.reminder-codes');
    expect(detectLayout(PULSE_HEADERS.history, 'History.csv')?.id).toBe('pulse.history');
    expect(detectLayout(PULSE_HEADERS.appointments, 'Appointments.csv')?.id).toBe('pulse.appointments');
  });

  it('recognises files by their headers whatever they are called, with case and spacing loose', () => {
    expect(detectLayout(PULSE_HEADERS.clients.map((h) => h.toUpperCase()), 'export1.csv')?.id).toBe('pulse.clients');
    expect(detectLayout(OPENVPMS_HEADER, 'anything.txt')?.id).toBe('openvpms.reminders');
    expect(detectLayout(CLIENT_LIST_HEADER, 'report.csv')?.id).toBe('client-list');
  });

  it('recognises the AVImark files, with or without table prefixes', () => {
    expect(detectLayout(AVIMARK_HEADERS.client, 'CLIENT.TXT')?.id).toBe('avimark.clients');
    expect(detectLayout(AVIMARK_HEADERS.pet, 'PET.TXT')?.id).toBe('avimark.patients');
    expect(detectLayout(AVIMARK_HEADERS.reminder, 'REMINDER.TXT')?.id).toBe('avimark.reminders');
    expect(detectLayout(AVIMARK_HEADERS.appoint, 'APPOINT.TXT')?.id).toBe('avimark.appointments');
    const prefixed = AVIMARK_HEADERS.client.map((h) => (h === 'STATUS' ? 'CLIENTCODE_STATUS' : h));
    expect(detectLayout(prefixed, 'CLIENT.TXT')?.id).toBe('avimark.clients');
  });

  it('returns null for a layout it does not know', () => {
    expect(detectLayout(['Kundennr', 'Nom', 'Prénom', 'Téléphone'], 'x.csv')).toBeNull();
    expect(detectLayout(['Clinic Client List', 'Printed 12/01/2026'], 'x.csv')).toBeNull();
  });
});

describe('column mappings', () => {
  it('guesses a mapping from common report headers', () => {
    expect(suggestMapping(CLIENT_LIST_HEADER).columns).toEqual({
      'client.id': 'Client #',
      'client.fullName': 'Client Name',
      'client.cellPhone': 'Mobile',
      'client.phone': 'Phone',
      'client.email': 'E-mail',
      'patient.id': 'Pet #',
      'patient.name': 'Pet Name',
      'patient.species': 'Species',
      'patient.breed': 'Breed',
      'patient.sex': 'Sex',
      'patient.dob': 'Birthdate',
      'patient.notes': 'Notes',
      'reminder.description': 'Vaccine',
      'reminder.dueDate': 'Next Vaccine Due',
    });
  });

  it('says what is missing, field by field', () => {
    expect(validateMapping({ columns: {} })).toMatchObject({ 'client.id': expect.any(String), 'client.lastName': expect.any(String) });
    expect(validateMapping({ columns: { 'client.id': 'A', 'client.fullName': 'B', 'reminder.description': 'C' } })).toMatchObject({
      'reminder.dueDate': expect.any(String),
      'patient.name': expect.any(String),
    });
    expect(validateMapping({ columns: { 'client.id': 'A', 'client.lastName': 'B' } }, ['A'])).toEqual({ 'client.lastName': 'The file has no column "B".' });
    expect(validateMapping({ columns: { 'client.id': 'Client #', 'client.fullName': 'Client Name' } }, CLIENT_LIST_HEADER)).toEqual({});
  });
});
