import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/core/db/migrate';
import { MIGRATIONS } from '../../../src-main/core/db/migrations';
import { fixedClock } from '../../../src-main/core/shared/clock';
import {
  clinicContext,
  createTemplateStore,
  DEFAULT_TEMPLATES,
  formatDay,
  formatTime,
  LANGS,
  loadOptOutNotices,
  petsDatedPhrase,
  petsPhrase,
  renderTemplate,
  sampleContext,
  type DueService,
} from '../../../src-main/core/templates';
import { analyzeSms } from '../../../src-main/core/text';
import { CLINIC } from '../../helpers/settings-fixtures';

const dbs: Database.Database[] = [];
function store() {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  dbs.push(db);
  return { db, t: createTemplateStore(db, fixedClock('2026-12-01T15:00:00Z')) };
}
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

const item = (petId: number, petName: string, petSex: string, code: string, overdue = false): DueService => ({ petId, petName, petSex, code, dueDate: '2026-12-08', overdue });

describe('household phrasing', () => {
  it('names every pet and its services the way an owner reads them', () => {
    const two = [item(1, 'Max', 'M', 'RAB1'), item(1, 'Max', 'M', 'DHPP'), item(2, 'Luna', 'F', 'EXAM')];
    expect(petsPhrase(two, 'en')).toBe('Max is due for Rabies and DHPP, and Luna for her wellness exam');
    expect(petsPhrase([item(1, 'Max', 'M', 'HWT'), item(1, 'Max', 'M', 'RAB3'), item(1, 'Max', 'M', 'RAB1')], 'en')).toBe('Max is due for Rabies and his heartworm test');
    // With dates inside the sentence, no date reads as another pet's or service's.
    const at = (d: DueService, dueDate: string): DueService => ({ ...d, dueDate, overdue: dueDate < '2026-12-01' });
    const mixed = [at(item(1, 'Zimty', 'F', 'DENT'), '2026-11-23'), at(item(1, 'Zimty', 'F', 'EXAM'), '2026-12-26')];
    expect(petsDatedPhrase(mixed, 'en')).toBe('Zimty is overdue for her dental cleaning (due Nov 23); Zimty is due for her wellness exam by Dec 26');
    expect(petsDatedPhrase([at(item(1, 'Max', 'M', 'RAB1'), '2026-12-08'), at(item(2, 'Luna', 'F', 'EXAM'), '2026-12-13')], 'en')).toBe(
      'Max is due for Rabies by Dec 8, and Luna for her wellness exam by Dec 13',
    );
    expect(petsDatedPhrase(two, 'en')).toBe('Max is due for Rabies and DHPP, and Luna for her wellness exam by Dec 8');
    expect(petsDatedPhrase(mixed, 'fr')).toBe("Zimty (détartrage, depuis le 23 nov.) et Zimty (examen annuel, d'ici le 26 déc.)");
    expect(petsPhrase([item(1, 'Max', 'M', 'RAB1', true), item(2, 'Luna', 'F', 'EXAM')], 'en')).toBe('Max is overdue for Rabies; Luna is due for her wellness exam');
    expect(petsPhrase(two, 'fr')).toBe('Max (rage et DHPP) et Luna (examen annuel)');
    expect(petsPhrase(two, 'es')).toBe('Max (rabia y DHPP) y Luna (examen anual)');
    expect(petsPhrase([item(1, '', 'U', 'DENT')], 'en')).toBe('your pet is due for a dental cleaning');
  });

  it('formats dates and times without characters that would force UCS-2', () => {
    expect(formatDay('2026-12-08', 'en')).toBe('Tue Dec 8');
    expect(formatDay('2026-08-08', 'fr')).toBe('samedi 8 aout');
    expect(formatDay('2026-12-05', 'es')).toBe('5 de diciembre');
    expect(formatTime('14:30', 'en')).toBe('2:30 PM');
    expect(formatTime('00:05', 'en')).toBe('12:05 AM');
    expect(formatTime('14:30', 'fr')).toBe('14 h 30');
    for (const lang of LANGS) for (let m = 1; m <= 12; m++) for (let d = 1; d <= 7; d++) {
      expect(analyzeSms(formatDay(`2026-${String(m).padStart(2, '0')}-0${d}`, lang)).encoding).toBe('GSM-7');
    }
  });
});

describe('default templates', () => {
  it('fit one GSM-7 segment with a typical one-pet household, name the clinic and carry STOP when asked, in en, fr and es', () => {
    const { t } = store();
    const sms = DEFAULT_TEMPLATES.flatMap((d) => LANGS.map((lang) => ({ id: d.id, lang })));
    expect(sms.length).toBe(12);
    for (const { id, lang } of sms) {
      const ctx = {
        ...sampleContext(CLINIC, lang, new Date('2026-12-01T15:00:00Z')),
        pets: petsPhrase([item(1, 'Max', 'M', 'RAB1'), item(1, 'Max', 'M', 'DHPP')], lang),
        petsDated: petsDatedPhrase([item(1, 'Max', 'M', 'RAB1'), item(1, 'Max', 'M', 'DHPP')], lang),
        petNames: 'Max',
      };
      const r = t.render(id, ctx, { lang, channel: 'sms', optOut: true });
      expect(r.encoding, `${id}/${lang}: ${r.body}`).toBe('GSM-7');
      expect(r.segments, `${id}/${lang}: ${r.body} (${r.body.length})`).toBe(1);
      expect(r.body.startsWith('Larkspur Hollow Veterinary Clinic')).toBe(true);
      expect(r.body).toMatch(/STOP/);
      expect(r.body).not.toMatch(/[\u2018\u2019\u201c\u201d\u2013\u2014]/);
    }
  });

  it('render emails with a text part and an HTML part, both with the clinic address and phone', () => {
    const { t } = store();
    for (const lang of LANGS) {
      const r = t.render('reminder.upcoming', sampleContext(CLINIC, lang, new Date('2026-12-01T15:00:00Z')), { lang, channel: 'email' });
      expect(r.subject).toBeTruthy();
      expect(r.body).toContain('1200 Larkspur Way, Seattle, WA 98103');
      expect(r.body).toContain('(206) 555-0100');
      expect(r.html).toContain('name="viewport"');
      expect(r.html).toContain('href="tel:2065550100"');
      expect(r.html).toContain('<li>');
    }
  });
});

describe('template store', () => {
  it('lets a clinic edit a template per language and channel, and reset it', () => {
    const { db, t } = store();
    t.save({ id: 'appointment.dayof', lang: 'en', channel: 'sms', body: 'Hi {{client.firstName}}, text HERE when {{pet}} arrives.' });
    const ctx = { clinic: clinicContext(CLINIC), client: { firstName: 'Ana', lastName: 'R' }, pet: 'Max' };
    expect(t.render('appointment.dayof', ctx, { lang: 'en', channel: 'sms' }).body).toBe('Larkspur Hollow Veterinary Clinic: Hi Ana, text HERE when Max arrives.');
    expect(t.render('appointment.dayof', ctx, { lang: 'en', channel: 'sms', optOut: true }).body).toMatch(/arrives\. Reply STOP to opt out\.$/);
    // A second store on the same database sees the edit at once.
    const other = createTemplateStore(db, fixedClock('2026-12-01T15:00:00Z'));
    expect(other.resolve('appointment.dayof', 'en', 'sms')).toMatchObject({ custom: true });
    expect(t.list().find((x) => x.id === 'appointment.dayof')?.variants.find((v) => v.lang === 'en' && v.channel === 'sms')?.custom).toBe(true);
    t.reset('appointment.dayof', 'en', 'sms');
    expect(other.resolve('appointment.dayof', 'en', 'sms')?.custom).toBe(false);
  });

  it('keeps the clinic\'s own templates (quick replies) and falls back to English for a missing language', () => {
    const { t } = store();
    t.save({ id: 'reply.running-late', lang: 'en', channel: 'sms', body: 'No problem, see you soon!', kind: 'reply', label: 'Running late' });
    expect(t.list().find((x) => x.id === 'reply.running-late')).toMatchObject({ kind: 'reply', label: 'Running late', builtIn: false });
    expect(t.resolve('reply.running-late', 'fr', 'sms')).toMatchObject({ lang: 'en' });
    expect(t.resolve('nope', 'en', 'sms')).toBeNull();
  });

  it('refuses a template with a mustache mistake, and an email without subject', () => {
    const { t } = store();
    expect(() => t.save({ id: 'reminder.upcoming', lang: 'en', channel: 'sms', body: '{{#pets}} unclosed' })).toThrow(/mistake/);
    expect(() => t.save({ id: 'reminder.upcoming', lang: 'en', channel: 'email', body: 'Hi' })).toThrow(/subject/);
  });

  it('escapes HTML only in HTML', () => {
    expect(renderTemplate('{{x}}', { x: 'R&D <b>' })).toBe('R&D <b>');
    expect(renderTemplate('{{x}}', { x: 'R&D <b>' }, { html: true })).toBe('R&amp;D &lt;b&gt;');
  });
});

describe('opt-out notices', () => {
  it('asks for the STOP sentence on a number\'s first text and again after the period', () => {
    const { db } = store();
    const ins = db.prepare(
      "INSERT INTO messages (dedupe_key, channel, kind, priority, to_address, body, status, not_before, created_by, created_at, updated_at) VALUES (?, 'sms', 'reminder', 3, ?, ?, ?, 't', 'test', ?, 't')",
    );
    ins.run('a', '+12065550101', 'Hi. Reply STOP to opt out.', 'delivered', '2026-11-20T00:00:00.000Z');
    ins.run('b', '+12065550102', 'Hi. Reply STOP to opt out.', 'delivered', '2026-09-01T00:00:00.000Z');
    ins.run('c', '+12065550103', 'Hi. Reply STOP to opt out.', 'withdrawn', '2026-11-20T00:00:00.000Z');
    const n = loadOptOutNotices(db, new Date('2026-12-01T15:00:00Z'), 30);
    expect(n.needs('+12065550101')).toBe(false);
    expect(n.needs('+12065550102')).toBe(true);
    expect(n.needs('+12065550103')).toBe(true);
    n.mark('+12065550102');
    expect(n.needs('+12065550102')).toBe(false);
  });
});
