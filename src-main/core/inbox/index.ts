import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { ClientCandidate, Handlers, ScheduleConfirmState, SmsDraftAnalysis } from '../../contract';
import type { CoreContext } from '..';
import { createInbound, type InboundOptions } from '../inbound';
import { isPhoneAddress } from '../inbound/match-sender';
import { formatLocal } from '../schedule/send-window';
import { ApiError } from '../shared/errors';
import type { StatusContributor } from '../system/handlers';
import { analyzeSms, MAX_SMS_BODY, smartCharsFix } from '../text';
import { createConversations } from './conversations';
import { displayAddress } from './format';
import { createInboxList } from './list';
import { mergeValuesFor, renderMerge, replyTemplates } from './merge-fields';
import { createScheduleBoard, dayRangeUtc } from './schedule-board';
import { createSearchIndex, ftsQuery } from './search-index';
import { queueStaffText } from './staff-text';
import { createThreadReader } from './thread';

type InboxHandlers = Pick<Handlers, Extract<keyof Handlers, `inbox.${string}` | `schedule.${string}`>>;

/** Pictures larger than this are not inlined into the API answer. */
const MAX_INLINE_MEDIA = 15 * 1024 * 1024;

const SCHEDULE_TEMPLATE: Record<'come-in' | 'ready', string> = { 'come-in': 'reply.come-in', ready: 'reply.ready' };

/**
 * The receptionist's inbox and the day's schedule, with the inbound poller underneath.
 * Returns API handlers, the poller as a background service, and the frame's unread/arrival counts.
 */
export function createInbox(ctx: CoreContext, o: InboundOptions = {}) {
  const { db, clock, events, settings, consent, outbox } = ctx;
  const noSmsStmt = db.prepare<[number], { pims_no_sms: number }>('SELECT pims_no_sms FROM clients WHERE id = ?');
  const pimsNoSms = (clientId: number) => noSmsStmt.get(clientId)?.pims_no_sms === 1;
  const timeZone = () => settings.clinic()?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const conversations = createConversations(db, clock);
  const search = createSearchIndex(db, clock);
  const inbound = createInbound(ctx, { conversations, search }, o);
  const list = createInboxList(db);
  const thread = createThreadReader(db, clock, conversations, consent, timeZone);
  const board = createScheduleBoard(db, clock, consent, timeZone);

  const changed = (...ids: number[]) => events.emit('inbox.changed', { conversationIds: ids });
  const apptById = db.prepare<[number], { id: number; client_id: number | null; start_utc: string; pet_name: string | null }>(
    'SELECT a.id, a.client_id, a.start_utc, p.name pet_name FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id WHERE a.id = ?',
  );
  const mediaRow = db.prepare<[number], { file: string | null; content_type: string; state: string; bytes: number | null }>(
    'SELECT file, content_type, state, bytes FROM inbound_media WHERE id = ?',
  );
  const linkNumber = db.prepare('INSERT INTO number_links (address, client_id, linked_by, at) VALUES (?, ?, ?, ?) ON CONFLICT(address, client_id) DO UPDATE SET at = excluded.at, linked_by = excluded.linked_by');
  const smsNumber = db.prepare<[number], { value: string }>(
    "SELECT cp.value FROM contact_points cp WHERE cp.client_id = ? AND cp.kind = 'phone' AND cp.sms_capable = 1 AND cp.value IS NOT NULL AND cp.extension IS NULL ORDER BY cp.position LIMIT 1",
  );
  const findClients = db.prepare<{ q: string }, { id: number }>(`
    SELECT id FROM clients WHERE gone = 0 AND id IN (
      SELECT id FROM clients WHERE (coalesce(first_name,'') || ' ' || coalesce(last_name,'')) LIKE @q ESCAPE '\\' OR last_name LIKE @q ESCAPE '\\'
      UNION SELECT client_id FROM patients WHERE name LIKE @q ESCAPE '\\' AND gone = 0
    ) LIMIT 20`);
  const findByDigits = db.prepare<{ q: string }, { id: number }>(
    "SELECT DISTINCT client_id id FROM contact_points WHERE kind = 'phone' AND (nanp_key LIKE @q OR value LIKE @q) LIMIT 20",
  );
  const clientLang = db.prepare<[number], { language: string }>('SELECT language FROM clients WHERE id = ?');
  const unreadCount = db.prepare<[], { n: number }>('SELECT COUNT(*) n FROM conversations WHERE unread_count > 0');
  const arrivals = db.prepare<[string, string], { n: number }>('SELECT COUNT(*) n FROM appointments WHERE start_utc >= ? AND start_utc < ? AND arrived_at IS NOT NULL AND gone = 0');
  const setConfirm = db.prepare('UPDATE appointments SET confirm_state = ?, confirm_at = ? WHERE id = ?');
  const setArrived = db.prepare('UPDATE appointments SET arrived_at = ? WHERE id = ?');

  const staffNames = () => settings.getDoc<string[]>('inbox.staff') ?? [];
  const who = (s?: string | null) => s?.trim() || null;

  const analyze = (conversationId: number | null | undefined, body: string): SmsDraftAnalysis => {
    let clientId: number | null = null;
    if (conversationId) clientId = conversations.row(conversationId).client_id;
    const { text, missing } = renderMerge(body, mergeValuesFor(db, settings, clientId));
    const a = analyzeSms(text);
    const fix = smartCharsFix(body);
    const price = settings.twilio()?.pricePerSegment ?? 0.0083;
    return {
      rendered: a.normalized,
      encoding: a.encoding,
      segments: a.segments,
      characters: a.characters,
      perSegmentLimit: a.perSegmentLimit,
      nonGsmChars: a.nonGsmChars,
      fixable: fix.replaced,
      fixed: fix.text,
      estCost: Math.round(a.segments * price * 10000) / 10000,
      error: a.normalized.length > MAX_SMS_BODY ? `Texts can be at most ${MAX_SMS_BODY} characters; this one has ${a.normalized.length}.` : null,
      missingFields: missing,
    };
  };

  const renderOrThrow = (body: string, values: ReturnType<typeof mergeValuesFor>) => {
    const { text, missing } = renderMerge(body, values);
    if (missing.length) throw new ApiError('merge-fields', `Fill in or remove ${missing.map((m) => `{{${m}}}`).join(', ')}: there is no value for this conversation.`);
    return text;
  };

  const candidates = (ids: number[]): ClientCandidate[] => ids.map((id) => thread.candidate(id, null));

  const handlers: InboxHandlers = {
    'inbox.list': (a) => list(a ?? {}),
    'inbox.thread': ({ conversationId, before, limit }) => thread.read(conversationId, before, limit),
    'inbox.markRead': ({ conversationId }) => {
      conversations.row(conversationId);
      conversations.markRead(conversationId);
      changed(conversationId);
      return conversations.summary(conversationId);
    },
    'inbox.assign': ({ conversationId, staff, by }) => {
      conversations.assign(conversationId, who(staff), who(by));
      changed(conversationId);
      return conversations.summary(conversationId);
    },
    'inbox.close': ({ conversationId, by }) => {
      conversations.setStatus(conversationId, 'closed', who(by));
      changed(conversationId);
      return conversations.summary(conversationId);
    },
    'inbox.reopen': ({ conversationId, by }) => {
      conversations.setStatus(conversationId, 'open', who(by));
      changed(conversationId);
      return conversations.summary(conversationId);
    },
    'inbox.addNote': ({ conversationId, body, author }) => {
      const text = (body ?? '').trim();
      if (!text) throw new ApiError('validation', 'Type the note first.');
      if (text.length > 4000) throw new ApiError('validation', 'Notes can be at most 4,000 characters.');
      conversations.row(conversationId);
      const id = db.transaction(() => {
        const nid = conversations.addNote(conversationId, 'note', text, who(author));
        search.reindex(conversationId);
        return nid;
      })();
      changed(conversationId);
      return { id };
    },
    'inbox.link': ({ conversationId, clientId, by }) => {
      const c = conversations.row(conversationId);
      const target = db.transaction(() => {
        const id = conversations.link(conversationId, clientId, who(by));
        // Remember the choice for matching; a short code is never stored as a household's number.
        if (isPhoneAddress(c.address)) linkNumber.run(c.address, clientId, who(by), clock.now().toISOString());
        const name = thread.candidate(clientId, null).name;
        conversations.addNote(id, 'event', `Linked to ${name}`, who(by));
        search.reindex(id);
        return id;
      })();
      changed(conversationId, target);
      return conversations.summary(target);
    },
    'inbox.findClients': ({ q }) => {
      const text = (q ?? '').trim();
      if (text.length < 2) return [];
      const digits = text.replace(/\D/g, '');
      if (/^[+()\d\s.-]+$/.test(text) && digits.length >= 3) {
        const ten = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
        return candidates(findByDigits.all({ q: `%${ten}%` }).map((r) => r.id));
      }
      const like = `%${text.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
      return candidates(findClients.all({ q: like }).map((r) => r.id));
    },
    'inbox.openForClient': ({ clientId }) => {
      const phone = smsNumber.get(clientId)?.value;
      if (!phone) throw new ApiError('reply.blocked', 'This client has no cell number on file, so there is nothing to text.');
      const id = conversations.ensure(phone, clientId, 'client', clock.now().toISOString());
      search.reindex(id);
      changed(id);
      return conversations.summary(id);
    },
    'inbox.analyze': ({ conversationId, body }) => analyze(conversationId, body ?? ''),
    'inbox.templates': () => replyTemplates(db, clock),
    'inbox.renderTemplate': ({ conversationId, templateId }) => {
      const c = conversations.row(conversationId);
      const lang = c.client_id === null ? 'en' : (clientLang.get(c.client_id)?.language ?? 'en');
      const t = replyTemplates(db, clock, lang).find((x) => x.id === templateId);
      if (!t) throw new ApiError('not-found', 'That template no longer exists.');
      // Fields without a value stay visible in the composer so staff fill them in by hand.
      return { text: renderMerge(t.body, mergeValuesFor(db, settings, c.client_id)).text };
    },
    'inbox.send': ({ conversationId, body, requestId, staff, quietHours }) => {
      if (!requestId) throw new ApiError('validation', 'Missing request id.');
      const c = conversations.row(conversationId);
      const text = renderOrThrow(body ?? '', mergeValuesFor(db, settings, c.client_id));
      const r = queueStaffText(
        { outbox, consent, settings, clock, pimsNoSms },
        { conversationId, clientId: c.client_id, to: c.address, body: text, dedupeKey: `reply:${conversationId}:${requestId}`, staff: who(staff), quietHours },
      );
      if (!r.duplicate) {
        db.transaction(() => {
          conversations.touch(conversationId, { at: clock.now().toISOString(), direction: 'outbound', preview: text });
          conversations.markRead(conversationId);
          conversations.clearAttention(conversationId);
          search.reindex(conversationId);
        })();
        changed(conversationId);
      }
      return r;
    },
    'inbox.optOut': ({ conversationId, by }) => {
      const c = conversations.row(conversationId);
      if (!isPhoneAddress(c.address)) throw new ApiError('reply.blocked', 'A short code cannot be opted out here.');
      db.transaction(() => {
        consent.record({ address: c.address, channel: 'sms', status: 'opt-out', source: 'staff', detail: 'probable opt-out confirmed' });
        outbox.withdraw({ toAddress: c.address, channel: 'sms' }, 'opted out by staff');
        conversations.clearAttention(conversationId);
        conversations.addNote(conversationId, 'event', 'Opted this number out of texts', who(by));
      })();
      changed(conversationId);
      return conversations.summary(conversationId);
    },
    'inbox.media': ({ mediaId }) => {
      const m = mediaRow.get(mediaId);
      if (!m || m.state !== 'stored' || !m.file) throw new ApiError('not-found', 'This picture has not been downloaded yet.');
      if ((m.bytes ?? 0) > MAX_INLINE_MEDIA) throw new ApiError('too-large', 'This attachment is too large to show here.');
      const root = path.resolve(ctx.dataDir, 'media');
      const file = path.resolve(ctx.dataDir, m.file);
      if (!file.startsWith(root + path.sep)) throw new ApiError('not-found', 'This picture is missing from the data folder.');
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new ApiError('not-found', 'This picture is missing from the data folder.');
      }
      // Only the type Twilio gave, reduced to type/subtype: nothing that could turn into markup.
      const type = /^[a-z]+\/[a-z0-9.+-]+$/i.test(m.content_type) ? m.content_type.toLowerCase() : 'application/octet-stream';
      return { contentType: type, bytes: bytes.length, dataUrl: `data:${type};base64,${bytes.toString('base64')}` };
    },
    'inbox.retryMedia': ({ messageId }) => {
      const queued = inbound.media.retry(messageId);
      if (queued) void inbound.media.fetch(messageId);
      return { queued };
    },
    'inbox.pollNow': async () => {
      const r = await inbound.pollOnce();
      if (r.error && r.error.kind !== 'not-configured') throw new ApiError(`twilio.${r.error.kind}`, `Could not check for new texts: ${r.error.message}`);
      return { fetched: r.fetched, stored: r.stored };
    },
    'inbox.staff': () => staffNames(),
    'inbox.saveStaff': (arg) => {
      const names = arg?.names;
      if (!Array.isArray(names) || names.length > 50 || names.some((n) => typeof n !== 'string' || n.trim().length > 60))
        throw new ApiError('validation', 'Staff names: give a list of up to 50 names, each at most 60 characters.', { names: 'Up to 50 names of at most 60 characters' });
      const clean = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
      settings.setDoc('inbox.staff', clean);
      return clean;
    },

    'schedule.day': ({ date } = {}) => board.day(date),
    'schedule.message': ({ appointmentId, kind, body, requestId, staff, quietHours }) => {
      if (!requestId) throw new ApiError('validation', 'Missing request id.');
      const a = board.one(appointmentId);
      if (!a.smsTo || a.clientId === null) throw new ApiError('reply.blocked', `Cannot text this owner: ${a.smsBlocked ?? 'no cell number'}.`);
      const lang = clientLang.get(a.clientId)?.language ?? 'en';
      const raw = kind === 'custom' ? (body ?? '') : (replyTemplates(db, clock, lang).find((t) => t.id === SCHEDULE_TEMPLATE[kind])?.body ?? '');
      if (!raw.trim()) throw new ApiError('validation', 'Type the message first.');
      const appt = apptById.get(appointmentId)!;
      const values = mergeValuesFor(db, settings, a.clientId, { petName: appt.pet_name, time: formatLocal(appt.start_utc, timeZone(), 'h:mm a') });
      const text = renderOrThrow(raw, values);
      const conversationId = conversations.ensure(a.smsTo, a.clientId, 'client', clock.now().toISOString());
      const r = queueStaffText(
        { outbox, consent, settings, clock, pimsNoSms },
        {
          conversationId,
          clientId: a.clientId,
          appointmentId,
          to: a.smsTo,
          body: text,
          dedupeKey: `schedule:${appointmentId}:${kind}:${requestId}`,
          staff: who(staff),
          quietHours,
          meta: { schedule: kind },
        },
      );
      if (!r.duplicate) {
        db.transaction(() => {
          conversations.touch(conversationId, { at: clock.now().toISOString(), direction: 'outbound', preview: text });
          search.reindex(conversationId);
        })();
        changed(conversationId);
        events.emit('schedule.changed', { appointmentIds: [appointmentId] });
      }
      return r;
    },
    'schedule.setState': ({ appointmentId, confirmState, arrived }) => {
      board.one(appointmentId);
      const now = clock.now().toISOString();
      const states: ScheduleConfirmState[] = ['none', 'requested', 'confirmed', 'reschedule', 'no-answer'];
      db.transaction(() => {
        if (confirmState !== undefined) {
          if (!states.includes(confirmState)) throw new ApiError('validation', 'Unknown confirmation state.');
          setConfirm.run(confirmState, now, appointmentId);
        }
        if (arrived !== undefined) setArrived.run(arrived ? now : null, appointmentId);
      })();
      events.emit('schedule.changed', { appointmentIds: [appointmentId] });
      return board.one(appointmentId);
    },
  };

  const contributor: StatusContributor = (s) => {
    s.unreadConversations = unreadCount.get()?.n ?? 0;
    const today = DateTime.fromJSDate(clock.now(), { zone: timeZone() }).toISODate()!;
    const [from, to] = dayRangeUtc(today, timeZone());
    s.arrivalsToday = arrivals.get(from, to)?.n ?? 0;
  };

  return {
    handlers,
    contributor,
    service: inbound.service,
    inbound,
    search,
    conversations,
    /** For tests and the CLI: the FTS query a search text becomes. */
    ftsQuery,
    displayAddress,
  };
}

export type Inbox = ReturnType<typeof createInbox>;
