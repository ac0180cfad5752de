import type { ClinicProfile } from '../../contract';
import type { EmailMessage } from './channels/smtp-channel';
import type { MessageKind } from './types';

export interface ComposeInput {
  to: string;
  kind: MessageKind;
  subject: string | null;
  /** Plain text as written by the template or the receptionist. */
  body: string;
  /** Optional HTML version of the body (a fragment or a whole document). */
  html: string | null;
  messageId: string;
}

export interface ComposeSender {
  fromAddress: string;
  replyTo?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function postalLines(c: ClinicProfile): string[] {
  const a = c.address;
  return [a.line1, a.line2, `${a.city}, ${a.region} ${a.postalCode}`].filter((x): x is string => !!x && x.trim() !== '');
}

/** Where an unsubscribe request goes: the clinic's reply-to mailbox, else its sending address. */
export function unsubscribeAddress(sender: ComposeSender): string {
  return sender.replyTo || sender.fromAddress;
}

function textToHtml(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px">${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * One email as owners receive it: a plain-text part beside the HTML (which reads on a phone), the
 * clinic's postal address and phone in a footer (CAN-SPAM / CASL want the address on every commercial
 * message; on the others it tells the owner who wrote). Marketing adds a List-Unsubscribe header with a
 * mailto and a sentence saying how to stop. Accented names and subjects are RFC 2047-encoded by nodemailer.
 */
export function composeEmail(input: ComposeInput, clinic: ClinicProfile, sender: ComposeSender): EmailMessage {
  const marketing = input.kind === 'marketing';
  const unsub = unsubscribeAddress(sender);
  const unsubUrl = `mailto:${unsub}?subject=unsubscribe`;
  const address = postalLines(clinic);

  const textFooter = [
    '--',
    clinic.name,
    ...address,
    `${clinic.phone} | ${clinic.email}`,
    ...(marketing
      ? ['', `You receive this because you are a client of ${clinic.name}. To stop these emails, reply with "unsubscribe" or write to ${unsub}.`]
      : []),
  ].join('\n');
  const text = `${input.body.replace(/\s+$/, '')}\n\n${textFooter}\n`;

  const htmlFooter = [
    '<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px">',
    '<p style="margin:0;font-size:13px;color:#555;line-height:1.5">',
    `<strong>${esc(clinic.name)}</strong><br>`,
    address.map(esc).join('<br>') + '<br>',
    `<a href="tel:${esc(clinic.phone.replace(/[^\d+]/g, ''))}" style="color:#555">${esc(clinic.phone)}</a> | `,
    `<a href="mailto:${esc(clinic.email)}" style="color:#555">${esc(clinic.email)}</a>`,
    '</p>',
    marketing
      ? `<p style="margin:12px 0 0;font-size:12px;color:#777">You receive this because you are a client of ${esc(clinic.name)}. ` +
        `<a href="${esc(unsubUrl)}" style="color:#777">Unsubscribe</a> (or reply with "unsubscribe").</p>`
      : '',
  ].join('\n');

  const content = input.html ?? textToHtml(input.body);
  let html: string;
  if (/<\/body>/i.test(content)) {
    html = content.replace(/<\/body>/i, `${htmlFooter}\n</body>`);
  } else {
    html = [
      '<!doctype html>',
      '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${esc(input.subject ?? clinic.name)}</title></head>`,
      '<body style="margin:0;padding:0;background:#f4f4f4">',
      '<div style="max-width:600px;margin:0 auto;padding:20px 16px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222">',
      content,
      htmlFooter,
      '</div></body></html>',
    ].join('\n');
  }

  const headers: Record<string, string> = {};
  if (marketing) headers['List-Unsubscribe'] = `<${unsubUrl}>`;
  return {
    to: input.to,
    subject: input.subject?.trim() || `A message from ${clinic.name}`,
    text,
    html,
    messageId: input.messageId,
    headers,
  };
}
