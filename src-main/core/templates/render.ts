import Mustache from 'mustache';
import type { ClinicProfile } from '../../contract';
import { ApiError } from '../shared/errors';
import { analyzeSms } from '../text';
import { compileText } from './compiled';
import { OPT_OUT_LINE } from './defaults';
import type { Lang } from './locale';
import type { ClinicContext, MessageContext, RenderedMessage, TemplateChannel, TemplateText } from './types';

const plain = { escape: (v: unknown) => String(v) };

// Templates are few (the clinic's, a campaign's), renders many: each is compiled once.
const compiledTexts = new Map<string, ReturnType<typeof compileText>>();
function compiledText(template: string) {
  let c = compiledTexts.get(template);
  if (c === undefined) {
    if (compiledTexts.size >= 500) compiledTexts.clear();
    compiledTexts.set(template, (c = compileText(template)));
  }
  return c;
}

/**
 * Mustache over a merge context. Text (SMS, email text part, postcards) is not HTML-escaped;
 * pass { html: true } for HTML, where every {{field}} is escaped and {{{field}}} is not.
 */
export function renderTemplate(template: string, ctx: object, opts: { html?: boolean } = {}): string {
  try {
    const compiled = opts.html ? null : compiledText(template);
    if (compiled) return compiled(ctx);
    return opts.html ? Mustache.render(template, ctx) : Mustache.render(template, ctx, undefined, plain);
  } catch (e) {
    throw new ApiError('template.syntax', `The template has a mistake: ${(e as Error).message}. Check that every {{#section}} has its {{/section}}.`);
  }
}

/** Throws a readable error when a template would not render (unclosed section, bad tag). */
export function checkTemplateSyntax(template: string): void {
  try {
    Mustache.parse(template);
  } catch (e) {
    throw new ApiError('template.syntax', `The template has a mistake: ${(e as Error).message}. Check that every {{#section}} has its {{/section}}.`);
  }
}

/**
 * One line of SMS-safe text: no-break spaces (which Intl and copy-paste bring, and which would
 * turn the whole text into UCS-2) become plain spaces; doubled spaces from empty fields collapse.
 */
export function tidySms(text: string): string {
  return text
    .replace(/[\u00a0\u202f\u2007]/g, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([.,])/g, '$1')
    // An abbreviation ending a field ('déc.') before the template's own full stop.
    .replace(/(?<!\.)\.\.(?!\.)/g, '.')
    .trim();
}

function tidyText(text: string): string {
  return text
    .replace(/[\u00a0\u202f\u2007]/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function clinicContext(p: ClinicProfile | null | undefined): ClinicContext {
  if (!p) return { name: 'Your veterinary clinic', phone: '', email: '', website: '', address: '' };
  const a = p.address;
  const line = [a.line1, a.line2, a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter((x) => x && String(x).trim()).join(', ');
  return { name: p.name, phone: p.phone, email: p.email, website: p.website ?? '', address: line };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A phone-friendly HTML email built from the text part: paragraphs, '- ' lines as a list, and the
 * clinic's name, address and phone in the footer (owners expect them; CAN-SPAM/CASL want the address).
 */
export function emailHtml(text: string, clinic: ClinicContext): string {
  const blocks = text.split(/\n{2,}/).map((b) => {
    const lines = b.split('\n');
    if (lines.every((l) => l.startsWith('- '))) return `<ul style="padding-left:20px;margin:0 0 16px">${lines.map((l) => `<li>${esc(l.slice(2))}</li>`).join('')}</ul>`;
    return `<p style="margin:0 0 16px">${lines.map(esc).join('<br>')}</p>`;
  });
  const tel = clinic.phone.replace(/[^\d+]/g, '');
  const footer = [
    `<strong>${esc(clinic.name)}</strong>`,
    clinic.address ? esc(clinic.address) : '',
    clinic.phone ? `<a href="tel:${esc(tel)}" style="color:#0f6cbd">${esc(clinic.phone)}</a>` : '',
    clinic.email ? `<a href="mailto:${esc(clinic.email)}" style="color:#0f6cbd">${esc(clinic.email)}</a>` : '',
  ].filter(Boolean);
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:0;background:#f5f5f5">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;background:#ffffff;font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#242424">
${blocks.join('\n')}
<hr style="border:none;border-top:1px solid #e0e0e0;margin:24px 0 12px">
<p style="margin:0;font-size:13px;color:#616161">${footer.join('<br>')}</p>
</div></body></html>`;
}

function textFooter(clinic: ClinicContext): string {
  return ['--', clinic.name, clinic.address, clinic.phone, clinic.website].filter((x) => x && x.trim()).join('\n');
}

export interface RenderOptions {
  lang: Lang;
  channel: TemplateChannel;
  /** The text must carry the opt-out sentence (first text to a number, and periodically). */
  optOut?: boolean;
}

/*
 * An instruction to opt out, not just the word: "Reply STOP to opt out", "Text STOP to end",
 * "STOP pour vous désabonner", "Envoyez STOP", "Responda STOP". "STOP by this week for a free nail
 * trim" is an invitation, and the text still needs the sentence.
 */
const OPT_OUT_INSTRUCTION =
  /\b(?:reply|text|send|respond|r[ée]pondez|envoyez|responda|env[ií]e)\b[^.!?\n]{0,12}\bSTOP\b|\bSTOP\b\W{0,3}(?:to\s+(?:opt[\s-]?out|unsubscribe|end|stop|quit|cancel)|pour\s+(?:vous\s+)?(?:d[ée]sabonner|d[ée]sinscrire|arr[êe]ter)|para\s+(?:darse\s+de\s+baja|cancelar|no\s+recibir))/i;

export function hasOptOutInstruction(body: string): boolean {
  return OPT_OUT_INSTRUCTION.test(body);
}

/**
 * Renders one message from a template variant. Guarantees what carriers and the law expect of
 * every text whatever the clinic typed: it names the clinic, and carries "Reply STOP to opt out"
 * when asked. Emails get a text part with the clinic's address and phone, and an HTML part.
 */
export function renderVariant(templateId: string | null, variant: TemplateText, ctx: MessageContext, opts: RenderOptions): RenderedMessage {
  const line = OPT_OUT_LINE[opts.lang];
  // The opt-out line goes on the context itself. A spread copy would run every lazy field (the pet
  // list, the item table) for templates that never mention them; a child object (Object.create)
  // makes V8 turn each fresh context into a prototype, which costs more than the render.
  const full: MessageContext = ctx;
  full.optOut = opts.optOut ? line : '';
  const clinic = ctx.clinic;
  if (opts.channel === 'sms') {
    let body = tidySms(renderTemplate(variant.body, full));
    if (clinic.name && !body.toLowerCase().includes(clinic.name.toLowerCase())) body = `${clinic.name}: ${body}`;
    if (opts.optOut && !hasOptOutInstruction(body)) body = `${body} ${line}`;
    const a = analyzeSms(body);
    return { templateId, lang: opts.lang, channel: 'sms', subject: null, body: a.normalized, html: null, segments: a.segments, encoding: a.encoding, hasOptOut: hasOptOutInstruction(body) };
  }
  const text = tidyText(renderTemplate(variant.body, full));
  if (opts.channel === 'email') {
    const subject = tidySms(renderTemplate(variant.subject ?? clinic.name, full));
    const html = variant.html ? renderTemplate(variant.html, full, { html: true }) : emailHtml(text, clinic);
    return { templateId, lang: opts.lang, channel: 'email', subject, body: `${text}\n\n${textFooter(clinic)}`, html, segments: null, encoding: null, hasOptOut: false };
  }
  return { templateId, lang: opts.lang, channel: 'postcard', subject: null, body: text, html: null, segments: null, encoding: null, hasOptOut: false };
}
