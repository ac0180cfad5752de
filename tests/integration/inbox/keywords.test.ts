import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboxRig, pims, type InboxRig } from './fixture';

const DANA = '+12065550123';
let rig: InboxRig;
let client: number;
let rex: number;

beforeEach(async () => {
  // Tuesday 2026-12-08, 10:00 in Seattle.
  rig = await inboxRig('2026-12-08T18:00:00Z');
  const p = pims(rig.core.db);
  client = p.client({ first: 'Dana', last: 'Whitfield', phones: [{ value: DANA }] });
  rex = p.pet(client, 'Rex');
});
afterEach(async () => {
  await rig.cleanup();
});

const q = (sql: string, ...args: unknown[]) => rig.core.db.prepare(sql).all(...args) as any[];
const one = (sql: string, ...args: unknown[]) => rig.core.db.prepare(sql).get(...args) as any;
const lastInbound = async () => (await rig.call('inbox.thread', { conversationId: 1 })).items.filter((i: any) => i.type === 'inbound').pop();
const replies = () => q("SELECT body, meta FROM messages WHERE kind = 'reply' ORDER BY id");

/** A queued reminder to Dana's number, to see opt-outs withdraw it. */
function queueReminder(key = 'rem:1') {
  rig.core.outbox.enqueue([
    { dedupeKey: key, channel: 'sms', kind: 'reminder', clientId: client, to: DANA, body: 'Rex is due for rabies', notBefore: rig.clock.now(), createdBy: 'planner' },
  ]);
}

describe('opt-out keywords', () => {
  it.each([
    ['STOP', 'STOP'],
    ['stop', 'STOP'],
    ['Stop!', 'STOP'],
    ['STOPALL', 'STOPALL'],
    ['unsubscribe', 'UNSUBSCRIBE'],
    ['End.', 'END'],
    ['  quit  ', 'QUIT'],
    ['Cancel', 'CANCEL'],
    ['REVOKE', 'REVOKE'],
    ['OptOut', 'OPTOUT'],
    ['opt-out', 'OPTOUT'],
  ])('%j opts the number out, withdraws queued texts and sends nothing back', async (text, word) => {
    queueReminder();
    await rig.receive(DANA, text);
    expect(rig.core.consent.isOptedOut(DANA, 'sms')).toBe(true);
    expect(rig.core.consent.latest(DANA, 'sms')).toMatchObject({ status: 'opt-out', source: 'keyword' });
    expect(rig.core.consent.history(DANA)[0]).toMatchObject({ detail: word, at: rig.clock.now().toISOString() });
    expect(one("SELECT status FROM messages WHERE dedupe_key = 'rem:1'").status).toBe('withdrawn');
    expect(replies()).toEqual([]);
    const m = await lastInbound();
    expect(m.intent).toBe('opt-out');
    expect(m.outcome).toMatch(/1 queued text was withdrawn/);
    const t = await rig.call('inbox.thread', { conversationId: 1 });
    expect(t.optedOut).toBe(true);
    await expect(rig.call('inbox.send', { conversationId: 1, body: 'Sorry to see you go', requestId: 'x' })).rejects.toMatchObject({ code: 'consent.opted-out' });
  });

  it.each(['START', 'unstop', 'Start.'])('%j opts the number back in', async (text) => {
    await rig.receive(DANA, 'STOP');
    rig.clock.advance(60_000);
    await rig.receive(DANA, text);
    expect(rig.core.consent.isOptedOut(DANA, 'sms')).toBe(false);
    expect((await lastInbound()).intent).toBe('opt-in');
  });

  it('YES opts back in when no confirmation is pending', async () => {
    await rig.receive(DANA, 'STOP');
    rig.clock.advance(60_000);
    await rig.receive(DANA, 'Yes');
    expect(rig.core.consent.isOptedOut(DANA, 'sms')).toBe(false);
    expect(rig.core.consent.latest(DANA, 'sms')?.source).toBe('keyword');
  });

  it.each(['HELP', 'info', 'Help?'])('%j answers with the clinic help text', async (text) => {
    await rig.receive(DANA, text);
    const r = replies();
    expect(r).toHaveLength(1);
    expect(r[0].body).toContain('Larkspur Hollow Veterinary Clinic');
    expect(r[0].body).toContain('(206) 555-0100');
    expect(r[0].body).toMatch(/Reply STOP to opt out/);
    expect(r[0].body).toMatch(/msg & data rates may apply/i);
    expect(JSON.parse(r[0].meta)).toMatchObject({ auto: 'help' });
    expect(rig.core.consent.history(DANA)).toEqual([]);
  });

  it('a sentence containing "stop" is a conversation, not an opt-out', async () => {
    queueReminder();
    await rig.receive(DANA, "Please don't stop Rex's reminders, they help!");
    expect(rig.core.consent.isOptedOut(DANA, 'sms')).toBe(false);
    expect(one("SELECT status FROM messages WHERE dedupe_key = 'rem:1'").status).toBe('queued');
    const m = await lastInbound();
    expect(m.intent).toBe('none');
    const conv = (await rig.call('inbox.list', {})).items[0];
    expect(conv.unread).toBe(1);
    expect(conv.attention).toBeNull();
  });

  it('"Stop. Thank you" is flagged to staff as a probable opt-out, and staff can confirm it', async () => {
    await rig.receive(DANA, 'Stop. Thank you');
    expect(rig.core.consent.isOptedOut(DANA, 'sms')).toBe(false);
    let conv = (await rig.call('inbox.list', {})).items[0];
    expect(conv.attention).toBe('probable-opt-out');
    expect((await lastInbound()).intent).toBe('probable-opt-out');
    conv = await rig.call('inbox.optOut', { conversationId: conv.id, by: 'Ana' });
    expect(conv.attention).toBeNull();
    expect(rig.core.consent.latest(DANA, 'sms')).toMatchObject({ status: 'opt-out', source: 'staff' });
  });
});

describe('appointment confirmations', () => {
  function pendingAppointment(startLocal: string, startUtc: string, pet = rex) {
    const id = pims(rig.core.db).appointment({ clientId: client, patientId: pet, startLocal, startUtc, confirm: 'requested' });
    // A later confirmation request the planner already queued for this appointment.
    rig.core.outbox.enqueue([
      {
        dedupeKey: `appointment:${id}:confirm-2:sms`, channel: 'sms', kind: 'appointment', appointmentId: id, clientId: client, to: DANA,
        body: 'Reply C to confirm', notBefore: new Date(rig.clock.now().getTime() + 86_400_000), createdBy: 'planner', meta: { kind: 'confirm' },
      },
    ]);
    return id;
  }

  it('a thumbs-up confirms, withdraws later requests and says which appointment', async () => {
    const a = pendingAppointment('2026-12-09T14:30', '2026-12-09T22:30:00Z');
    await rig.receive(DANA, '👍');
    expect(one('SELECT confirm_state, confirm_at FROM appointments WHERE id = ?', a)).toEqual({ confirm_state: 'confirmed', confirm_at: rig.clock.now().toISOString() });
    expect(one(`SELECT status FROM messages WHERE dedupe_key = 'appointment:${a}:confirm-2:sms'`).status).toBe('withdrawn');
    const r = replies();
    expect(r).toHaveLength(1);
    expect(r[0].body).toContain("Rex's appointment on Wed Dec 9 at 2:30 PM is confirmed");
    const m = await lastInbound();
    expect(m.intent).toBe('confirm');
    const day = await rig.call('schedule.day', { date: '2026-12-09' });
    expect(day.appointments[0].confirmState).toBe('confirmed');
    expect(day.counts.confirmed).toBe(1);
  });

  it.each(['C', 'y', 'YES', 'Confirm', 'ok', '👍🏽'])('%j confirms a pending appointment', async (text) => {
    const a = pendingAppointment('2026-12-09T14:30', '2026-12-09T22:30:00Z');
    await rig.receive(DANA, text);
    expect(one('SELECT confirm_state FROM appointments WHERE id = ?', a).confirm_state).toBe('confirmed');
  });

  it('with two pending appointments confirms the next one and names it', async () => {
    const bella = pims(rig.core.db).pet(client, 'Bella', 'Feline');
    const later = pendingAppointment('2026-12-11T09:00', '2026-12-11T17:00:00Z', bella);
    const next = pendingAppointment('2026-12-09T14:30', '2026-12-09T22:30:00Z');
    await rig.receive(DANA, 'C');
    expect(one('SELECT confirm_state FROM appointments WHERE id = ?', next).confirm_state).toBe('confirmed');
    expect(one('SELECT confirm_state FROM appointments WHERE id = ?', later).confirm_state).toBe('requested');
    expect(replies()[0].body).toMatch(/Rex's appointment on Wed Dec 9 at 2:30 PM is confirmed\. You have 1 more appointment to confirm/);
    rig.clock.advance(60_000);
    await rig.receive(DANA, 'C');
    expect(one('SELECT confirm_state FROM appointments WHERE id = ?', later).confirm_state).toBe('confirmed');
    expect(replies()[1].body).toContain("Bella's appointment on Fri Dec 11 at 9:00 AM is confirmed.");
  });

  it('finds a pending confirmation from the request message when the planner left the state alone', async () => {
    const a = pims(rig.core.db).appointment({ clientId: client, patientId: rex, startLocal: '2026-12-09T14:30', startUtc: '2026-12-09T22:30:00Z' });
    pims(rig.core.db).sentText({ clientId: client, to: DANA, at: '2026-12-07T18:00:00Z', kind: 'appointment', appointmentId: a, meta: { kind: 'confirm' } });
    await rig.receive(DANA, 'OK');
    expect(one('SELECT confirm_state FROM appointments WHERE id = ?', a).confirm_state).toBe('confirmed');
  });

  it('C without a pending confirmation goes to the inbox unhandled', async () => {
    await rig.receive(DANA, 'C');
    expect((await lastInbound()).intent).toBe('none');
    expect(replies()).toEqual([]);
    expect((await rig.call('inbox.list', { filter: 'unread' })).total).toBe(1);
  });

  it.each(['R', 'reschedule', "Sorry, can't make it tomorrow", 'I can’t make it'])('%j marks the appointment for rescheduling and raises it', async (text) => {
    const a = pendingAppointment('2026-12-09T14:30', '2026-12-09T22:30:00Z');
    await rig.receive(DANA, text);
    expect(one('SELECT confirm_state FROM appointments WHERE id = ?', a).confirm_state).toBe('reschedule');
    expect(one(`SELECT status FROM messages WHERE dedupe_key = 'appointment:${a}:confirm-2:sms'`).status).toBe('withdrawn');
    const conv = (await rig.call('inbox.list', { filter: 'unread' })).items[0];
    expect(conv.attention).toBe('reschedule');
    expect(conv.unread).toBe(1);
    expect(replies()[0].body).toMatch(/new time for Rex's appointment on Wed Dec 9/);
    expect((await rig.call('schedule.day', { date: '2026-12-09' })).counts.reschedule).toBe(1);
  });
});

describe('arrivals', () => {
  it.each(['HERE', "We're here!", 'arrived'])('%j on the day marks the client arrived', async (text) => {
    const a = pims(rig.core.db).appointment({ clientId: client, patientId: rex, startLocal: '2026-12-08T10:15', startUtc: '2026-12-08T18:15:00Z' });
    await rig.receive(DANA, text);
    expect(one('SELECT arrived_at FROM appointments WHERE id = ?', a).arrived_at).toBe(rig.clock.now().toISOString());
    expect((await lastInbound()).intent).toBe('arrived');
    const status = await rig.call('system.status');
    expect(status.arrivalsToday).toBe(1);
    const day = await rig.call('schedule.day', {});
    expect(day.date).toBe('2026-12-08');
    expect(day.appointments[0].arrivedAt).not.toBeNull();
    expect((await rig.call('inbox.list', { filter: 'unread' })).total).toBe(1);
  });

  it('HERE without an appointment today is left to staff', async () => {
    const a = pims(rig.core.db).appointment({ clientId: client, patientId: rex, startLocal: '2026-12-09T10:15', startUtc: '2026-12-09T18:15:00Z' });
    await rig.receive(DANA, 'here');
    expect(one('SELECT arrived_at FROM appointments WHERE id = ?', a).arrived_at).toBeNull();
    expect((await lastInbound()).intent).toBe('none');
  });
});
