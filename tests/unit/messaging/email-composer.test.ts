import { describe, expect, it } from 'vitest';
import { composeEmail } from '../../../src-main/core/messaging/email-composer';
import { CLINIC } from '../../helpers/settings-fixtures';

const base = { to: 'owner@example.com', subject: 'Closed <Monday>', body: 'Line one\nline two\n\nNew paragraph & more', html: null, messageId: '<m.1@x>' };
const sender = { fromAddress: 'desk@larkspur.example.com', replyTo: 'hello@larkspur.example.com' };

describe('email composer', () => {
  it('writes a plain-text part and an escaped, phone-friendly HTML part with the clinic footer', () => {
    const m = composeEmail({ ...base, kind: 'alert' }, { ...CLINIC, address: { ...CLINIC.address, line2: 'Suite 4' } }, sender);
    expect(m.text).toBe(
      'Line one\nline two\n\nNew paragraph & more\n\n--\nLarkspur Hollow Veterinary Clinic\n1200 Larkspur Way\nSuite 4\nSeattle, WA 98103\n(206) 555-0100 | frontdesk@larkspur.example.com\n',
    );
    expect(m.html).toContain('<p style="margin:0 0 16px">Line one<br>line two</p>');
    expect(m.html).toContain('New paragraph &amp; more');
    expect(m.html).toContain('<title>Closed &lt;Monday&gt;</title>');
    expect(m.html).toContain('href="tel:2065550100"');
    expect(m.html).toContain('Suite 4');
    expect(m.headers).toEqual({});
    expect(m.messageId).toBe('<m.1@x>');
  });

  it('puts the footer inside a whole HTML document the template supplies', () => {
    const m = composeEmail({ ...base, kind: 'reminder', html: '<html><body><h1>Due</h1></body></html>' }, CLINIC, sender);
    expect(m.html).toMatch(/<h1>Due<\/h1><hr[^>]*>[\s\S]*1200 Larkspur Way[\s\S]*<\/body><\/html>$/);
  });

  it('marketing adds List-Unsubscribe (mailto to the reply-to) and a sentence on how to stop', () => {
    const m = composeEmail({ ...base, kind: 'marketing' }, CLINIC, sender);
    expect(m.headers!['List-Unsubscribe']).toBe('<mailto:hello@larkspur.example.com?subject=unsubscribe>');
    expect(m.text).toContain('To stop these emails, reply with "unsubscribe" or write to hello@larkspur.example.com.');
    expect(m.html).toContain('href="mailto:hello@larkspur.example.com?subject=unsubscribe"');
    const noReplyTo = composeEmail({ ...base, kind: 'marketing' }, CLINIC, { fromAddress: 'desk@larkspur.example.com' });
    expect(noReplyTo.headers!['List-Unsubscribe']).toBe('<mailto:desk@larkspur.example.com?subject=unsubscribe>');
  });

  it('falls back to a subject naming the clinic', () => {
    expect(composeEmail({ ...base, subject: null, kind: 'reply' }, CLINIC, sender).subject).toBe('A message from Larkspur Hollow Veterinary Clinic');
  });
});
