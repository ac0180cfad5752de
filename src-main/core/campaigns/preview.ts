import type { CampaignPreview, CampaignPreviewArgs } from '../../contract';
import type { Db } from '../db/open';
import { composeEmail } from '../messaging/email-composer';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import { toLang } from '../templates/locale';
import { loadOptOutNotices } from '../templates/opt-out';
import { analyzeSms, smartCharsFix } from '../text';
import { createRenderer, emptyFields, hasEmail, pick } from './content';
import type { Recipient, ResolvedAudience } from './resolve';
import { parseInput } from './schema';

export interface PreviewDeps {
  db: Db;
  clock: Clock;
  settings: SettingsStore;
  /** The campaigns domain's audience resolve (its marketing cap, its clock). */
  resolveFor(
    a: { kind: CampaignPreviewArgs['kind']; audience: unknown; delivery: CampaignPreviewArgs['delivery'] },
    more: { explain?: boolean; onPage?: (page: Recipient[]) => void },
  ): Promise<ResolvedAudience>;
  price(): number;
  zone(): string;
}

/** Why a chosen owner gets nothing on a channel, in words. */
const REASON_TEXT: Record<string, string> = {
  inactive: 'The client is inactive in the practice software.',
  'deceased-only': 'Every pet of this household has died.',
  'marketing-cap': 'Already reached by marketing twice in the last 30 days.',
  'no-sms-number': 'No mobile number on file.',
  'sms-opted-out': 'Opted out of texts.',
  'sms-number-bad': 'The number cannot take texts.',
  'no-email': 'No email address on file.',
  'email-opted-out': 'Opted out of email.',
  'email-bounced': 'Email to this address bounced.',
  'email-invalid': 'The email address is malformed.',
  'no-marketing-consent': 'No marketing consent on this channel.',
  'shared-address': 'Another household with the same address gets this campaign.',
  'not-in-audience': 'Not in this audience.',
};

/**
 * The editor's preview: one recipient's SMS and email as they would go out (or why they would
 * not), and the whole audience's cost estimate, every text rendered as the enqueue would.
 */
export function createPreview(d: PreviewDeps) {
  const { db, clock, settings, resolveFor, price, zone } = d;
  const clientStmt = db.prepare<[number], { id: number; first_name: string | null; last_name: string | null; language: string }>(
    'SELECT id, first_name, last_name, language FROM clients WHERE id = ?',
  );
  const petsStmt = db.prepare<[number], { name: string | null }>('SELECT name FROM patients WHERE client_id = ? AND gone = 0 AND deceased = 0 ORDER BY id');

  return async (a: CampaignPreviewArgs): Promise<CampaignPreview> => {
    const input = parseInput({ name: 'preview', kind: a.kind, audience: a.audience, delivery: a.delivery, content: a.content });
    const clinic = settings.clinic();
    const render = createRenderer(input.content, a.kind, clinic);
    // The estimate renders every recipient's text as the enqueue would (names and pets change the
    // length), a page at a time between the audience's own pages.
    const batch = loadOptOutNotices(db, clock.now(), 30);
    const emailsToo = a.delivery !== 'sms' && hasEmail(input.content);
    let segments = 0;
    let smsMessages = 0;
    let emails = 0;
    const resolved = await resolveFor(a, {
      explain: true,
      onPage: (page) => {
        for (const r of page) {
          if (r.sms) {
            const m = render.sms(r, batch.needs(r.sms));
            if (m) {
              if (m.hasOptOut) batch.mark(r.sms);
              segments += m.segments ?? 1;
              smsMessages++;
            }
          }
          if (r.email && emailsToo) emails++;
        }
      },
    });
    const notices = loadOptOutNotices(db, clock.now(), 30);

    let who: Recipient | null = null;
    let smsBlocked: string | null = null;
    let emailBlocked: string | null = null;
    if (a.clientId) {
      who = resolved.recipients.find((r) => r.clientId === a.clientId) ?? null;
      const b = resolved.blocked.get(a.clientId);
      if (!who) {
        const row = clientStmt.get(a.clientId);
        if (!row) throw new ApiError('not-found', 'This client is not in the database any more.');
        who = {
          clientId: row.id,
          firstName: row.first_name,
          lastName: row.last_name,
          lang: toLang(row.language),
          sms: null,
          email: null,
          pets: petsStmt.all(row.id).map((p) => p.name ?? '').filter(Boolean),
          appointment: null,
        };
        const why = b?.reason ?? 'not-in-audience';
        smsBlocked = REASON_TEXT[b?.sms ?? why] ?? REASON_TEXT[why] ?? why;
        emailBlocked = REASON_TEXT[b?.email ?? why] ?? REASON_TEXT[why] ?? why;
      } else {
        if (b?.sms) smsBlocked = REASON_TEXT[b.sms] ?? b.sms;
        if (b?.email) emailBlocked = REASON_TEXT[b.email] ?? b.email;
      }
    } else who = resolved.recipients[0] ?? null;
    const base = who ?? { clientId: 0, ...render.sample, lang: input.content.defaultLang, sms: null, email: null };
    const lang = a.lang ?? base.lang;
    const shown = { ...base, lang };

    const smsText = a.delivery === 'email' ? null : render.sms(shown, shown.sms ? notices.needs(shown.sms) : true);
    const emailText = a.delivery === 'sms' ? null : render.email(shown);
    let email: CampaignPreview['email'] = null;
    if (emailText) {
      const html = composeEmail(
        { to: shown.email ?? 'owner@example.com', kind: a.kind === 'marketing' ? 'marketing' : a.kind === 'health' ? 'reminder' : 'alert', subject: emailText.subject, body: emailText.body, html: emailText.html, messageId: '<preview@pawline>' },
        clinic ?? { name: 'Your clinic', address: { line1: '', city: '', region: '', postalCode: '', country: 'US' }, phone: '', email: '', timeZone: zone(), openingHours: {} as never, quietHours: { start: '09:00', end: '20:00' } },
        { fromAddress: settings.smtp()?.fromAddress ?? 'clinic@example.com', replyTo: settings.smtp()?.replyTo || undefined },
      );
      email = { subject: html.subject, text: html.text, html: html.html ?? '' };
    }
    let sms: CampaignPreview['sms'] = null;
    if (smsText) {
      const an = analyzeSms(smsText.body);
      sms = { body: smsText.body, segments: an.segments, encoding: an.encoding, characters: an.characters, nonGsmChars: an.nonGsmChars, fixable: smartCharsFix(pick(input.content.sms, lang, input.content.defaultLang)?.value ?? '').replaced };
    }

    const p = price();
    const templates = [pick(input.content.sms, lang, input.content.defaultLang)?.value ?? '', pick(input.content.email, lang, input.content.defaultLang)?.value.body ?? ''].join('\n');
    return {
      clientId: who?.clientId ?? null,
      clientName: who ? [who.firstName, who.lastName].filter(Boolean).join(' ') || `Client #${who.clientId}` : null,
      lang,
      sms,
      email,
      smsBlocked,
      emailBlocked,
      estimate: { smsMessages, segments, cost: Math.round(segments * p * 10000) / 10000, emails, pricePerSegment: p },
      problems: who ? emptyFields(templates, who) : [],
    };
  };
}
