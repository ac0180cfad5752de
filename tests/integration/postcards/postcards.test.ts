import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostcardBatchSummary, PostcardFile, PostcardGenerateResult, PostcardPending, ReportResult } from '../../../src-main/contract';
import type { Core } from '../../../src-main/core';
import { CHANNELS } from '../../../src-main/core/messaging/channel-state';
import { createQueueStore } from '../../../src-main/core/messaging/queue-store';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { testCore } from '../../helpers/core';
import { pimsFixture } from '../../helpers/pims-fixture';
import { CLINIC } from '../../helpers/settings-fixtures';
import { pageObjects, pdfText } from './pdf-text';

const NOW = '2026-03-10T17:00:00.000Z';

describe('postcard batches', () => {
  let t: ReturnType<typeof testCore>;
  let core: Core;
  let clock: ReturnType<typeof fixedClock>;
  const call = async <T>(method: string, arg?: unknown): Promise<T> => {
    const r = await core.invoke(method, arg);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, fields: r.error.fields });
    return r.value as T;
  };
  const ids: Record<string, number> = {};

  const postcard = (key: string, clientId: number | null, body: string, notBefore = '2026-03-10T15:00:00.000Z') => {
    const r = core.outbox.enqueue([
      { dedupeKey: `test:${key}`, channel: 'postcard', kind: 'reminder', clientId, to: 'label from the planner', body, notBefore: new Date(notBefore), createdBy: 'planner' },
    ]);
    ids[key] = r.ids[0];
  };
  const row = (id: number) => core.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Record<string, any>;

  beforeEach(() => {
    clock = fixedClock(NOW);
    t = testCore({ clock });
    core = t.core;
    core.settings.saveClinic(CLINIC);
    const f = pimsFixture(core.db);
    const reddy = f.client({ firstName: 'Priya', lastName: 'Reddy', address: { line1: '88 Alder St', city: 'Seattle', region: 'WA', postalCode: '98109' } });
    const cote = f.client({ firstName: 'Stéphanie', lastName: 'Côté', address: { line1: '12 rue Principale', line2: 'App. 3', city: 'Vancouver', region: 'BC', postalCode: 'v6b1a1' } });
    const moore = f.client({ firstName: 'Sam', lastName: 'Moore', address: { line1: '5 Pine Rd', city: 'Seattle', region: 'WA', postalCode: '98103-1234' } });
    const nguyen = f.client({ firstName: 'Linh', lastName: 'Nguyen', address: { line1: '400 Oak Ave', city: 'Renton', region: 'WA', postalCode: '98055' } });
    const noAddress = f.client({ firstName: 'Alex', lastName: 'Garcia', address: null });
    const truncated = f.client({ firstName: 'Jo', lastName: 'Okafor', address: { line1: '1 Elm St', city: 'Boston', region: 'MA', postalCode: '2108' } });
    postcard('reddy', reddy, 'Max is due for Rabies.\n\nMax: Rabies, due Feb 20\n\nCall (206) 555-0100 to book a visit.');
    postcard('cote', cote, 'Rappel pour Minou.\n\nMinou : FVRCP, pour le 1 févr.\n\nAppelez le (206) 555-0100 pour prendre rendez-vous. 🐾');
    // Far too long for a card: shrunk, then cut with an ellipsis; it never spills onto another page.
    postcard('moore', moore, 'Rex is due for his dental cleaning. ' + 'We would love to see him soon. '.repeat(80));
    postcard('nguyen', nguyen, 'Bella and Coco are due for their wellness exams.');
    postcard('no-address', noAddress, 'Luna is due.');
    postcard('truncated', truncated, 'Milo is due.');
    // Not in this batch: due tomorrow; a text (the dispatcher's).
    postcard('later', nguyen, 'Later.', '2026-03-11T16:00:00.000Z');
    core.outbox.enqueue([{ dedupeKey: 'test:sms', channel: 'sms', kind: 'reminder', clientId: reddy, to: '+12065550123', body: 'Text', notBefore: new Date(NOW), createdBy: 'planner' }]);
  });
  afterEach(() => t.cleanup());

  it('are left to the batch by the dispatcher', () => {
    expect(CHANNELS).not.toContain('postcard');
    // The drain's "remaining" counts the text only.
    expect(createQueueStore(core.db).remaining(NOW)).toBe(1);
  });

  it('prints due postcards 2 per Letter page, marks them sent in one batch, and lists those it cannot mail', async () => {
    const pending = await call<PostcardPending>('postcards.pending');
    expect(pending.ready).toBe(4);
    expect(pending.later).toBe(1);
    expect(pending.problems.map((p) => [p.messageId, p.reason])).toEqual([
      [ids['no-address'], 'no-address'],
      [ids.truncated, 'no-address'],
    ]);
    expect(pending.problems[1].detail).toMatch(/“2108” is incomplete \(a leading zero may have been lost/);
    expect(pending.problems[0]).toMatchObject({ clientName: 'Alex Garcia' });
    expect(pending.problems[0].detail).toMatch(/no street, city or postal code/);

    const r = await call<PostcardGenerateResult>('postcards.generate');
    expect(r.batch).toMatchObject({ id: '2026-03-10-1', cards: 4, pages: 2, fileName: 'postcards-2026-03-10-1.pdf', createdAt: NOW });
    expect(r.problems).toHaveLength(2);

    const file = path.join(t.dir, 'postcards', '2026-03-10-1.pdf');
    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageObjects(pdf)).toBe(2);
    const text = pdfText(pdf);
    expect(text).toContain('Larkspur Hollow Veterinary Clinic');
    expect(text).toContain('1200 Larkspur Way');
    expect(text).toContain('Tel. (206) 555-0100');
    expect(text).toContain('Priya Reddy');
    expect(text).toContain('88 Alder St');
    // Accents Windows-1252 has survive; the Canadian code is normalised, the country named; the emoji is dropped.
    expect(text).toContain('Stéphanie Côté');
    expect(text).toContain('Vancouver, BC  V6B 1A1');
    expect(text).toContain('CANADA');
    expect(text).toContain('Rabies, due Feb 20');
    expect(text).not.toContain('Alex Garcia');
    // Postal-code order: 98055, 98103-1234, 98109, then the Canadian card.
    const order = ['Linh Nguyen', 'Sam Moore', 'Priya Reddy', 'Stéphanie Côté'].map((n) => text.indexOf(n));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    for (const k of ['reddy', 'cote', 'moore', 'nguyen']) {
      expect(row(ids[k])).toMatchObject({ status: 'sent', provider_id: 'postcard:2026-03-10-1', sent_at: NOW });
    }
    expect(row(ids.reddy).to_address).toBe('Priya Reddy\n88 Alder St\nSeattle, WA  98109');
    const ev = core.db.prepare("SELECT from_status, detail FROM message_events WHERE message_id = ? AND to_status = 'sent'").all(ids.reddy);
    expect(ev).toEqual([{ from_status: 'queued', detail: 'printed in postcard batch 2026-03-10-1' }]);
    // Problems stay in the queue, waiting with the reason the Outbox shows.
    expect(row(ids['no-address'])).toMatchObject({ status: 'waiting' });
    expect(row(ids.truncated).wait_reason).toMatch(/^No postcard printed: The postal code “2108” is incomplete/);
    expect(row(ids.later).status).toBe('queued');

    // Nothing left to print: no empty batch, and the problems are not re-recorded.
    const events = () => (core.db.prepare('SELECT COUNT(*) n FROM message_events').get() as { n: number }).n;
    const before = events();
    const again = await call<PostcardGenerateResult>('postcards.generate');
    expect(again.batch).toBeNull();
    expect(again.problems).toHaveLength(2);
    expect(events()).toBe(before);

    // The report counts them as sent without a delivery report.
    const rep = await call<ReportResult>('reports.summary', { from: '2026-03-10', to: '2026-03-10', channel: 'postcard' });
    expect(rep.totals).toMatchObject({ sent: 4, awaiting: 4, delivered: 0 });
  });

  it('reproduces the same file byte for byte, also after the clinic profile or an address changed', async () => {
    const r = await call<PostcardGenerateResult>('postcards.generate');
    const file = path.join(t.dir, 'postcards', `${r.batch!.id}.pdf`);
    const first = readFileSync(file);
    const viaApi = await call<PostcardFile>('postcards.file', { id: r.batch!.id });
    expect(Buffer.from(viaApi.base64, 'base64').equals(first)).toBe(true);
    expect(viaApi).toMatchObject({ fileName: 'postcards-2026-03-10-1.pdf', pages: 2, bytes: first.length });

    core.settings.saveClinic({ ...CLINIC, name: 'Renamed Clinic', phone: '(206) 555-0199' });
    core.db.prepare("UPDATE clients SET address1 = '999 Moved Ave'").run();
    clock.advance(3 * 86_400_000);
    rmSync(file);
    const rebuilt = await call<PostcardFile>('postcards.file', { id: r.batch!.id });
    expect(existsSync(file)).toBe(true);
    expect(Buffer.from(rebuilt.base64, 'base64').equals(first)).toBe(true);
    expect(readFileSync(file).equals(first)).toBe(true);

    await expect(call('postcards.file', { id: '../../etc/passwd' })).rejects.toMatchObject({ code: 'validation' });
    await expect(call('postcards.file', { id: '2026-01-01-1' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('numbers batches per clinic-local day and lists them newest first', async () => {
    await call('postcards.generate');
    clock.set('2026-03-11T16:30:00.000Z');
    const second = await call<PostcardGenerateResult>('postcards.generate');
    expect(second.batch).toMatchObject({ id: '2026-03-11-1', cards: 1, pages: 1 });
    core.db.prepare("UPDATE clients SET postal_code = '02108' WHERE last_name = 'Okafor'").run();
    const third = await call<PostcardGenerateResult>('postcards.generate');
    expect(third.batch).toMatchObject({ id: '2026-03-11-2', cards: 1 });
    expect(third.problems.map((p) => p.reason)).toEqual(['no-address']);
    expect(pageObjects(readFileSync(path.join(t.dir, 'postcards', '2026-03-11-2.pdf')))).toBe(1);
    const list = await call<PostcardBatchSummary[]>('postcards.batches');
    expect(list.map((b) => [b.id, b.cards])).toEqual([
      ['2026-03-11-2', 1],
      ['2026-03-11-1', 1],
      ['2026-03-10-1', 4],
    ]);
  });

  it('needs the clinic profile for the return address', async () => {
    core.db.prepare("DELETE FROM settings WHERE key = 'clinic'").run();
    await expect(call('postcards.generate')).rejects.toMatchObject({ code: 'postcards.clinic' });
    expect(row(ids.reddy).status).toBe('queued');
  });
});
