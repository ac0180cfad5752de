import { afterEach, describe, expect, it } from 'vitest';
import { confirmationDate } from '../../../src-main/core/appointments/timing';
import { DEFAULT_PLANNER_SETTINGS } from '../../../src-main/core/reminders/rules';
import { plannerWorld, type PlannerWorld } from './helpers';

// The clock: Tuesday 2026-12-01 07:00 in Los Angeles (15:00Z). Texts may go 09:00-20:00.

let w: PlannerWorld;
afterEach(async () => {
  await w?.cleanup();
});

const appt = (where = '1=1') => w.messages(`kind = 'appointment' AND ${where}`);

function pet(name = 'Max', client: Parameters<PlannerWorld['f']['household']>[0] = { pets: [] }) {
  const h = w.f.household({ ...client, pets: [{ name, sex: 'M' }] });
  return { clientId: h.clientId, petId: h.pets[0].id };
}

describe('appointment messages', () => {
  it('asks for confirmation two days before, in clinic local time, with C/R, and sends a day-of HERE text', async () => {
    w = await plannerWorld();
    const p = pet();
    const id = w.f.appointment({ patientId: p.petId, start: '2026-12-03T14:30', reason: 'Annual exam' });
    const s = await w.plan();
    expect(s.appointments).toMatchObject({ confirmations: 1, dayOf: 1 });
    const [confirm, dayOf] = appt();
    expect(confirm.dedupe_key).toBe(`appointment:${id}:confirm:2026-12-03T22:30:00Z:sms`);
    expect(confirm.body).toBe('Larkspur Hollow Veterinary Clinic: Max has a visit Thu Dec 3 at 2:30 PM. Reply C to confirm or R to reschedule. Reply STOP to opt out.');
    expect(confirm.not_before).toBe('2026-12-01T17:00:00.000Z'); // 09:00 local, the window's start
    expect(confirm.expires_at).toBe('2026-12-03T22:30:00.000Z');
    expect(confirm.priority).toBeLessThan(3); // appointment messages outrank health reminders
    expect(dayOf.dedupe_key).toBe(`appointment:${id}:dayof:2026-12-03T22:30:00Z:sms`);
    expect(dayOf.body).toBe('Larkspur Hollow Veterinary Clinic: see you today at 2:30 PM with Max. Reply HERE when you arrive and we will call you in.');
    expect(dayOf.not_before).toBe('2026-12-03T20:30:00.000Z'); // 12:30 local
    expect(confirm.segments).toBe(1);
    expect(dayOf.segments).toBe(1);
  });

  it('asks about Monday visits on the previous Friday', async () => {
    w = await plannerWorld();
    expect(confirmationDate('2026-12-07', DEFAULT_PLANNER_SETTINGS.appointments)).toBe('2026-12-04');
    expect(confirmationDate('2026-12-09', DEFAULT_PLANNER_SETTINGS.appointments)).toBe('2026-12-07');
    const p = pet();
    w.f.appointment({ patientId: p.petId, start: '2026-12-07T10:00' });
    await w.plan();
    const [confirm] = appt("dedupe_key LIKE '%:confirm:%'");
    expect(confirm.not_before).toBe('2026-12-04T17:00:00.000Z'); // Friday 09:00
    expect(confirm.body).toContain('Mon Dec 7 at 10:00 AM');
  });

  it('sends an early visit its day-of text the evening before ("tomorrow")', async () => {
    w = await plannerWorld();
    const p = pet('Minou', { language: 'fr', pets: [] });
    w.f.appointment({ patientId: p.petId, start: '2026-12-04T08:00' });
    await w.plan();
    const [dayOf] = appt("dedupe_key LIKE '%:dayof:%'");
    expect(dayOf.not_before).toBe('2026-12-04T03:00:00.000Z'); // 19:00 the day before
    expect(dayOf.body).toBe('Larkspur Hollow Veterinary Clinic : rendez-vous demain à 8 h 00 pour Minou. Répondez HERE à votre arrivée.');
  });

  it('sends no confirmation request once confirmed, and takes back a queued one', async () => {
    w = await plannerWorld();
    const a = pet('A');
    const b = pet('B');
    w.f.appointment({ patientId: a.petId, start: '2026-12-03T10:00', status: 'Confirmed' });
    const idB = w.f.appointment({ patientId: b.petId, start: '2026-12-03T11:00' });
    const s1 = await w.plan();
    expect(s1.appointments.skipped.confirmed).toBe(1);
    expect(appt(`client_id = ${a.clientId}`).map((m) => m.dedupe_key)).toEqual([expect.stringContaining(':dayof:')]);
    expect(appt(`client_id = ${b.clientId}`)).toHaveLength(2);
    // B replies C: the inbox marks it confirmed; the queued request is withdrawn, the day-of stays.
    w.f.updateAppointment(idB, { confirmState: 'confirmed' });
    const s2 = await w.plan();
    expect(s2.appointments.withdrawn).toEqual({ 'appointment confirmed': 1 });
    expect(appt(`client_id = ${b.clientId}`).map((m) => `${m.dedupe_key.split(':')[2]}:${m.status}`)).toEqual(['confirm:withdrawn', 'dayof:queued']);
  });

  it('gives a rescheduled appointment (same id, new time) a fresh confirmation and withdraws the old messages', async () => {
    w = await plannerWorld();
    const p = pet();
    const id = w.f.appointment({ patientId: p.petId, start: '2026-12-04T10:00' });
    await w.plan();
    expect(appt().map((m) => m.status)).toEqual(['queued', 'queued']);
    w.f.updateAppointment(id, { confirmState: 'confirmed' });
    w.f.updateAppointment(id, { start: '2026-12-09T15:00' });
    w.clock.advance(3600_000);
    const s = await w.plan();
    expect(s.appointments.withdrawn).toEqual({ 'appointment rescheduled': 2 });
    expect(s.appointments.confirmations).toBe(1);
    const live = appt("status = 'queued'");
    expect(live.map((m) => m.dedupe_key)).toEqual([`appointment:${id}:confirm:2026-12-09T23:00:00Z:sms`, `appointment:${id}:dayof:2026-12-09T23:00:00Z:sms`]);
    expect(live[0].body).toContain('Wed Dec 9 at 3:00 PM');
    expect(live[0].not_before).toBe('2026-12-07T17:00:00.000Z');
    const state = w.core.db.prepare<[number], { confirm_state: string }>('SELECT confirm_state FROM appointments WHERE id = ?').get(id)!;
    expect(state.confirm_state).toBe('none');
    const again = await w.plan();
    expect(again.appointments.confirmations + again.appointments.dayOf).toBe(0);
    expect(appt()).toHaveLength(4);
  });

  it('sends nothing further for a cancelled appointment and withdraws what was queued', async () => {
    w = await plannerWorld();
    const p = pet();
    const id = w.f.appointment({ patientId: p.petId, start: '2026-12-04T10:00' });
    await w.plan();
    w.f.updateAppointment(id, { status: 'Cancelled' });
    const s = await w.plan();
    expect(s.appointments.withdrawn).toEqual({ 'appointment cancelled': 2 });
    expect(appt().map((m) => m.status)).toEqual(['withdrawn', 'withdrawn']);
    const again = await w.plan();
    expect(again.appointments.confirmations + again.appointments.dayOf).toBe(0);
    expect(appt()).toHaveLength(2);
  });

  it('sends nothing for a deceased pet\'s appointment', async () => {
    w = await plannerWorld();
    const h = w.f.household({ pets: [{ name: 'Ghost', deceased: true, dod: '2026-11-20' }] });
    w.f.appointment({ patientId: h.pets[0].id, start: '2026-12-04T10:00' });
    const s = await w.plan();
    expect(appt()).toHaveLength(0);
    expect(s.appointments.skipped['patient-deceased']).toBe(1);
  });

  it('falls back to email for the confirmation when the client cannot be texted; no day-of without SMS', async () => {
    w = await plannerWorld();
    const p = pet('Rex', { cell: null, pets: [] });
    w.f.appointment({ patientId: p.petId, start: '2026-12-04T10:00', doctor: 'Dr. Helena Marsh' });
    const s = await w.plan();
    const [m] = appt();
    expect(m.channel).toBe('email');
    expect(m.subject).toBe('Please confirm: Rex, Fri Dec 4 at 10:00 AM');
    expect(m.body).toContain('with Dr. Helena Marsh');
    expect(s.appointments.skipped['no-channel']).toBe(1);
  });

  it('states local wall time across a DST change (visit the Monday after spring-forward)', async () => {
    w = await plannerWorld({ now: '2026-03-06T15:00:00Z' }); // Friday 07:00 PST
    const p = pet();
    w.f.appointment({ patientId: p.petId, start: '2026-03-09T14:30' });
    await w.plan();
    const [confirm, dayOf] = appt();
    expect(confirm.not_before).toBe('2026-03-06T17:00:00.000Z'); // Friday 09:00 PST
    expect(confirm.body).toContain('Mon Mar 9 at 2:30 PM');
    expect(confirm.expires_at).toBe('2026-03-09T21:30:00.000Z'); // 14:30 PDT
    expect(dayOf.not_before).toBe('2026-03-09T19:30:00.000Z'); // 12:30 PDT
  });

  it('queues a late booking into the next send window and does not send a confirmation beside the day-of text', async () => {
    w = await plannerWorld({ now: '2026-12-02T05:30:00Z' }); // Tuesday 21:30 local: quiet hours
    const p = pet();
    w.f.appointment({ patientId: p.petId, start: '2026-12-02T10:00' });
    const s = await w.plan();
    expect(s.appointments.skipped['too-late']).toBe(1);
    const [dayOf] = appt();
    expect(dayOf.status).toBe('queued');
    expect(dayOf.not_before).toBe('2026-12-02T17:00:00.000Z'); // Wednesday 09:00
  });
});
