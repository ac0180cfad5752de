import { afterEach, describe, expect, it } from 'vitest';
import { createRenderer, recipientKey } from '../../../src-main/core/campaigns/content';
import { CLINIC } from '../../helpers/settings-fixtures';
import { alertInput, campaignEnv } from './helpers';

describe('content, per-language variants and preview', () => {
  let env: ReturnType<typeof campaignEnv>;
  afterEach(async () => {
    await env.campaigns.service.stop();
    await env.cleanup();
  });

  it('previews exactly what a chosen recipient gets, in their language, with segments and the cost of the whole audience', async () => {
    env = campaignEnv();
    const dana = env.f.household({ firstName: 'Dana', lastName: 'Whitfield', pets: [{ name: 'Max' }, { name: 'Luna' }] });
    const luc = env.f.household({ firstName: 'Luc', language: 'fr', pets: [{ name: 'Minou' }] });
    const sol = env.f.household({ firstName: 'Sol', language: 'es', pets: [{ name: 'Coco' }] });
    const input = alertInput({
      content: {
        defaultLang: 'en',
        sms: { en: 'Hi {{client.firstName}}, we are closed today. {{pets}} can come tomorrow.', fr: 'Bonjour {{client.firstName}}, fermé aujourd hui.' },
        email: { en: { subject: 'Closed today', body: 'Hello {{client.firstName}},\n\nWe are closed.', html: '<p>Hello <strong>{{client.firstName}}</strong></p>' } },
      },
    });

    const p = await env.h['campaigns.preview']({ ...input, clientId: dana.clientId });
    expect(p.clientName).toBe('Dana Whitfield');
    // The clinic is named and, as the first text to this number, it says how to opt out.
    expect(p.sms?.body).toBe('Larkspur Hollow Veterinary Clinic: Hi Dana, we are closed today. Max and Luna can come tomorrow. Reply STOP to opt out.');
    expect(p.sms?.segments).toBe(1);
    expect(p.sms?.encoding).toBe('GSM-7');
    // The email as the outbox composes it: HTML from the manager's simple HTML, the clinic's address in the footer.
    expect(p.email?.subject).toBe('Closed today');
    expect(p.email?.html).toContain('Hello <strong>Dana</strong>');
    expect(p.email?.html).toContain('1200 Larkspur Way');
    expect(p.email?.text).toContain('1200 Larkspur Way');
    expect(p.email?.text).not.toMatch(/unsubscribe/i);

    const fr = await env.h['campaigns.preview']({ ...input, clientId: luc.clientId });
    expect(fr.lang).toBe('fr');
    expect(fr.sms?.body).toContain('Bonjour Luc');
    expect(fr.sms?.body).toContain('STOP pour vous désabonner');
    // No Spanish variant: the default language's.
    const es = await env.h['campaigns.preview']({ ...input, clientId: sol.clientId });
    expect(es.sms?.body).toContain('Hi Sol');
    // Forcing a language for the preview.
    expect((await env.h['campaigns.preview']({ ...input, clientId: dana.clientId, lang: 'fr' })).sms?.body).toContain('Bonjour Dana');

    expect(p.estimate.smsMessages).toBe(3);
    expect(p.estimate.emails).toBe(3);
    expect(p.estimate.segments).toBe(3);
    expect(p.estimate.cost).toBeCloseTo(3 * 0.0083, 6);
  });

  it('counts UCS-2 segments and offers the curly-quote fix; long texts cost more segments', async () => {
    env = campaignEnv();
    env.f.household({ firstName: 'Dana', pets: [{}] });
    const p = await env.h['campaigns.preview']({
      ...alertInput({ content: { defaultLang: 'en', sms: { en: '“Closed” today — sorry, {{client.firstName}}.' }, email: {} } }),
      delivery: 'sms',
    });
    expect(p.sms?.encoding).toBe('UCS-2');
    expect(p.sms?.nonGsmChars).toEqual(expect.arrayContaining(['“', '—']));
    expect(p.sms?.fixable).toBe(3);
    const long = await env.h['campaigns.preview']({ ...alertInput({ content: { defaultLang: 'en', sms: { en: 'x'.repeat(300) }, email: {} } }), delivery: 'sms' });
    expect(long.sms?.segments).toBe(3);
    expect(long.estimate.segments).toBe(3);
  });

  it('marketing email carries the unsubscribe line; missing merge values are listed', async () => {
    env = campaignEnv();
    const c = env.f.household({ firstName: '', pets: [] });
    const p = await env.h['campaigns.preview']({
      kind: 'marketing',
      audience: {},
      delivery: 'email',
      content: { defaultLang: 'en', sms: {}, email: { en: { subject: 'Dental month', body: 'Hi {{client.firstName}}, {{pets}} deserve clean teeth.' } } },
      clientId: c.clientId,
    });
    expect(p.email?.text).toMatch(/unsubscribe/i);
    expect(p.emailBlocked).toMatch(/marketing consent|Not in this audience/);
    expect(p.problems).toEqual(['client.firstName', 'pets']);
  });

  it('sending refuses content missing for a channel it uses, and templates that do not parse', async () => {
    env = campaignEnv();
    env.f.household({ pets: [{}] });
    const c = env.h['campaigns.create'](alertInput({ content: { defaultLang: 'en', sms: {}, email: { en: { subject: 'x', body: 'y' } } } }));
    expect(() => env.h['campaigns.send']({ id: c.id })).toThrow(expect.objectContaining({ fields: { 'content.sms': expect.any(String) } }));
    expect(() => env.h['campaigns.create'](alertInput({ content: { defaultLang: 'en', sms: { en: 'Hi {{#pets}}' }, email: {} } }))).toThrow(
      expect.objectContaining({ code: 'validation', fields: { 'content.sms.en': expect.stringMatching(/not closed/) } }),
    );
    expect(() => env.h['campaigns.create'](alertInput({ name: '' }))).toThrow(expect.objectContaining({ fields: { name: expect.any(String) } }));
    expect(() =>
      env.h['campaigns.create'](alertInput({ content: { defaultLang: 'en', sms: {}, email: { en: { subject: 'x', body: 'y', html: '<p onclick="steal()">Hi</p><script>alert(1)</script>' } } } })),
    ).toThrow(expect.objectContaining({ fields: { 'content.email.en.html': expect.stringMatching(/may not contain scripts/) } }));
    // A typo or an object's internals are not merge fields: said at once, not rendered as nothing or "[object Object]".
    expect(() => env.h['campaigns.create'](alertInput({ content: { defaultLang: 'en', sms: { en: 'Hi {{client.nickname}}, {{clinic.constructor}} {{>x}}' }, email: {} } }))).toThrow(
      expect.objectContaining({ fields: { 'content.sms.en': expect.stringMatching(/\{\{client\.nickname\}\}, \{\{clinic\.constructor\}\}, \{\{>x\}\} are not merge fields\. You can use \{\{client\.firstName\}\}/) } }),
    );
    // A template under 1,600 characters that the clinic's name and the opt-out sentence take over
    // the limit is refused at send, not queued as nothing and reported finished.
    const long = env.h['campaigns.create'](alertInput({ delivery: 'sms', content: { defaultLang: 'en', sms: { es: 'Importante: ' + 'x'.repeat(1580) }, email: {} } }));
    expect(() => env.h['campaigns.send']({ id: long.id })).toThrow(
      expect.objectContaining({ code: 'validation', fields: { 'content.sms.es': expect.stringMatching(/at most 1,600/) } }),
    );
    expect(env.h['campaigns.get']({ id: long.id }).status).toBe('draft');
  });

  it('each text in one campaign carries the opt-out line only where the number has not seen it lately', async () => {
    env = campaignEnv();
    const a = env.f.household({ cell: '+12065557001', email: null, pets: [{}] });
    env.f.household({ cell: '+12065557002', email: null, pets: [{}] });
    const b = env.f.household({ cell: '+12065557003', email: null, pets: [{}] });
    const [sent] = env.core.outbox.enqueue([{ dedupeKey: 'earlier', channel: 'sms', kind: 'reminder', clientId: a.clientId, to: '+12065557001', body: 'Clinic: due soon. Reply STOP to opt out.', notBefore: new Date(), createdBy: 'planner' }]).ids;
    env.core.outbox.transition(sent!, 'queued', 'sent');
    // Queued only (a day-of reminder held until tomorrow): it has told the owner nothing yet.
    env.core.outbox.enqueue([{ dedupeKey: 'later', channel: 'sms', kind: 'appointment', clientId: b.clientId, to: '+12065557003', body: 'Clinic: see you tomorrow. Reply STOP to opt out.', notBefore: new Date(Date.now() + 86_400_000), createdBy: 'planner' }]);
    const c = env.h['campaigns.create'](alertInput({ delivery: 'sms' }));
    env.h['campaigns.send']({ id: c.id });
    await env.campaigns.settle(c.id);
    const rows = env.messages(c.id);
    expect(rows.find((r) => r.to_address === '+12065557001')!.body).not.toMatch(/STOP/);
    expect(rows.find((r) => r.to_address === '+12065557002')!.body).toMatch(/Reply STOP to opt out/);
    expect(rows.find((r) => r.to_address === '+12065557003')!.body).toMatch(/Reply STOP to opt out/);
  });

  it('renders once per distinct set of the values a template names, never mixing recipients up', () => {
    env = campaignEnv();
    const base = { lastName: 'X', appointment: null, lang: 'en' as const };
    const r = createRenderer({ defaultLang: 'en', sms: { en: 'Hi {{client.firstName}}, {{pets}} - {{clinic.name}}' }, email: {} }, 'alert', CLINIC);
    const a = r.sms({ ...base, firstName: 'Dana', pets: ['Max'] }, false)!;
    const b = r.sms({ ...base, firstName: 'Dana', lastName: 'Other', pets: ['Max'] }, false)!;
    const c = r.sms({ ...base, firstName: 'Dana', pets: ['Luna'] }, false)!;
    const d = r.sms({ ...base, firstName: 'Dana', pets: ['Max'] }, true)!;
    expect(a).toBe(b); // same text object: the last name is not in the template
    expect(c.body).toContain('Hi Dana, Luna');
    expect(d.body).toMatch(/STOP/);
    expect(a.body).not.toMatch(/STOP/);
    expect(recipientKey('Hi {{client.firstName}} {{#appointment}}{{appointment.time}}{{/appointment}}')).not.toBeNull();
    // A field the key does not know about: every text is rendered on its own.
    expect(recipientKey('Hi {{client.nickname}}')).toBeNull();
    expect(recipientKey('{{=<% %>=}} <% client.firstName %>')).toBeNull();
  });

  it('stops caching when owners rarely share the values, and every text stays its own recipient\'s', () => {
    env = campaignEnv();
    const r = createRenderer(
      { defaultLang: 'en', sms: { en: 'Hi {{client.firstName}}, {{pets}} - {{clinic.name}}' }, email: { en: { subject: 'For {{client.firstName}}', body: 'Hello {{client.firstName}}' } } },
      'alert',
      CLINIC,
    );
    const who = (i: number) => ({ firstName: `Owner${i}`, lastName: 'X', pets: [`Pet${i % 3}`], appointment: null, lang: 'en' as const });
    // Every first name differs, as in a real clinic: past the probe the cache switches itself off.
    for (let i = 0; i < 2500; i++) {
      expect(r.sms(who(i), false)!.body).toBe(`Hi Owner${i}, Pet${i % 3} - Larkspur Hollow Veterinary Clinic`);
      expect(r.email(who(i))!.subject).toBe(`For Owner${i}`);
    }
    // Repeated recipients after that still get their own text.
    expect(r.sms(who(7), false)!.body).toContain('Hi Owner7, Pet1');
    expect(r.email(who(2499))!.body).toBe('Hello Owner2499');
  });
});

describe('email variants', () => {
  it('an email variant with a subject but no body falls back to the default language instead of mailing nobody', () => {
    const render = createRenderer(
      { defaultLang: 'en', sms: {}, email: { en: { subject: 'Closed', body: 'We are closed today.' }, fr: { subject: 'Fermé', body: '  ' } } },
      'alert',
      CLINIC,
    );
    const m = render.email({ firstName: 'Luc', lastName: 'Côté', pets: [], appointment: null, lang: 'fr' });
    expect(m).toMatchObject({ subject: 'Closed', body: 'We are closed today.' });
  });

  it('an abbreviated French date before the full stop does not make two', () => {
    const render = createRenderer({ defaultLang: 'fr', sms: {}, email: { fr: { subject: 'Fermé', body: 'Votre visite du {{appointment.date}}.\n\nMerci...' } } }, 'alert', CLINIC);
    const m = render.email({ firstName: 'Luc', lastName: 'Côté', pets: ['Minou'], appointment: { client_id: 1, start_local: '2026-12-04T08:15', pet: 'Minou' }, lang: 'fr' });
    expect(m?.body).toBe('Votre visite du vendredi 4 déc.\n\nMerci...');
  });
});
