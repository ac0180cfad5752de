import { afterEach, describe, expect, it } from 'vitest';
import { plannerWorld, type PlannerWorld } from './helpers';

// asOf 2026-12-01 (a Tuesday); the clock is 07:00 in Los Angeles. With the default rule a
// service due 2026-12-05 is in its "7 days before" step (SMS), one due 2026-11-15 in
// "14 days overdue" (SMS and email), one due 2026-12-20 in "28 days before" (email).

let w: PlannerWorld;
afterEach(async () => {
  await w?.cleanup();
});

const reminderMessages = () => w.messages("kind = 'reminder'");

describe('reminder planner: suppression', () => {
  it('sends nothing for a deceased pet with open reminders, and lists them as suppressed, not due', async () => {
    w = await plannerWorld();
    const h = w.f.household({
      lastName: 'Moore',
      pets: [
        { name: 'Ghost', deceased: true, reminders: [{ code: 'RAB1', due: '2026-12-05' }, { code: 'EXAM', due: '2026-11-15' }] },
        { name: 'Shadow', dod: '2026-11-20', reminders: [{ code: 'DHPP', due: '2026-12-04' }] },
      ],
    });
    const s = await w.plan();
    expect(reminderMessages().filter((m) => m.client_id === h.clientId)).toEqual([]);
    expect(s.reminders.suppressed['patient-deceased']).toBe(3);
    expect(s.reminders.messages).toBe(0);
    const rows = await w.call('reminders.plan.suppressed', { reason: 'patient-deceased' });
    expect(rows.rows.map((r) => r.petName).sort()).toEqual(['Ghost', 'Ghost', 'Shadow']);
  });

  it('names only the living pets of a household where one pet died', async () => {
    w = await plannerWorld();
    w.f.household({
      pets: [
        { name: 'Ghost', deceased: true, reminders: [{ code: 'RAB1', due: '2026-12-05' }] },
        { name: 'Biscuit', sex: 'M', reminders: [{ code: 'RAB1', due: '2026-12-05' }] },
      ],
    });
    await w.plan();
    const [m] = reminderMessages();
    expect(m.body).toContain('Biscuit is due for Rabies');
    expect(m.body).not.toContain('Ghost');
  });

  it('treats a reminder as satisfied by a history row on or after its due date, not by the previous dose', async () => {
    w = await plannerWorld();
    const done = w.f.household({ pets: [{ name: 'Done', reminders: [{ code: 'RAB1', due: '2026-11-15', dateGiven: '2025-11-15' }] }] });
    w.f.history(done.pets[0].id, 'RAB1', '2026-11-20');
    const prior = w.f.household({ pets: [{ name: 'Prior', reminders: [{ code: 'RAB1', due: '2026-11-15', dateGiven: '2025-11-15' }] }] });
    w.f.history(prior.pets[0].id, 'RAB1', '2025-11-15');
    const flagged = w.f.household({ pets: [{ name: 'Flagged', reminders: [{ code: 'DHPP', due: '2026-12-05', satisfiedOn: '2026-11-30' }] }] });
    const s = await w.plan();
    expect(s.reminders.suppressed.satisfied).toBe(2);
    const clients = new Set(reminderMessages().map((m) => m.client_id));
    expect(clients.has(done.clientId)).toBe(false);
    expect(clients.has(flagged.clientId)).toBe(false);
    expect(clients.has(prior.clientId)).toBe(true);
    const sup = await w.call('reminders.plan.suppressed', { reason: 'satisfied' });
    expect(sup.rows.find((r) => r.petName === 'Done')?.detail).toBe('done 2026-11-20');
  });

  it('lets a booked appointment suppress the services it covers (vaccines, exam + heartworm, dental; unknown reason covers all)', async () => {
    w = await plannerWorld();
    const vacc = w.f.household({ pets: [{ name: 'Vax', reminders: [{ code: 'RAB1', due: '2026-12-05' }, { code: 'EXAM', due: '2026-12-05' }] }] });
    w.f.appointment({ patientId: vacc.pets[0].id, start: '2026-12-10T10:00', reason: 'Vaccines' });
    const exam = w.f.household({ pets: [{ name: 'Checkup', reminders: [{ code: 'HWT', due: '2026-12-05' }, { code: 'DENT', due: '2026-12-05' }] }] });
    w.f.appointment({ patientId: exam.pets[0].id, start: '2026-12-12T10:00', reason: 'Annual exam' });
    const unknown = w.f.household({ pets: [{ name: 'Mystery', reminders: [{ code: 'DENT', due: '2026-12-05' }] }] });
    w.f.appointment({ patientId: unknown.pets[0].id, start: '2026-12-14T10:00', reason: null });
    const cancelled = w.f.household({ pets: [{ name: 'Cancelled', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    w.f.appointment({ patientId: cancelled.pets[0].id, start: '2026-12-09T10:00', reason: 'Vaccines', status: 'Cancelled' });
    const sick = w.f.household({ pets: [{ name: 'Sneezy', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    w.f.appointment({ patientId: sick.pets[0].id, start: '2026-12-09T10:00', reason: 'Sick visit' });

    const s = await w.plan();
    expect(s.reminders.suppressed['appointment-booked']).toBe(3);
    const sup = await w.call('reminders.plan.suppressed', { reason: 'appointment-booked' });
    expect(sup.rows.map((r) => `${r.petName}:${r.code}`).sort()).toEqual(['Checkup:HWT', 'Mystery:DENT', 'Vax:RAB1']);
    expect(sup.rows.find((r) => r.petName === 'Vax')?.detail).toBe('Vaccines on 2026-12-10');
    const bodies = new Map(reminderMessages().map((m) => [m.client_id, m.body]));
    expect(bodies.get(vacc.clientId)).toMatch(/Vax is due for (his|her|a) wellness exam/);
    expect(bodies.get(exam.clientId)).toMatch(/dental cleaning/);
    expect(bodies.get(cancelled.clientId)).toMatch(/Cancelled is due for Rabies/);
    expect(bodies.get(sick.clientId)).toMatch(/Sneezy is due for Rabies/);
    expect(bodies.has(unknown.clientId)).toBe(false);
  });

  it('shows every other reason on the plan: inactive client or pet, suspensions with until-date, no channel, opted out', async () => {
    w = await plannerWorld();
    const due = [{ code: 'RAB1', due: '2026-12-05' }];
    w.f.household({ lastName: 'Gone', active: false, pets: [{ name: 'A', reminders: due }] });
    w.f.household({ lastName: 'Inact', pets: [{ name: 'B', active: false, reminders: due }] });
    w.f.household({ lastName: 'Until', suspendReminders: true, suspendUntil: '2027-01-15', pets: [{ name: 'C', reminders: due }] });
    const lapsed = w.f.household({ lastName: 'Lapsed', suspendReminders: true, suspendUntil: '2026-11-30', pets: [{ name: 'D', reminders: due }] });
    w.f.household({ lastName: 'PetHold', pets: [{ name: 'E', suspendReminders: true, reminders: due }] });
    w.f.household({ lastName: 'Nobody', cell: null, email: null, pets: [{ name: 'F', reminders: due }] });
    const out = w.f.household({ lastName: 'Stopped', cell: '+12065550177', email: null, pets: [{ name: 'G', reminders: due }] });
    w.core.consent.record({ address: '+12065550177', channel: 'sms', status: 'opt-out', source: 'keyword' });
    const held = w.f.household({ lastName: 'Desk', pets: [{ name: 'H', reminders: due }] });
    await w.call('reminders.hold', { clientId: held.clientId, until: '2027-02-01', reason: 'moving' });

    const s = await w.plan();
    expect(s.reminders.suppressed).toMatchObject({ 'client-inactive': 1, 'patient-inactive': 1, suspended: 3, 'no-channel': 1, 'opted-out': 1 });
    const sup = (await w.call('reminders.plan.suppressed', { limit: 100 })).rows;
    const by = (pet: string) => sup.find((r) => r.petName === pet);
    expect(by('C')).toMatchObject({ reason: 'suspended', detail: 'client, until 2027-01-15' });
    expect(by('E')).toMatchObject({ reason: 'suspended', detail: 'pet' });
    expect(by('H')).toMatchObject({ reason: 'suspended', detail: 'client hold, until 2027-02-01' });
    expect(by('F')?.detail).toMatch(/sms: no-sms-number; email: no-email/);
    expect(by('G')?.reason).toBe('opted-out');
    expect(reminderMessages().map((m) => m.client_id)).toEqual([lapsed.clientId]);
    expect(out.clientId).toBeGreaterThan(0);
  });

  it('caps health reminders at one per client per 7 days, and sends the held-back one when the cap clears', async () => {
    w = await plannerWorld();
    // Luna's exam has no step yet on 11-28 (its first step, 28 days before, is 11-29).
    const h = w.f.household({ pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }, { name: 'Luna', sex: 'F', reminders: [{ code: 'EXAM', due: '2026-12-27' }] }] });
    await w.plan({ asOf: '2026-11-28' });
    expect(reminderMessages()).toHaveLength(1);
    expect(reminderMessages()[0].body).toContain('Max');
    expect(reminderMessages()[0].body).not.toContain('Luna');
    const s = await w.plan({ asOf: '2026-12-01' });
    expect(s.reminders.suppressed['frequency-cap']).toBe(1);
    expect(reminderMessages()).toHaveLength(1);
    await w.plan({ asOf: '2026-12-05' });
    const all = reminderMessages();
    expect(all).toHaveLength(2);
    expect(all[1].channel).toBe('email');
    expect(all[1].body).toContain('Luna is due for her wellness exam');
    expect(all.every((m) => m.client_id === h.clientId)).toBe(true);
  });
});

describe('reminder planner: households, channels, languages', () => {
  it('gives a household of three pets one message naming every pet and service', async () => {
    w = await plannerWorld();
    const h = w.f.household({
      firstName: 'Ana',
      pets: [
        { name: 'Max', sex: 'M', reminders: [{ code: 'RAB1', due: '2026-12-06' }, { code: 'DHPP', due: '2026-12-06' }] },
        { name: 'Luna', sex: 'F', reminders: [{ code: 'EXAM', due: '2026-12-07' }] },
        { name: 'Bella', sex: 'F', reminders: [{ code: 'HWT', due: '2026-12-08' }] },
      ],
    });
    const s = await w.plan();
    const msgs = reminderMessages();
    expect(msgs).toHaveLength(1);
    expect(s.reminders.households).toBe(1);
    expect(msgs[0].channel).toBe('sms');
    // Each pet with its own date: a single date at the end would read as Bella's for Max's vaccines.
    expect(msgs[0].body).toContain('Max is due for Rabies and DHPP by Dec 6, Luna for her wellness exam by Dec 7, and Bella for her heartworm test by Dec 8');
    expect(msgs[0].body.startsWith('Larkspur Hollow Veterinary Clinic: ')).toBe(true);
    expect(msgs[0].body).toContain('Reply STOP to opt out.');
    expect(msgs[0].dedupe_key).toBe(`reminder:${h.pets[0].id}:DHPP:2026-12-06:before7:sms`);
    const items = w.core.db.prepare<[number], { n: number }>('SELECT COUNT(*) n FROM reminder_items WHERE message_id = ?').get(msgs[0].id)!.n;
    expect(items).toBe(4);
  });

  it('reads "Max is due for Rabies and DHPP, and Luna for her wellness exam" for two pets', async () => {
    w = await plannerWorld();
    w.f.household({ pets: [{ name: 'Max', sex: 'M', reminders: [{ code: 'RAB1', due: '2026-12-06' }, { code: 'DHPP', due: '2026-12-06' }] }, { name: 'Luna', sex: 'F', reminders: [{ code: 'EXAM', due: '2026-12-06' }] }] });
    await w.plan();
    expect(reminderMessages()[0].body).toContain('Max is due for Rabies and DHPP, and Luna for her wellness exam');
    expect(reminderMessages()[0].segments).toBe(1);
  });

  it('follows the channel order with fallback: email first 28 days before, SMS if no email, postcard if neither', async () => {
    w = await plannerWorld();
    const due = [{ code: 'RAB1', due: '2026-12-20' }];
    const mail = w.f.household({ lastName: 'Mail', pets: [{ name: 'A', reminders: due }] });
    const text = w.f.household({ lastName: 'Text', email: null, pets: [{ name: 'B', reminders: due }] });
    const post = w.f.household({ lastName: 'Post', email: null, cell: null, pets: [{ name: 'C', reminders: due }] });
    const none = w.f.household({ lastName: 'None', email: null, cell: null, address: null, pets: [{ name: 'D', reminders: due }] });
    const s = await w.plan();
    const ch = new Map(reminderMessages().map((m) => [m.client_id, m.channel]));
    expect(ch.get(mail.clientId)).toBe('email');
    expect(ch.get(text.clientId)).toBe('sms');
    expect(ch.get(post.clientId)).toBe('postcard');
    expect(ch.has(none.clientId)).toBe(false);
    expect(s.reminders.suppressed['no-channel']).toBe(1);
    const email = reminderMessages().find((m) => m.channel === 'email')!;
    expect(email.subject).toContain('A: time for a visit');
    expect(email.body).toContain('1200 Larkspur Way');
    expect(email.html).toContain('(206) 555-0100');
    const card = reminderMessages().find((m) => m.channel === 'postcard')!;
    expect(card.to_address).toContain('Seattle, WA 98103');
  });

  it('sends the 14-days-overdue step by SMS and email, counted as one household', async () => {
    w = await plannerWorld();
    w.f.household({ pets: [{ name: 'Late', reminders: [{ code: 'RAB1', due: '2026-11-15' }] }] });
    const s = await w.plan();
    expect(reminderMessages().map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    expect(s.reminders.households).toBe(1);
    expect(s.reminders.byStep.map((b) => `${b.step}/${b.channel}/${b.messages}`)).toEqual(['overdue14/sms/1', 'overdue14/email/1']);
    expect(reminderMessages()[0].body).toContain('Late is overdue for Rabies (due Nov 15)');
  });

  it('writes in the client language (fr, es) and falls back to English', async () => {
    w = await plannerWorld();
    w.f.household({ language: 'fr', pets: [{ name: 'Minou', reminders: [{ code: 'FVRCP', due: '2026-12-04' }] }] });
    w.f.household({ language: 'Spanish', pets: [{ name: 'Toby', reminders: [{ code: 'RAB3', due: '2026-12-04' }] }] });
    w.f.household({ language: 'de', pets: [{ name: 'Rex', reminders: [{ code: 'RAB3', due: '2026-12-04' }] }] });
    await w.plan();
    const bodies = reminderMessages().map((m) => m.body);
    expect(bodies).toContain('Larkspur Hollow Veterinary Clinic : rappel pour Minou (FVRCP, d\'ici le 4 déc.). RDV au (206) 555-0100. STOP pour vous désabonner.');
    expect(bodies.some((b) => b.includes('recordatorio para Toby (rabia, antes del 4 de diciembre)'))).toBe(true);
    expect(bodies.some((b) => b.includes('Rex is due for Rabies by Dec 4'))).toBe(true);
    expect(reminderMessages().every((m) => m.encoding === 'GSM-7' && m.segments === 1)).toBe(true);
  });
});

describe('reminder planner: idempotency and withdrawal', () => {
  const world = () => {
    w.f.household({ pets: [{ name: 'Max', sex: 'M', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }, { name: 'Luna', sex: 'F', reminders: [{ code: 'EXAM', due: '2026-12-20' }] }] });
    w.f.household({ email: null, pets: [{ name: 'Late', reminders: [{ code: 'DHPP', due: '2026-11-10' }] }] });
    w.f.household({ cell: null, pets: [{ name: 'Early', reminders: [{ code: 'LYME', due: '2026-12-25' }] }] });
    const appt = w.f.household({ pets: [{ name: 'Visit' }] });
    w.f.appointment({ patientId: appt.pets[0].id, start: '2026-12-03T14:30', reason: 'Recheck' });
  };
  const snapshot = () => w.messages().map((m) => `${m.dedupe_key}|${m.status}|${m.not_before}|${m.body}`);

  it('re-planning ten times gives the same outbox', async () => {
    w = await plannerWorld();
    world();
    await w.plan();
    const first = snapshot();
    // Max+Luna one SMS, Late one SMS (no email), Early one email, the visit a confirmation and a day-of text.
    expect(first).toHaveLength(5);
    for (let i = 0; i < 10; i++) {
      w.clock.advance(60_000);
      const s = await w.plan();
      expect(s.reminders.messages).toBe(0);
      expect(s.appointments.confirmations + s.appointments.dayOf).toBe(0);
    }
    expect(snapshot()).toEqual(first);
    const items = w.core.db.prepare<[], { n: number }>('SELECT COUNT(*) n FROM reminder_items').get()!.n;
    expect(items).toBe(4);
  });

  it('re-planning with approval pending proposes again without touching the outbox; approving queues once', async () => {
    w = await plannerWorld({ autoApprove: false });
    world();
    const s1 = await w.plan();
    expect(s1.reminders.proposed).toBe(s1.reminders.messages);
    expect(reminderMessages()).toHaveLength(0);
    const s2 = await w.plan();
    await expect(w.call('reminders.plan.approve', { runId: s1.runId! })).rejects.toThrow(/newer plan/);
    const preview = await w.call('reminders.plan.preview', { runId: s2.runId!, status: 'proposed' });
    expect(preview.total).toBe(s2.reminders.messages);
    expect(preview.rows.find((r) => r.channel === 'sms')?.segments).toBe(1);
    expect(preview.rows.find((r) => r.channel === 'email')?.subject).toContain('time for a visit');
    const r = await w.call('reminders.plan.approve', { runId: s2.runId! });
    expect(r.queued).toBe(s2.reminders.messages);
    // The screen reads the latest plan: after approval nothing is left waiting for it.
    const after = await w.call('reminders.plan.latest');
    expect(after?.reminders.proposed).toBe(0);
    expect(after?.reminders.queued).toBe(s2.reminders.queued + s2.reminders.messages);
    const s3 = await w.plan();
    expect(s3.reminders.messages).toBe(0);
    expect(s3.reminders.alreadyPlannedHouseholds).toBe(s2.reminders.households);
    expect(reminderMessages()).toHaveLength(r.queued);
  });

  it('withdraws a queued reminder when the pet dies, an appointment is booked or the client opts out, and records why', async () => {
    w = await plannerWorld();
    const dies = w.f.household({ pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }, { name: 'Luna', sex: 'F', reminders: [{ code: 'EXAM', due: '2026-12-06' }] }] });
    const books = w.f.household({ pets: [{ name: 'Booker', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    const stops = w.f.household({ cell: '+12065550188', email: null, pets: [{ name: 'Quiet', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    await w.plan();
    expect(reminderMessages().filter((m) => m.status === 'queued')).toHaveLength(3);

    w.f.updatePatient(dies.pets[0].id, { deceased: true, dod: '2026-12-01' });
    w.f.appointment({ patientId: books.pets[0].id, start: '2026-12-09T09:30', reason: 'Vaccines' });
    w.core.consent.record({ address: '+12065550188', channel: 'sms', status: 'opt-out', source: 'keyword' });
    w.clock.advance(3600_000);
    const s = await w.plan();
    expect(s.reminders.withdrawn).toEqual({ 'pet deceased': 1, 'appointment booked': 1, 'client opted out': 1 });

    const byClient = (id: number) => reminderMessages().filter((m) => m.client_id === id);
    expect(byClient(books.clientId).map((m) => m.status)).toEqual(['withdrawn']);
    expect(byClient(stops.clientId).map((m) => m.status)).toEqual(['withdrawn']);
    // The household is re-planned at once for the pet still due, without the dead one.
    const d = byClient(dies.clientId);
    expect(d.map((m) => m.status)).toEqual(['withdrawn', 'queued']);
    expect(d[1].body).toContain('Luna is due for her wellness exam');
    expect(d[1].body).not.toContain('Max');
    const ev = w.core.db
      .prepare<[number], { to_status: string; detail: string }>("SELECT to_status, detail FROM message_events WHERE message_id = ? AND to_status = 'withdrawn'")
      .get(d[0].id);
    expect(ev).toEqual({ to_status: 'withdrawn', detail: 'planner: pet deceased' });
    // And nothing more on the next run.
    const again = await w.plan();
    expect(again.reminders.messages).toBe(0);
    expect(again.reminders.withdrawn).toEqual({});
  });

  it('a dry run writes nothing', async () => {
    w = await plannerWorld();
    world();
    const s = await w.plan({ dryRun: true });
    expect(s.reminders.messages).toBeGreaterThan(0);
    expect(s.runId).toBeNull();
    expect(w.messages()).toHaveLength(0);
    expect(await w.call('reminders.plan.latest')).toBeNull();
  });
});

describe('reminder planner: after sending', () => {
  it('never repeats a delivered step, and falls back to email when the text failed', async () => {
    w = await plannerWorld();
    const ok = w.f.household({ pets: [{ name: 'Ok', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    const bad = w.f.household({ pets: [{ name: 'Bad', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    await w.plan();
    const [a, b] = reminderMessages();
    w.core.outbox.transition(a.id, 'queued', 'delivered');
    w.core.outbox.transition(b.id, 'queued', 'failed', { error_code: '30003' });
    w.clock.advance(86_400_000);
    const s = await w.plan({ asOf: '2026-12-02' });
    expect(s.reminders.alreadyPlannedHouseholds).toBe(1);
    const after = reminderMessages();
    expect(after).toHaveLength(3);
    expect(after[2]).toMatchObject({ client_id: bad.clientId, channel: 'email', status: 'queued' });
    expect(after.filter((m) => m.client_id === ok.clientId)).toHaveLength(1);
    // The planner remembers settled statuses, so later runs need not read those outbox rows again.
    const seen = w.core.db.prepare<[], { message_id: number; status: string }>('SELECT message_id, status FROM reminder_items ORDER BY message_id').all();
    expect(seen).toEqual([
      { message_id: a.id, status: 'delivered' },
      { message_id: b.id, status: 'failed' },
      { message_id: after[2].id, status: 'queued' },
    ]);
    const again = await w.plan({ asOf: '2026-12-02' });
    expect(again.reminders.messages).toBe(0);
  });
});

describe('reminder planner: a changed number on a step sent by SMS and email', () => {
  it('texts the new number once the old one\'s text is withdrawn, without mailing the household again', async () => {
    w = await plannerWorld();
    const h = w.f.household({ cell: '+12065550141', email: 'late@example.com', pets: [{ name: 'Late', reminders: [{ code: 'RAB1', due: '2026-11-15' }] }] });
    await w.plan();
    const first = reminderMessages();
    expect(first.map((m) => `${m.channel}:${m.to_address}:${m.status}`).sort()).toEqual(['email:late@example.com:queued', 'sms:+12065550141:queued']);
    // The email went out; then the PIMS has a new cell number for the household.
    w.core.outbox.transition(first.find((m) => m.channel === 'email')!.id, 'queued', 'delivered');
    w.core.db.prepare("UPDATE contact_points SET value = '+12065550199', raw = '(206) 555-0199' WHERE client_id = ? AND kind <> 'email'").run(h.clientId);
    w.clock.advance(3600_000);
    const s = await w.plan();
    expect(s.reminders.withdrawn).toEqual({ 'address changed': 1 });
    const after = reminderMessages().map((m) => `${m.channel}:${m.to_address}:${m.status}`);
    expect(after).toEqual(expect.arrayContaining(['sms:+12065550141:withdrawn', 'email:late@example.com:delivered', 'sms:+12065550199:queued']));
    expect(after).toHaveLength(3);
    // And nothing more on the next run.
    const again = await w.plan();
    expect(again.reminders.messages).toBe(0);
  });
});

describe('to_remind yardstick', () => {
  it('counts households exactly as EXPECTED.json defines to_remind, excluding each trap', async () => {
    w = await plannerWorld();
    const due = (d = '2026-12-15') => [{ code: 'RAB1', due: d }];
    const yes1 = w.f.household({ pets: [{ name: 'A', reminders: due() }] });
    const yes2 = w.f.household({ cell: null, email: null, pets: [{ name: 'B', reminders: due('2026-12-31') }, { name: 'B2', deceased: true, reminders: due() }] });
    const yes3 = w.f.household({ cell: null, pets: [{ name: 'C', reminders: due('2026-12-01') }] });
    w.f.household({ pets: [{ name: 'Dead', deceased: true, reminders: due() }] });
    w.f.household({ active: false, pets: [{ name: 'InactiveClient', reminders: due() }] });
    w.f.household({ pets: [{ name: 'InactivePet', active: false, reminders: due() }] });
    w.f.household({ pets: [{ name: 'Suspended', suspendReminders: true, reminders: due() }] });
    const booked = w.f.household({ pets: [{ name: 'Booked', reminders: due() }, { name: 'Other' }] });
    w.f.appointment({ patientId: booked.pets[1].id, start: '2026-12-20T10:00', reason: 'Sick visit' });
    // Due today and done today: satisfied (a dose before the due date would not be).
    const done = w.f.household({ pets: [{ name: 'Done', reminders: [{ code: 'EXAM', due: '2026-12-01' }] }] });
    w.f.history(done.pets[0].id, 'EXAM', '2026-12-01');
    w.f.household({ pets: [{ name: 'TooLate', reminders: due('2027-01-01') }, { name: 'TooEarly', reminders: due('2026-11-30') }] });
    const s = await w.plan({ dryRun: true });
    expect(s.toRemind.value).toBe(3);
    expect(s.toRemind.breakdown).toEqual({ reachableBySms: 1, reachableByEmailOnly: 1, notContactable: 1 });
    // The plan reaches A (28 days before) and C (7 days before); B is due in 30 days, before its first step.
    expect(s.dueNext30.toRemindNotPlanned).toEqual({ 'no step today (first step is 28 days before due)': 1 });
    expect(s.dueNext30.plannedNotToRemind).toEqual({ 'future appointment does not cover the service due': 1 });
    expect([yes1, yes2, yes3].length).toBe(3);
  });
});
