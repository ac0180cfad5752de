import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportResult } from '../../../src-main/contract';
import type { Core } from '../../../src-main/core';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { csvField } from '../../../src-main/core/reports/csv';
import { parseReminderKey } from '../../../src-main/core/reports/compliance';
import { deliverySql } from '../../../src-main/core/reports/delivery';
import { testCore } from '../../helpers/core';
import { pimsFixture } from '../../helpers/pims-fixture';
import { CLINIC } from '../../helpers/settings-fixtures';
import { messages } from './messages-fixture';

// Clinic in America/Los_Angeles; DST starts on Sunday 2026-03-08 (that day is 23 hours long).
describe('reports: delivery, replies, opt-outs, cost', () => {
  let t: ReturnType<typeof testCore>;
  let core: Core;
  const call = async <T>(method: string, arg?: unknown): Promise<T> => {
    const r = await core.invoke(method, arg);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, fields: r.error.fields });
    return r.value as T;
  };

  beforeEach(() => {
    t = testCore({ clock: fixedClock('2026-03-12T18:00:00Z') });
    core = t.core;
    core.settings.saveClinic(CLINIC);
    const m = messages(core.db);
    // 2026-03-07 (PST, UTC-8): 23:59 local is still the 7th.
    m.add({ status: 'delivered', sentAt: '2026-03-07T18:00:00.000Z', segments: 2, estCost: 0.0166 });
    m.add({ status: 'delivered', sentAt: '2026-03-08T07:59:00.000Z' });
    // 2026-03-08: from 08:00Z (midnight PST) to 07:00Z next day (midnight PDT).
    m.add({ status: 'delivered', sentAt: '2026-03-08T08:00:00.000Z' });
    m.add({ status: 'undelivered', sentAt: '2026-03-08T20:00:00.000Z', finalAt: '2026-03-08T20:05:00.000Z' });
    m.add({ status: 'sent', sentAt: '2026-03-09T06:59:00.000Z' });
    // Failed without leaving (bad number): counted on the day it failed.
    m.add({ status: 'failed', sentAt: null, finalAt: '2026-03-08T21:00:00.000Z' });
    // 2026-03-09 (PDT, UTC-7).
    m.add({ status: 'delivered', sentAt: '2026-03-09T07:00:00.000Z' });
    m.add({ status: 'sent', channel: 'email', kind: 'marketing', sentAt: '2026-03-09T17:00:00.000Z' });
    // Delivered long after it was sent: counted on the day it went out.
    m.add({ status: 'delivered', sentAt: '2026-03-09T20:00:00.000Z', finalAt: '2026-03-11T10:00:00.000Z' });
    // Not in the figures: still queued, withdrawn, outside the range.
    m.add({ status: 'queued' });
    m.add({ status: 'withdrawn', finalAt: '2026-03-08T12:00:00.000Z' });
    m.add({ status: 'delivered', sentAt: '2026-03-06T07:59:00.000Z' });
    m.add({ status: 'delivered', sentAt: '2026-03-10T07:00:00.000Z' });

    const conv = Number(
      core.db
        .prepare("INSERT INTO conversations (address, match, last_message_at, created_at, updated_at) VALUES ('+12065550123', 'unknown', ?, ?, ?)")
        .run('2026-03-08T00:00:00Z', '2026-03-08T00:00:00Z', '2026-03-08T00:00:00Z').lastInsertRowid,
    );
    const inbound = core.db.prepare(
      "INSERT INTO inbound_messages (twilio_sid, conversation_id, from_address, to_address, body, received_at, created_at) VALUES (?, ?, '+12065550123', '+12065550100', 'hi', ?, ?)",
    );
    ['2026-03-07T20:00:00.000Z', '2026-03-08T19:00:00.000Z', '2026-03-08T19:30:00.000Z', '2026-03-11T19:00:00.000Z'].forEach((at, i) => inbound.run(`SM${i}`, conv, at, at));

    const consent = core.db.prepare('INSERT INTO consent_events (address, channel, purpose, status, source, at) VALUES (?, ?, ?, ?, ?, ?)');
    consent.run('+12065550123', 'sms', 'all', 'opt-out', 'keyword', '2026-03-08T19:00:00.000Z');
    consent.run('+12065550124', 'sms', 'all', 'opt-out', 'keyword', '2026-03-09T19:00:00.000Z');
    consent.run('+12065550125', 'sms', 'all', 'opt-out', 'carrier-21610', '2026-03-09T19:30:00.000Z');
    consent.run('a@example.com', 'email', 'marketing', 'opt-out', 'unsubscribe-link', '2026-03-07T19:30:00.000Z');
    consent.run('+12065550123', 'sms', 'all', 'opt-in', 'keyword', '2026-03-09T20:00:00.000Z');
    consent.run('+12065550126', 'sms', 'all', 'opt-out', 'keyword', '2026-03-10T08:00:00.000Z');
  });
  afterEach(() => t.cleanup());

  it('counts each message on its clinic-local day, across a DST change, by the status it holds now', async () => {
    const r = await call<ReportResult>('reports.summary', { from: '2026-03-07', to: '2026-03-09' });
    expect(r.timeZone).toBe('America/Los_Angeles');
    expect(r.days.map((d) => d.day)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(r.days.map((d) => d.sent)).toEqual([2, 4, 3]);
    expect(r.days[0]).toMatchObject({ delivered: 2, awaiting: 0, failed: 0, undelivered: 0, segments: 3, estCost: 0.0249 });
    expect(r.days[1]).toMatchObject({ delivered: 1, awaiting: 1, failed: 1, undelivered: 1 });
    expect(r.days[2]).toMatchObject({ delivered: 2, awaiting: 1, failed: 0, undelivered: 0 });
    expect(r.totals).toMatchObject({ sent: 9, delivered: 5, awaiting: 2, undelivered: 1, failed: 1 });
    expect(r.totals.deliveryRate).toBeCloseTo(5 / 7);
    expect(r.byChannel.map((c) => [c.channel, c.sent, c.awaiting])).toEqual([
      ['sms', 8, 1],
      ['email', 1, 1],
    ]);
    expect(r.totals.estCost).toBeCloseTo(0.0166 + 7 * 0.0083, 4);
  });

  it('counts replies and opt-outs per day, opt-outs by source, and nothing outside the range', async () => {
    const r = await call<ReportResult>('reports.summary', { from: '2026-03-07', to: '2026-03-09' });
    expect(r.days.map((d) => d.replies)).toEqual([1, 2, 0]);
    expect(r.totals.replies).toBe(3);
    expect(r.days.map((d) => d.optOuts)).toEqual([1, 1, 2]);
    expect(r.optOutsBySource).toEqual([
      { source: 'keyword', count: 2 },
      { source: 'carrier-21610', count: 1 },
      { source: 'unsubscribe-link (marketing only)', count: 1 },
    ]);
  });

  it('filters by channel and by kind', async () => {
    const email = await call<ReportResult>('reports.summary', { from: '2026-03-07', to: '2026-03-09', channel: 'email' });
    expect(email.totals).toMatchObject({ sent: 1, awaiting: 1, replies: 0, optOuts: 1 });
    const marketing = await call<ReportResult>('reports.summary', { from: '2026-03-07', to: '2026-03-09', kind: 'marketing' });
    expect(marketing.totals.sent).toBe(1);
    expect(marketing.notes.join(' ')).toMatch(/cannot be told apart by message kind/);
    const sms = await call<ReportResult>('reports.summary', { from: '2026-03-08', to: '2026-03-08', channel: 'sms' });
    expect(sms.totals).toMatchObject({ sent: 4, replies: 2, optOuts: 1 });
  });

  it('refuses a reversed or too long range with a field error', async () => {
    await expect(call('reports.summary', { from: '2026-03-09', to: '2026-03-07' })).rejects.toMatchObject({ code: 'validation', fields: { to: expect.stringMatching(/before/) } });
    await expect(call('reports.summary', { from: '2024-01-01', to: '2026-03-07' })).rejects.toMatchObject({ fields: { to: expect.stringMatching(/At most/) } });
    await expect(call('reports.summary', { from: 'yesterday', to: '2026-03-07' })).rejects.toMatchObject({ fields: { from: expect.any(String) } });
  });

  it('exports the figures as CSV', async () => {
    const r = await call<{ fileName: string; csv: string }>('reports.csv', { from: '2026-03-07', to: '2026-03-09', channel: 'sms' });
    expect(r.fileName).toBe('pawline-report-2026-03-07-to-2026-03-09-sms.csv');
    const lines = r.csv.split('\r\n');
    expect(lines[0]).toBe('Pawline report,from,2026-03-07,to,2026-03-09,channel,sms,kind,all,time zone,America/Los_Angeles');
    expect(lines).toContain('sent,8');
    expect(lines).toContain('replies,3');
    const header = lines.indexOf('day,sent,delivered,awaiting_report,undelivered,failed,replies,opt_outs,sms_segments,est_cost_usd');
    expect(lines.slice(header + 1, header + 4)).toEqual([
      '2026-03-07,2,2,0,0,0,1,0,3,0.0249',
      '2026-03-08,4,1,1,1,1,2,1,4,0.0332',
      '2026-03-09,2,2,0,0,0,0,2,2,0.0166',
    ]);
    expect(lines).toContain('keyword,2');
  });

  it('escapes CSV fields and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });

  it('finds messages through indexes, not a scan of the messages table', () => {
    const plan = core.db
      .prepare(`EXPLAIN QUERY PLAN ${deliverySql('hour')}`)
      .all({ from: '2026-03-07T08:00:00.000Z', to: '2026-03-10T07:00:00.000Z', floor: '2026-03-06T08:00:00.000Z', channel: null, kind: null }) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/messages USING INDEX messages_to_poll/);
    expect(details).toMatch(/messages USING INDEX messages_final/);
    expect(details).not.toMatch(/SCAN messages(?! USING)/);
  });
});

describe('reports: reminder compliance', () => {
  let t: ReturnType<typeof testCore>;
  let core: Core;

  beforeEach(() => {
    t = testCore({ clock: fixedClock('2026-04-15T18:00:00Z') });
    core = t.core;
    core.settings.saveClinic(CLINIC);
  });
  afterEach(() => t.cleanup());

  it('counts a reminded pet as came in (history on/after the send day), booked (covering appointment) or neither', async () => {
    const f = pimsFixture(core.db);
    const m = messages(core.db);
    const h1 = f.household({
      lastName: 'Reddy',
      pets: [
        { name: 'Max', reminders: [{ code: 'RAB1', due: '2026-03-20', category: 'vaccines' }] },
        { name: 'Luna', reminders: [{ code: 'DHPP', due: '2026-03-25', category: 'vaccines' }] },
      ],
    });
    const h2 = f.household({ lastName: 'Moore', pets: [{ name: 'Rex', reminders: [{ code: 'DENT', due: '2026-02-20', description: 'Dental cleaning' }] }] });
    const h3 = f.household({
      lastName: 'Nguyen',
      pets: [
        { name: 'Bella', reminders: [{ code: 'EXAM', due: '2026-03-15' }] },
        { name: 'Coco', reminders: [{ code: 'HWT', due: '2026-03-15' }] },
      ],
    });
    const h4 = f.household({ lastName: 'Garcia', pets: [{ name: 'Mittens', species: 'Cat', reminders: [{ code: 'FVRCP', due: '2026-02-01' }] }] });
    const [max, luna] = h1.pets;
    const [rex] = h2.pets;
    const [bella, coco] = h3.pets;
    const [mittens] = h4.pets;
    const it1 = (c: number, p: { id: number; reminders: number[] }, code: string, due: string, step: string) => ({ clientId: c, patientId: p.id, reminderId: p.reminders[0], code, due, step });

    // Max: reminded 28 days before (Mar 7, email) and again 7 days before (Mar 9); vaccinated Mar 15.
    m.add({ status: 'delivered', channel: 'email', sentAt: '2026-03-07T18:00:00.000Z', items: [it1(h1.clientId, max, 'RAB1', '2026-03-20', 'before28')] });
    m.add({ status: 'delivered', sentAt: '2026-03-09T18:00:00.000Z', items: [it1(h1.clientId, max, 'RAB1', '2026-03-20', 'before7')] });
    f.history(max.id, 'RAB1', '2026-03-15');
    // Luna: reminded Mar 8 (postcard, no delivery report); a vaccine appointment booked for Mar 25.
    m.add({ status: 'sent', channel: 'postcard', sentAt: '2026-03-08T18:00:00.000Z', items: [it1(h1.clientId, luna, 'DHPP', '2026-03-25', 'before28')] });
    f.appointment({ patientId: luna.id, start: '2026-03-25T10:00', reason: 'Vaccines' });
    // Rex: a dental in the history before the reminder, a cancelled dental and a nail trim after: not compliant.
    m.add({ status: 'delivered', sentAt: '2026-03-09T18:00:00.000Z', items: [it1(h2.clientId, rex, 'DENT', '2026-02-20', 'overdue14')] });
    f.history(rex.id, 'DENT', '2026-03-01');
    f.appointment({ patientId: rex.id, start: '2026-03-20T10:00', reason: 'Dental', status: 'Cancelled' });
    f.appointment({ patientId: rex.id, start: '2026-03-21T10:00', reason: 'Nail trim' });
    // Nguyen household: one SMS for two pets; Bella came in the same day, Coco did not.
    m.add({
      status: 'delivered',
      sentAt: '2026-03-09T17:00:00.000Z',
      items: [it1(h3.clientId, bella, 'EXAM', '2026-03-15', 'before7'), it1(h3.clientId, coco, 'HWT', '2026-03-15', 'before7')],
    });
    f.history(bella.id, 'EXAM', '2026-03-09');
    // Mittens: a reminder without planner items, read from its dedupe key; came in later.
    m.add({ status: 'delivered', sentAt: '2026-03-09T19:00:00.000Z', dedupeKey: `reminder:${mittens.id}:FVRCP:2026-02-01:overdue14:sms` });
    f.history(mittens.id, 'FVRCP', '2026-04-02');
    // Not counted: a failed reminder, an appointment message, a reminder outside the range.
    m.add({ status: 'failed', finalAt: '2026-03-09T18:00:00.000Z', items: [it1(h2.clientId, rex, 'DENT', '2026-02-20', 'overdue14')] });
    m.add({ status: 'delivered', kind: 'appointment', sentAt: '2026-03-09T18:00:00.000Z' });
    m.add({ status: 'delivered', sentAt: '2026-03-20T18:00:00.000Z', items: [it1(h2.clientId, rex, 'DENT', '2026-02-20', 'overdue45')] });

    const r = await core.invoke('reports.summary', { from: '2026-03-07', to: '2026-03-09' });
    if (!r.ok) throw new Error(r.error.message);
    const c = (r.value as ReportResult).compliance;
    expect(c).toMatchObject({ messages: 6, messagesFollowed: 5, services: 6, cameIn: 3, booked: 1 });
    expect(c.rate).toBeCloseTo(4 / 6);
    const cat = Object.fromEntries(c.byCategory.map((x) => [x.key, [x.reminded, x.cameIn, x.booked]]));
    expect(cat).toEqual({ vaccines: [3, 2, 1], exam: [1, 1, 0], heartworm: [1, 0, 0], dental: [1, 0, 0] });
    expect(c.byCategory.find((x) => x.key === 'vaccines')?.label).toBe('Vaccines');
    // Steps in cadence order, with the rule's labels.
    expect(c.byStep.map((x) => [x.key, x.label, x.reminded, x.cameIn, x.booked])).toEqual([
      ['before28', '28 days before', 2, 1, 1],
      ['before7', '7 days before', 3, 2, 0],
      ['overdue14', '14 days overdue', 2, 1, 0],
    ]);

    // Only postcards: Luna's.
    const pc = await core.invoke('reports.summary', { from: '2026-03-07', to: '2026-03-09', channel: 'postcard' });
    if (!pc.ok) throw new Error(pc.error.message);
    expect((pc.value as ReportResult).compliance).toMatchObject({ messages: 1, services: 1, booked: 1, cameIn: 0 });
    // Another kind has no reminder compliance.
    const alerts = await core.invoke('reports.summary', { from: '2026-03-07', to: '2026-03-09', kind: 'alert' });
    if (!alerts.ok) throw new Error(alerts.error.message);
    expect((alerts.value as ReportResult).compliance.services).toBe(0);
  });

  it('reads reminder dedupe keys, including revisions', () => {
    expect(parseReminderKey('reminder:12:RAB1:2026-03-20:before7:sms')).toEqual({ patientId: 12, code: 'RAB1', due: '2026-03-20', step: 'before7' });
    expect(parseReminderKey('reminder:12:RAB1:2026-03-20:before7:sms:r2')).toEqual({ patientId: 12, code: 'RAB1', due: '2026-03-20', step: 'before7' });
    expect(parseReminderKey('appointment:5:confirm:2026-03-20T10:00:sms')).toBeNull();
  });
});
