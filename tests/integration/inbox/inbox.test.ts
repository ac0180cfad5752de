import { afterEach, describe, expect, it } from 'vitest';
import { inboxRig, pims, type InboxRig } from './fixture';

let rig: InboxRig;
afterEach(async () => {
  await rig?.cleanup();
});
const q = (sql: string, ...args: unknown[]) => rig.core.db.prepare(sql).all(...args) as any[];

async function household(first: string, last: string, phone: string, pets: string[]) {
  const p = pims(rig.core.db);
  const id = p.client({ first, last, phones: [{ value: phone }] });
  for (const n of pets) p.pet(id, n);
  return id;
}

describe('conversation list', () => {
  it('puts unread first, then newest, with filters for unread, mine, ambiguous and unknown', async () => {
    rig = await inboxRig();
    await household('Dana', 'Whitfield', '+12065550123', ['Rex']);
    await household('Luis', 'Ortega', '+12065550124', ['Mochi']);
    await rig.receive('+12065550123', 'first');
    rig.clock.advance(60_000);
    await rig.receive('+12065550124', 'second');
    rig.clock.advance(60_000);
    await rig.receive('+12065550199', 'from a stranger');
    let list = await rig.call('inbox.list', {});
    expect(list.items.map((i: any) => i.lastPreview)).toEqual(['from a stranger', 'second', 'first']);
    await rig.call('inbox.markRead', { conversationId: list.items[0].id });
    list = await rig.call('inbox.list', {});
    expect(list.items.map((i: any) => i.lastPreview)).toEqual(['second', 'first', 'from a stranger']);
    expect((await rig.call('inbox.list', { filter: 'unread' })).total).toBe(2);
    expect((await rig.call('inbox.list', { filter: 'unknown' })).items.map((i: any) => i.lastPreview)).toEqual(['from a stranger']);

    const dana = list.items.find((i: any) => i.clientName === 'Dana Whitfield');
    await rig.call('inbox.assign', { conversationId: dana.id, staff: 'Ana', by: 'Ana' });
    expect((await rig.call('inbox.list', { filter: 'mine', me: 'Ana' })).items.map((i: any) => i.id)).toEqual([dana.id]);
    expect((await rig.call('inbox.list', { filter: 'mine', me: 'Ben' })).total).toBe(0);

    await rig.call('inbox.close', { conversationId: dana.id, by: 'Ana' });
    expect((await rig.call('inbox.list', {})).items.map((i: any) => i.id)).not.toContain(dana.id);
    expect((await rig.call('inbox.list', { filter: 'closed' })).items.map((i: any) => i.id)).toEqual([dana.id]);
    // A new text reopens it.
    rig.clock.advance(60_000);
    await rig.receive('+12065550123', 'one more thing');
    const reopened = (await rig.call('inbox.list', {})).items[0];
    expect(reopened).toMatchObject({ id: dana.id, status: 'open', unread: 1 });
    const t = await rig.call('inbox.thread', { conversationId: dana.id });
    expect(t.items.filter((i: any) => i.type === 'event').map((i: any) => i.body)).toEqual(['Assigned to Ana', 'Closed']);
  });

  it('pages through the list', async () => {
    rig = await inboxRig();
    for (let i = 0; i < 7; i++) {
      await household(`Owner${i}`, 'Test', `+1206555${String(1000 + i)}`, []);
      rig.sim.injectInbound({ from: `+1206555${String(1000 + i)}`, to: '+12065550100', body: `text ${i}`, at: new Date(rig.clock.now().getTime() + i * 1000) });
    }
    await rig.call('inbox.pollNow');
    const a = await rig.call('inbox.list', { limit: 3 });
    const b = await rig.call('inbox.list', { limit: 3, offset: 3 });
    expect(a.total).toBe(7);
    expect([...a.items, ...b.items].map((i: any) => i.lastPreview)).toEqual(['text 6', 'text 5', 'text 4', 'text 3', 'text 2', 'text 1']);
  });
});

describe('search (FTS5)', () => {
  it('finds conversations by name, pet, number and message text, including closed ones', async () => {
    rig = await inboxRig();
    await household('Dana', 'Côté', '+12065550123', ['Rex', 'Bella']);
    await household('Luis', 'Ortega', '+12065550124', ['Mochi']);
    await rig.receive('+12065550123', 'Bella has been scratching her ears');
    await rig.receive('+12065550124', 'Can we book a dental?');
    const ids = async (q: string) => (await rig.call('inbox.list', { q })).items.map((i: any) => i.clientName);
    expect(await ids('cote')).toEqual(['Dana Côté']);
    expect(await ids('moch')).toEqual(['Luis Ortega']);
    expect(await ids('scratch')).toEqual(['Dana Côté']);
    expect(await ids('555-0124')).toEqual(['Luis Ortega']);
    expect(await ids('(206) 555-0123')).toEqual(['Dana Côté']);
    expect(await ids('0124')).toEqual(['Luis Ortega']);
    expect(await ids('dana rex')).toEqual(['Dana Côté']);
    expect(await ids('dana mochi')).toEqual([]);
    expect(await ids('"')).toEqual([]);
    const luis = (await rig.call('inbox.list', { q: 'ortega' })).items[0];
    await rig.call('inbox.close', { conversationId: luis.id });
    expect(await ids('dental')).toEqual(['Luis Ortega']);
    await rig.call('inbox.addNote', { conversationId: luis.id, body: 'Prefers mornings' });
    expect(await ids('mornings')).toEqual(['Luis Ortega']);
  });
});

describe('replies', () => {
  it('queues a staff reply through the outbox as kind reply, once per request id', async () => {
    rig = await inboxRig();
    await household('Dana', 'Whitfield', '+12065550123', ['Rex']);
    await rig.receive('+12065550123', 'Is Rex due?');
    const first = await rig.call('inbox.send', { conversationId: 1, body: 'Hi {{client.firstName}}, yes: {{pet.name}} is due. Call {{clinic.phone}}.', requestId: 'draft-1', staff: 'Ana' });
    const again = await rig.call('inbox.send', { conversationId: 1, body: 'Hi {{client.firstName}}, yes: {{pet.name}} is due. Call {{clinic.phone}}.', requestId: 'draft-1', staff: 'Ana' });
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, messageId: first.messageId });
    const rows = q("SELECT kind, priority, to_address, body, conversation_id, client_id, created_by, status FROM messages WHERE kind = 'reply'");
    expect(rows).toEqual([
      { kind: 'reply', priority: 1, to_address: '+12065550123', body: 'Hi Dana, yes: Rex is due. Call (206) 555-0100.', conversation_id: 1, client_id: 1, created_by: 'staff:Ana', status: 'queued' },
    ]);
    const t = await rig.call('inbox.thread', { conversationId: 1 });
    expect(t.conversation.unread).toBe(0);
    expect(t.items.at(-1)).toMatchObject({ type: 'outbound', status: 'queued', body: 'Hi Dana, yes: Rex is due. Call (206) 555-0100.' });
  });

  it('asks before sending in quiet hours: wait queues for the morning, override sends now with the flag', async () => {
    // 20:30 in Seattle: after quiet hours (09-20), before the legal 21:00.
    rig = await inboxRig('2026-12-09T04:30:00Z');
    await household('Dana', 'Whitfield', '+12065550123', ['Rex']);
    await rig.receive('+12065550123', 'Rex ate a sock!!');
    const err = await rig.call('inbox.send', { conversationId: 1, body: 'Call us now please', requestId: 'a' }).catch((e) => e);
    expect(err.code).toBe('quiet-hours');
    expect(err.fields.nextSendAt).toBe('2026-12-09T17:00:00.000Z');
    const waited = await rig.call('inbox.send', { conversationId: 1, body: 'Call us in the morning', requestId: 'b', quietHours: 'wait' });
    expect(waited.notBefore).toBe('2026-12-09T17:00:00.000Z');
    const now = await rig.call('inbox.send', { conversationId: 1, body: 'Call us now please', requestId: 'c', quietHours: 'override' });
    expect(now.notBefore).toBe(rig.clock.now().toISOString());
    const meta = JSON.parse(q('SELECT meta FROM messages WHERE id = ?', now.messageId)[0].meta);
    expect(meta.overrideQuietHours).toBe(true);
  });

  it('refuses merge fields without a value and over-long texts', async () => {
    rig = await inboxRig();
    await rig.receive('+12065550199', 'Hi who is this');
    await expect(rig.call('inbox.send', { conversationId: 1, body: 'Hi {{client.firstName}}', requestId: 'a' })).rejects.toMatchObject({ code: 'merge-fields' });
    await expect(rig.call('inbox.send', { conversationId: 1, body: 'x'.repeat(1601), requestId: 'b' })).rejects.toMatchObject({ code: 'sms.body' });
    const ok = await rig.call('inbox.send', { conversationId: 1, body: 'This is Larkspur Hollow Vet. How can we help?', requestId: 'c' });
    expect(ok.status).toBe('queued');
  });

  it('keeps internal notes out of the outbox', async () => {
    rig = await inboxRig();
    await household('Dana', 'Whitfield', '+12065550123', ['Rex']);
    await rig.receive('+12065550123', 'Hello');
    await rig.call('inbox.addNote', { conversationId: 1, body: 'Owner prefers calls after 5', author: 'Ana' });
    expect(q('SELECT id FROM messages')).toEqual([]);
    const t = await rig.call('inbox.thread', { conversationId: 1 });
    expect(t.items.at(-1)).toMatchObject({ type: 'note', body: 'Owner prefers calls after 5', author: 'Ana' });
  });

  it('analyses a draft: segments, UCS-2 and the one-click fix', async () => {
    rig = await inboxRig();
    await household('Dana', 'Whitfield', '+12065550123', ['Rex']);
    await rig.receive('+12065550123', 'Hello');
    const a = await rig.call('inbox.analyze', { conversationId: 1, body: 'Hi {{client.firstName}}, we’re ready — see you soon' });
    expect(a).toMatchObject({ encoding: 'UCS-2', segments: 1, fixable: 2, rendered: 'Hi Dana, we’re ready — see you soon' });
    expect(a.nonGsmChars).toEqual(['’', '—']);
    expect(a.fixed).toBe("Hi {{client.firstName}}, we're ready - see you soon");
    const b = await rig.call('inbox.analyze', { conversationId: 1, body: a.fixed });
    expect(b).toMatchObject({ encoding: 'GSM-7', segments: 1, fixable: 0 });
    const tpl = await rig.call('inbox.templates');
    const text = await rig.call('inbox.renderTemplate', { conversationId: 1, templateId: 'reply.thanks' });
    expect(text.text).toBe('Thanks, Dana! - Larkspur Hollow Veterinary Clinic');
    expect(tpl.length).toBeGreaterThan(3);
  });

  it("offers the clinic's own reply templates from the shared template store", async () => {
    rig = await inboxRig();
    await household('Dana', 'Whitfield', '+12065550123', ['Rex']);
    await rig.receive('+12065550123', 'Where do I park?');
    await rig.call('templates.save', { id: 'reply.parking', lang: 'en', channel: 'sms', kind: 'reply', label: 'Parking', body: 'Hi {{client.firstName}}, park in the back lot and text HERE.' });
    await rig.call('templates.save', { id: 'reply.thanks', lang: 'en', channel: 'sms', kind: 'reply', label: 'Thanks', body: 'Thank you {{client.firstName}}!' });
    const list = await rig.call('inbox.templates');
    expect(list.filter((t: any) => t.id === 'reply.thanks')).toEqual([{ id: 'reply.thanks', name: 'Thanks', body: 'Thank you {{client.firstName}}!' }]);
    expect(list.map((t: any) => t.name)).toContain('Parking');
    expect((await rig.call('inbox.renderTemplate', { conversationId: 1, templateId: 'reply.parking' })).text).toBe('Hi Dana, park in the back lot and text HERE.');
  });
});

describe('schedule', () => {
  it("lists the day's appointments and sends one-click messages through the outbox", async () => {
    rig = await inboxRig('2026-12-08T18:00:00Z');
    const p = pims(rig.core.db);
    const dana = p.client({ first: 'Dana', last: 'Whitfield', phones: [{ value: '+12065550123' }] });
    const rex = p.pet(dana, 'Rex');
    const landline = p.client({ first: 'Old', last: 'Phone', phones: [{ value: '+12065550155', type: 'home', smsCapable: false }] });
    const tom = p.pet(landline, 'Tom', 'Feline');
    const a = p.appointment({ clientId: dana, patientId: rex, startLocal: '2026-12-08T10:30', startUtc: '2026-12-08T18:30:00Z', confirm: 'confirmed' });
    p.appointment({ clientId: landline, patientId: tom, startLocal: '2026-12-08T11:00', startUtc: '2026-12-08T19:00:00Z', confirm: 'no-answer' });
    p.appointment({ clientId: dana, patientId: rex, startLocal: '2026-12-09T11:00', startUtc: '2026-12-09T19:00:00Z' });
    const day = await rig.call('schedule.day', {});
    expect(day.appointments.map((x: any) => [x.petName, x.confirmState, x.smsTo, x.smsBlocked])).toEqual([
      ['Rex', 'confirmed', '+12065550123', null],
      ['Tom', 'no-answer', null, 'No cell number on file'],
    ]);
    expect(day.counts).toMatchObject({ total: 2, confirmed: 1, noAnswer: 1, arrived: 0 });
    const r = await rig.call('schedule.message', { appointmentId: a, kind: 'come-in', requestId: 'k1', staff: 'Ana' });
    const row = q('SELECT body, kind, appointment_id, conversation_id FROM messages WHERE id = ?', r.messageId)[0];
    expect(row).toMatchObject({ kind: 'reply', appointment_id: a, body: 'Larkspur Hollow Veterinary Clinic: We are ready for Rex! Please come in now.' });
    const after = await rig.call('schedule.day', {});
    expect(after.appointments[0].lastMessage).toMatchObject({ kind: 'come-in', status: 'queued' });
    expect(after.appointments[0].conversationId).toBe(row.conversation_id);
    const set = await rig.call('schedule.setState', { appointmentId: a, arrived: true });
    expect(set.arrivedAt).toBe(rig.clock.now().toISOString());
    expect((await rig.call('system.status')).arrivalsToday).toBe(1);
  });
});

describe('campaign tag on a thread', () => {
  it('names the campaign whose text the owner answered, and none when the last text was not a campaign', async () => {
    rig = await inboxRig();
    const phone = '+12065550123';
    const client = await household('Dana', 'Whitfield', phone, ['Rex']);
    const now = rig.clock.now().toISOString();
    const campaign = Number(
      rig.core.db
        .prepare("INSERT INTO campaigns (name, kind, audience, delivery, content, created_at, updated_at) VALUES ('Spring dental month', 'health', '{}', 'sms', '{}', ?, ?)")
        .run(now, now).lastInsertRowid,
    );
    const p = pims(rig.core.db);
    const sent = p.sentText({ clientId: client, to: phone, at: new Date(rig.clock.now().getTime() - 3600_000).toISOString() });
    rig.core.db.prepare('UPDATE messages SET campaign_id = ? WHERE id = ?').run(campaign, sent);
    await rig.receive(phone, 'Is the discount for cats too?');
    const conv = (await rig.call('inbox.list', {})).items[0];
    expect((await rig.call('inbox.thread', { conversationId: conv.id })).campaign).toEqual({ id: campaign, name: 'Spring dental month' });

    // A reminder sent after it: the owner's next text answers that, not the campaign.
    p.sentText({ clientId: client, to: phone, at: new Date(rig.clock.now().getTime() + 60_000).toISOString() });
    rig.clock.advance(120_000);
    await rig.receive(phone, 'Thanks, booked');
    expect((await rig.call('inbox.thread', { conversationId: conv.id })).campaign).toBeUndefined();
  });
});
