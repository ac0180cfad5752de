import { DateTime } from 'luxon';
import type { ClientCandidate, InboundIntent, ThreadAppointment, ThreadItem, ThreadMedia, ThreadView } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import type { Db } from '../db/open';
import { campaignTagReader } from '../campaigns/reply-tag';
import { LIVE_APPOINTMENT } from '../inbound/appointment-lookup';
import { isPhoneAddress } from '../inbound/match-sender';
import type { Clock } from '../shared/clock';
import type { Conversations } from './conversations';
import { clientName, displayAddress } from './format';
import { pimsConfirmed } from '../reminders/categories';

const PAGE = 150;

interface InRow {
  id: number;
  at: string;
  body: string;
  intent: InboundIntent;
  outcome: string | null;
  num_media: number;
  media_state: 'none' | 'pending' | 'stored' | 'failed';
  media_error: string | null;
}
interface OutRow {
  id: number;
  at: string;
  body: string;
  kind: 'alert' | 'reply' | 'appointment' | 'reminder' | 'marketing';
  status: Extract<ThreadItem, { type: 'outbound' }>['status'];
  error_code: string | null;
  error_message: string | null;
  wait_reason: string | null;
  sent_at: string | null;
  created_by: string;
}
interface NoteRow {
  id: number;
  at: string;
  body: string;
  author: string | null;
  kind: 'note' | 'event';
}

/** A delivery failure in words, with the provider's code so staff can look it up. */
function errorText(code: string | null, message: string | null): string | null {
  if (!code && !message) return null;
  if (code && message) return message.includes(code) ? message : `${message} (${code})`;
  return message ?? `Error ${code}`;
}

export function createThreadReader(db: Db, clock: Clock, conversations: Conversations, consent: ConsentLedger, timeZone: () => string) {
  const inbound = db.prepare<{ id: number; before: string; limit: number }, InRow>(`
    SELECT id, received_at at, body, intent, outcome, num_media, media_state, media_error FROM inbound_messages
    WHERE conversation_id = @id AND received_at < @before ORDER BY received_at DESC, id DESC LIMIT @limit`);
  // Outbound texts to this number for this household (reminders and confirmations too, for context).
  const outbound = db.prepare<{ id: number; address: string; client: number | null; before: string; limit: number }, OutRow>(`
    SELECT id, created_at at, body, kind, status, error_code, error_message, wait_reason, sent_at, created_by FROM messages
    WHERE to_address = @address AND channel = 'sms' AND created_at < @before
      AND (conversation_id = @id OR (conversation_id IS NULL AND client_id IS @client))
    ORDER BY created_at DESC, id DESC LIMIT @limit`);
  const notes = db.prepare<{ id: number; before: string; limit: number }, NoteRow>(`
    SELECT id, at, body, author, kind FROM conversation_notes WHERE conversation_id = @id AND at < @before ORDER BY at DESC, id DESC LIMIT @limit`);
  const media = db.prepare<[string], { id: number; message_id: number; content_type: string; state: ThreadMedia['state']; bytes: number | null; error: string | null }>(
    'SELECT id, message_id, content_type, state, bytes, error FROM inbound_media WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, position',
  );
  const client = db.prepare<[number], { id: number; first_name: string | null; last_name: string | null }>('SELECT id, first_name, last_name FROM clients WHERE id = ?');
  const phones = db.prepare<[number], { value: string }>("SELECT value FROM contact_points WHERE client_id = ? AND kind = 'phone' AND value IS NOT NULL ORDER BY position");
  const email = db.prepare<[number], { value: string }>("SELECT value FROM contact_points WHERE client_id = ? AND kind = 'email' AND value IS NOT NULL AND valid = 1 ORDER BY position LIMIT 1");
  const pets = db.prepare<[number], { id: number; name: string | null; species: string | null; breed: string | null }>(
    'SELECT id, name, species, breed FROM patients WHERE client_id = ? AND gone = 0 AND deceased = 0 AND active = 1 ORDER BY id',
  );
  const reminders = db.prepare<[number, string], { pet: string | null; description: string | null; code: string; due_date: string }>(`
    SELECT p.name pet, r.description, r.code, r.due_date FROM reminders r JOIN patients p ON p.id = r.patient_id
    WHERE p.client_id = ? AND p.gone = 0 AND p.deceased = 0 AND r.gone = 0 AND r.suspended = 0 AND r.satisfied_on IS NULL AND r.due_date <= ?
    ORDER BY r.due_date LIMIT 12`);
  const appointments = db.prepare<[number, string], { id: number; pet: string | null; start_local: string; reason: string | null; confirm_state: ThreadAppointment['confirmState']; status: string; arrived_at: string | null }>(`
    SELECT a.id, p.name pet, a.start_local, a.reason, a.confirm_state, a.status, a.arrived_at FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id
    WHERE a.client_id = ? AND a.start_utc >= ? AND ${LIVE_APPOINTMENT} ORDER BY a.start_utc LIMIT 6`);
  const households = db.prepare<[string, string], { id: number }>(`
    SELECT DISTINCT c.id FROM contact_points cp JOIN clients c ON c.id = cp.client_id WHERE cp.kind = 'phone' AND cp.value = ? AND c.gone = 0
    UNION SELECT client_id FROM number_links WHERE address = ?`);
  const lastMessaged = db.prepare<[string, number], { at: string | null }>(
    "SELECT MAX(COALESCE(sent_at, created_at)) at FROM messages WHERE to_address = ? AND client_id = ? AND channel = 'sms' AND status IN ('sending','sent','delivered','undelivered')",
  );

  const lastInbound = db.prepare<[number], { at: string | null }>('SELECT MAX(received_at) at FROM inbound_messages WHERE conversation_id = ?');
  const campaignOf = campaignTagReader(db);
  const candidate = (id: number, address: string | null): ClientCandidate => {
    const k = client.get(id);
    return {
      id,
      name: clientName(k?.first_name, k?.last_name) ?? `Client #${id}`,
      pets: pets.all(id).map((p) => p.name ?? '').filter(Boolean),
      phones: phones.all(id).map((p) => displayAddress(p.value)),
      ...(address ? { lastMessagedAt: lastMessaged.get(address, id)?.at ?? null } : {}),
    };
  };

  return {
    candidate,
    read(conversationId: number, before?: string, limit = PAGE): ThreadView {
      const summary = conversations.summary(conversationId);
      const cutoff = before ?? '9999';
      const n = Math.min(500, Math.max(1, limit));
      const ins = inbound.all({ id: conversationId, before: cutoff, limit: n + 1 });
      const outs = outbound.all({ id: conversationId, address: summary.address, client: summary.clientId, before: cutoff, limit: n + 1 });
      const ns = notes.all({ id: conversationId, before: cutoff, limit: n + 1 });
      const merged: ThreadItem[] = [];
      const mediaBy = new Map<number, ThreadMedia[]>();
      const withMedia = ins.filter((r) => r.num_media > 0).map((r) => r.id);
      if (withMedia.length)
        for (const m of media.all(JSON.stringify(withMedia))) {
          const list = mediaBy.get(m.message_id) ?? [];
          list.push({ id: m.id, contentType: m.content_type, state: m.state, bytes: m.bytes, error: m.error });
          mediaBy.set(m.message_id, list);
        }
      for (const r of ins)
        merged.push({
          type: 'inbound', id: r.id, at: r.at, body: r.body, intent: r.intent, outcome: r.outcome, numMedia: r.num_media,
          mediaState: r.media_state, mediaError: r.media_error, media: mediaBy.get(r.id) ?? [],
        });
      for (const r of outs)
        merged.push({
          type: 'outbound', id: r.id, at: r.at, body: r.body, kind: r.kind, status: r.status, error: errorText(r.error_code, r.error_message),
          waitReason: r.wait_reason, sentAt: r.sent_at, createdBy: r.created_by,
        });
      for (const r of ns) merged.push({ type: r.kind, id: r.id, at: r.at, body: r.body, author: r.author });
      // Newest first; at the same instant an owner's text precedes the answer to it.
      const rank = { inbound: 0, outbound: 1, note: 2, event: 3 } as const;
      merged.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : rank[b.type] - rank[a.type] || b.id - a.id));
      const items = merged.slice(0, n).reverse();
      const hasMore = merged.length > n;

      const view: ThreadView = {
        conversation: summary,
        client: null,
        pets: [],
        reminders: [],
        appointments: [],
        candidates: [],
        replyBlocked: null,
        optedOut: false,
        items,
        hasMore,
      };
      if (summary.clientId !== null) {
        const id = summary.clientId;
        const k = client.get(id);
        view.client = {
          id,
          name: summary.clientName ?? `Client #${id}`,
          firstName: k?.first_name ?? null,
          phones: phones.all(id).map((p) => displayAddress(p.value)),
          email: email.get(id)?.value ?? null,
        };
        view.pets = pets.all(id).map((p) => ({ id: p.id, name: p.name ?? 'Unnamed', species: p.species, breed: p.breed }));
        const horizon = DateTime.fromJSDate(clock.now(), { zone: timeZone() }).plus({ days: 60 }).toISODate()!;
        view.reminders = reminders.all(id, horizon).map((r) => ({ petName: r.pet ?? '', description: r.description ?? r.code, dueDate: r.due_date }));
        const since = new Date(clock.now().getTime() - 12 * 3600_000).toISOString();
        view.appointments = appointments.all(id, since).map((a) => ({
          id: a.id, petName: a.pet, startLocal: a.start_local, reason: a.reason,
          // Confirmed in the PIMS counts as confirmed, as on the schedule and for the planner.
          confirmState: a.confirm_state === 'none' && pimsConfirmed(a.status) ? 'confirmed' : a.confirm_state, arrivedAt: a.arrived_at,
        }));
      }
      if (summary.match === 'ambiguous' || (summary.clientId === null && isPhoneAddress(summary.address)))
        view.candidates = households.all(summary.address, summary.address).map((r) => candidate(r.id, summary.address));
      view.optedOut = consent.isOptedOut(summary.address, 'sms');
      const repliedAt = lastInbound.get(conversationId)?.at;
      const tag = repliedAt ? campaignOf(summary.address, repliedAt) : null;
      if (tag) view.campaign = { id: tag.id, name: tag.name };
      if (!isPhoneAddress(summary.address)) view.replyBlocked = 'This sender is a short code or a service name: texts cannot be sent back to it.';
      else if (view.optedOut) view.replyBlocked = 'This number opted out of texts. The owner can text START to opt back in.';
      return view;
    },
  };
}
