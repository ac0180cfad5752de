/**
 * The demo-only API. The demo host (src-main/host-web/demo.ts) passes a DemoLink to the local
 * Twilio simulator and SMTP server it started; without one (every real desk) each method
 * refuses with 'not-demo', so nothing here can reach a real account.
 */
import type { DemoInfo, DemoMail, DemoPhone, DemoSms, Handlers } from '../../contract';
import type { Db } from '../db/open';
import { parsePhone } from '../pims/values';
import { ApiError } from '../shared/errors';

/** What the demo host offers: the simulator's and mail server's view of the world. */
export interface DemoLink {
  info(): DemoInfo;
  /** Records an owner's text to the clinic number in the simulator. */
  injectInbound(from: string, body: string): DemoSms;
  /** Every SMS the simulator holds, oldest first. */
  sms(): DemoSms[];
  /** Every mail the SMTP server received, oldest first. */
  mails(): DemoMail[];
}

type DemoHandlers = Pick<Handlers, 'demo.info' | 'demo.injectInbound' | 'demo.phones' | 'demo.phone' | 'demo.mailbox'>;

const MAX_BODY = 1600;

function notDemo(): never {
  throw new ApiError('not-demo', 'This works only in demo mode (start Pawline with `npm run demo`).');
}

function ownerNumber(text: unknown): string {
  const parsed = typeof text === 'string' ? parsePhone(text, { defaultCountry: 'US' }) : null;
  if (!parsed?.valid || !parsed.e164 || parsed.extension)
    throw new ApiError('validation', 'Enter the owner’s mobile number, e.g. (206) 555-0123.', { from: 'Enter a phone number like (206) 555-0123' });
  return parsed.e164;
}

export function demoHandlers(db: Db, link: DemoLink | null): DemoHandlers {
  // Demo clients with a textable number, to offer as "who do you want to be?".
  const cellClients = db.prepare<[], { value: string; first_name: string | null; last_name: string | null }>(
    `SELECT cp.value, c.first_name, c.last_name FROM contact_points cp JOIN clients c ON c.id = cp.client_id
      WHERE cp.kind = 'phone' AND cp.sms_capable = 1 AND cp.value IS NOT NULL AND c.active = 1 AND c.gone = 0
      ORDER BY c.last_name, c.first_name LIMIT 200`,
  );
  return {
    'demo.info': () => (link ?? notDemo()).info(),
    'demo.injectInbound': ({ from, body }) => {
      const l = link ?? notDemo();
      const text = typeof body === 'string' ? body.normalize('NFC') : '';
      if (!text.trim()) throw new ApiError('validation', 'Type the text the owner sends.', { body: 'Type a message' });
      if (text.length > MAX_BODY) throw new ApiError('validation', `A text can hold at most ${MAX_BODY} characters.`, { body: `At most ${MAX_BODY} characters` });
      return l.injectInbound(ownerNumber(from), text);
    },
    'demo.phones': () => {
      const l = link ?? notDemo();
      const by = new Map<string, DemoPhone>();
      const labels = new Map<string, string>();
      for (const r of cellClients.all()) {
        // A number shared by two households gets no name: it would pretend to know who is texting.
        const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
        labels.set(r.value, labels.has(r.value) ? '' : name);
      }
      const entry = (n: string) => by.get(n) ?? by.set(n, { number: n, label: labels.get(n) || null, received: 0, sent: 0, lastAt: null }).get(n)!;
      for (const m of l.sms()) {
        const e = entry(m.owner);
        if (m.direction === 'to-owner') e.received++;
        else e.sent++;
        e.lastAt = m.at;
      }
      const active = [...by.values()].sort((a, b) => (b.lastAt ?? '').localeCompare(a.lastAt ?? ''));
      for (const n of labels.keys()) if (!by.has(n)) active.push(entry(n));
      return active;
    },
    'demo.phone': ({ number }) => {
      const l = link ?? notDemo();
      const n = ownerNumber(number);
      return l.sms().filter((m) => m.owner === n);
    },
    'demo.mailbox': ({ limit }) => {
      const l = link ?? notDemo();
      return l.mails().slice().reverse().slice(0, Math.max(1, Math.min(limit ?? 100, 500)));
    },
  };
}
