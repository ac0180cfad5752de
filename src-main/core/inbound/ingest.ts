import { DateTime } from 'luxon';
import type { InboundIntent, InboxMessageEvent } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import type { Db } from '../db/open';
import type { Outbox } from '../messaging/outbox';
import type { OutboundDraft } from '../messaging/types';
import type { Clock } from '../shared/clock';
import type { Conversations } from '../inbox/conversations';
import { previewOf } from '../inbox/format';
import type { SearchIndex } from '../inbox/search-index';
import { createAppointmentLookup, type ApptRow } from './appointment-lookup';
import { arrivedReply, confirmReply, helpReply, rescheduleReply, type ClinicInfo } from './auto-replies';
import { readText, type TextMeaning } from './keywords';
import { createSenderMatcher, type SenderMatch } from './match-sender';

/** One inbound text as the poller hands it over. */
export interface InboundText {
  sid: string;
  from: string;
  to: string;
  body: string;
  numMedia: number;
  receivedAt: Date;
}

export interface IngestResult {
  inserted: boolean;
  messageId: number;
  conversationId: number;
  intent: InboundIntent;
  appointmentIds: number[];
  event: InboxMessageEvent | null;
}

export interface IngestDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  consent: ConsentLedger;
  conversations: Conversations;
  search: SearchIndex;
  clinic(): (ClinicInfo & { timeZone: string }) | null;
}

/** Automatic answers only for texts this fresh; a catch-up after days offline records, it does not chat. */
const HELP_FRESH_MS = 24 * 3600_000;
const ACK_FRESH_MS = 2 * 3600_000;
/** "Can't make it" with no confirmation pending still reaches an appointment this close. */
const RESCHEDULE_LOOKAHEAD_DAYS = 14;

interface Applied {
  intent: InboundIntent;
  outcome: string | null;
  appointmentIds: number[];
  unread: boolean;
  attention?: 'reschedule' | 'probable-opt-out';
  replies: { key: string; body: string; meta: Record<string, unknown>; appointmentId?: number }[];
}

/**
 * Stores one inbound text exactly once (unique Twilio SID; BEGIN IMMEDIATE so two desks or two
 * overlapping polls serialise) and acts on it in the same transaction: consent keywords, help,
 * confirmations, reschedule requests and arrivals. Replies go through the outbox like any text.
 */
export function createIngest(d: IngestDeps) {
  const { db, clock, outbox, consent, conversations, search } = d;
  const matcher = createSenderMatcher(db);
  const appts = createAppointmentLookup(db);
  const existing = db.prepare<[string], { id: number; conversation_id: number; intent: InboundIntent }>(
    'SELECT id, conversation_id, intent FROM inbound_messages WHERE twilio_sid = ?',
  );
  const insert = db.prepare(`
    INSERT INTO inbound_messages (twilio_sid, conversation_id, client_id, from_address, to_address, body, num_media, media_state,
      media_next_at, intent, outcome, appointment_id, received_at, created_at)
    VALUES (@sid, @conversation_id, @client_id, @from, @to, @body, @num_media, @media_state, @media_next_at, @intent, @outcome,
      @appointment_id, @received_at, @now)`);
  const firstName = db.prepare<[number], { first_name: string | null }>('SELECT first_name FROM clients WHERE id = ?');
  const setConfirm = db.prepare('UPDATE appointments SET confirm_state = ?, confirm_at = ? WHERE id = ?');
  const setArrived = db.prepare('UPDATE appointments SET arrived_at = ? WHERE id = ? AND arrived_at IS NULL');
  const openConfirmRequests = db.prepare<[number], { id: number }>(`
    SELECT id FROM messages WHERE appointment_id = ? AND kind = 'appointment' AND status IN ('queued','waiting')
      AND json_extract(meta, '$.kind') = 'confirm'`);

  const tz = () => d.clinic()?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  const withdrawConfirmRequests = (appointmentId: number, reason: string) => {
    const ids = openConfirmRequests.all(appointmentId).map((r) => r.id);
    if (ids.length) outbox.withdraw({ ids }, reason);
  };

  function apply(meaning: TextMeaning, m: InboundText, match: SenderMatch, now: Date): Applied {
    const base: Applied = { intent: 'none', outcome: null, appointmentIds: [], unread: true, replies: [] };
    // A short code is a service talking, not a household: nothing to opt out, confirm or answer.
    if (match.kind === 'short-code') return base;
    const age = now.getTime() - m.receivedAt.getTime();
    const clinic = d.clinic();
    const clientId = match.kind === 'client' ? match.clientId : null;

    const optIn = (word: string): Applied => {
      consent.record({ address: m.from, channel: 'sms', status: 'opt-in', source: 'keyword', detail: word });
      return { ...base, intent: 'opt-in', outcome: `Opted back in to texts (${word}).`, unread: false };
    };

    switch (meaning.kind) {
      case 'opt-out': {
        consent.record({ address: m.from, channel: 'sms', status: 'opt-out', source: 'keyword', detail: meaning.word });
        const withdrawn = outbox.withdraw({ toAddress: m.from, channel: 'sms' }, `opted out by keyword ${meaning.word}`);
        // Twilio's Advanced Opt-Out already sent the carrier confirmation: no second text from us.
        const tail = withdrawn ? ` ${withdrawn} queued text${withdrawn === 1 ? ' was' : 's were'} withdrawn.` : '';
        return { ...base, intent: 'opt-out', outcome: `Opted out of texts (${meaning.word}).${tail}`, unread: false };
      }
      case 'opt-in':
        return optIn(meaning.word);
      case 'help': {
        const replies = age <= HELP_FRESH_MS ? [{ key: `inbound:${m.sid}:help`, body: helpReply(clinic), meta: { auto: 'help', overrideQuietHours: true } }] : [];
        return { ...base, intent: 'help', outcome: replies.length ? 'Sent the clinic\'s help text.' : null, unread: false, replies };
      }
      case 'probable-opt-out':
        return { ...base, intent: 'probable-opt-out', outcome: 'Looks like an opt-out request: check and opt the number out if so.', attention: 'probable-opt-out' };
      case 'arrived': {
        if (clientId === null) return base;
        const today = DateTime.fromJSDate(now, { zone: tz() }).toISODate()!;
        const day = appts.onDay(clientId, today).filter((a) => !a.arrived_at);
        if (!day.length) return base;
        // The appointment they came for: the first one not long past, else the day's first.
        const soon = day.find((a) => Date.parse(a.start_utc) >= now.getTime() - 2 * 3600_000) ?? day[0]!;
        const together = day.filter((a) => a.start_local === soon.start_local);
        for (const a of together) setArrived.run(now.toISOString(), a.id);
        const replies = age <= ACK_FRESH_MS ? [{ key: `inbound:${m.sid}:arrived`, body: arrivedReply(clinic), meta: { auto: 'arrived' }, appointmentId: soon.id }] : [];
        return {
          ...base,
          intent: 'arrived',
          outcome: `Arrived for ${describe(together, tz())}.`,
          appointmentIds: together.map((a) => a.id),
          replies,
        };
      }
      case 'yes':
      case 'confirm': {
        const pending = clientId === null ? [] : appts.pendingConfirmations(clientId, now);
        if (!pending.length) {
          if (meaning.kind === 'yes' && consent.isOptedOut(m.from, 'sms')) return optIn('YES');
          return base;
        }
        const a = pending[0]!;
        setConfirm.run('confirmed', now.toISOString(), a.id);
        withdrawConfirmRequests(a.id, 'confirmed by reply');
        const others = pending.length - 1;
        const replies = age <= ACK_FRESH_MS ? [{ key: `inbound:${m.sid}:confirm`, body: confirmReply(clinic, tz(), refOf(a), others), meta: { auto: 'confirm-ack' }, appointmentId: a.id }] : [];
        const rest = others ? ` ${others} more still waiting for an answer.` : '';
        return { ...base, intent: 'confirm', outcome: `Confirmed ${describe([a], tz())}.${rest}`, appointmentIds: [a.id], unread: false, replies };
      }
      case 'reschedule': {
        if (clientId === null) return base;
        const pending = appts.pendingConfirmations(clientId, now);
        const a = pending[0] ?? appts.upcoming(clientId, now, RESCHEDULE_LOOKAHEAD_DAYS)[0];
        if (!a) return base;
        setConfirm.run('reschedule', now.toISOString(), a.id);
        withdrawConfirmRequests(a.id, 'owner asked to reschedule');
        const replies = age <= ACK_FRESH_MS ? [{ key: `inbound:${m.sid}:reschedule`, body: rescheduleReply(clinic, tz(), refOf(a)), meta: { auto: 'reschedule-ack' }, appointmentId: a.id }] : [];
        return {
          ...base,
          intent: 'reschedule',
          outcome: `Wants to reschedule ${describe([a], tz())}.`,
          appointmentIds: [a.id],
          attention: 'reschedule',
          replies,
        };
      }
      default:
        return base;
    }
  }

  const run = db.transaction((m: InboundText): IngestResult => {
    const dup = existing.get(m.sid);
    if (dup) return { inserted: false, messageId: dup.id, conversationId: dup.conversation_id, intent: dup.intent, appointmentIds: [], event: null };
    const now = clock.now();
    const received = m.receivedAt.toISOString();
    const match = matcher.match(m.from, now);
    const clientId = match.kind === 'client' ? match.clientId : null;
    const conversationId = conversations.ensure(m.from, clientId, match.kind === 'client' ? 'client' : match.kind, received);
    const applied = apply(readText(m.body), m, match, now);

    const r = insert.run({
      sid: m.sid,
      conversation_id: conversationId,
      client_id: clientId,
      from: m.from,
      to: m.to,
      body: m.body,
      num_media: m.numMedia,
      media_state: m.numMedia > 0 ? 'pending' : 'none',
      media_next_at: m.numMedia > 0 ? now.toISOString() : null,
      intent: applied.intent,
      outcome: applied.outcome,
      appointment_id: applied.appointmentIds[0] ?? null,
      received_at: received,
      now: now.toISOString(),
    });
    const messageId = Number(r.lastInsertRowid);

    if (applied.replies.length) {
      const drafts: OutboundDraft[] = applied.replies.map((x) => ({
        dedupeKey: x.key,
        channel: 'sms',
        kind: 'reply',
        clientId,
        appointmentId: x.appointmentId ?? null,
        conversationId,
        to: m.from,
        body: x.body,
        notBefore: now,
        createdBy: 'auto',
        meta: { ...x.meta, inboundSid: m.sid },
      }));
      outbox.enqueue(drafts);
    }
    const preview = m.body.trim() || (m.numMedia ? `[${m.numMedia} picture${m.numMedia === 1 ? '' : 's'}]` : '');
    conversations.touch(conversationId, {
      at: received,
      direction: 'inbound',
      preview,
      unread: applied.unread,
      attention: applied.attention,
      reopen: applied.unread,
    });
    search.reindex(conversationId);
    const first = clientId === null ? null : (firstName.get(clientId)?.first_name ?? null);
    return {
      inserted: true,
      messageId,
      conversationId,
      intent: applied.intent,
      appointmentIds: applied.appointmentIds,
      event: { conversationId, messageId, direction: 'inbound', clientFirstName: first, preview: previewOf(preview, 120), intent: applied.intent },
    };
  });

  return {
    /** Safe to call any number of times, from any number of pollers, for the same SID. */
    ingest: (m: InboundText): IngestResult => run.immediate(m),
  };
}

function refOf(a: ApptRow) {
  return { petName: a.pet_name, startUtc: a.start_utc };
}

function describe(list: ApptRow[], tz: string): string {
  const names = list.map((a) => a.pet_name).filter(Boolean) as string[];
  const who = names.length ? `${names.join(' and ')}'s appointment` : 'the appointment';
  const a = list[0]!;
  const when = DateTime.fromISO(a.start_utc, { zone: 'utc' }).setZone(tz).toFormat("ccc LLL d 'at' h:mm a");
  return `${who} ${when}`;
}
