/**
 * What a desktop notification says about a new text. No electron import (unit-tested).
 *
 * Only the sender's first name, never the message body or the phone number: the desk screen
 * often faces the waiting room, and Windows keeps toasts in the Action Center where the next
 * person at the PC can read them. Texts carry owners' addresses, payment questions and their
 * pets' health; the first name is enough for staff to know whom to look up in the inbox.
 */
export interface NotificationText {
  title: string;
  body: string;
}

export const INBOX_MESSAGE_EVENT = 'inbox.message';

function firstNameOf(p: Record<string, unknown>): string | null {
  for (const key of ['clientFirstName', 'firstName']) {
    const v = p[key];
    if (typeof v === 'string' && v.trim()) return v.trim().split(/\s+/)[0]!.slice(0, 40);
  }
  for (const key of ['clientName', 'fromName', 'name']) {
    const v = p[key];
    // Practice systems write "Last, First" as often as "First Last".
    if (typeof v === 'string' && v.trim()) {
      const s = v.trim();
      const first = s.includes(',') ? s.split(',')[1]?.trim().split(/\s+/)[0] : s.split(/\s+/)[0];
      if (first) return first.slice(0, 40);
    }
  }
  return null;
}

/** null when the event is not an inbound message worth a notification. */
export function notificationTextFor(event: string, payload: unknown): NotificationText | null {
  if (event !== INBOX_MESSAGE_EVENT || !payload || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.direction === 'string' && p.direction !== 'inbound') return null;
  const name = firstNameOf(p);
  return {
    title: name ? `New text from ${name}` : 'New text from an unknown number',
    body: 'Open Pawline to read and reply.',
  };
}
