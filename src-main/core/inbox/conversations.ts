import type { ConversationAttention, ConversationMatch, ConversationSummary } from '../../contract';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import { clientName, displayAddress, previewOf } from './format';

export interface ConversationRow {
  id: number;
  address: string;
  client_id: number | null;
  match: ConversationMatch;
  status: 'open' | 'closed';
  assigned_to: string | null;
  unread_count: number;
  attention: Exclude<ConversationAttention, null> | null;
  last_message_at: string;
  last_direction: 'inbound' | 'outbound' | 'note' | null;
  last_preview: string;
  created_at: string;
  updated_at: string;
  indexed_at: string | null;
}

/** Columns the list and the thread header need; `c` is conversations, `k` the client. */
export const SUMMARY_SELECT = `
  c.id, c.address, c.client_id, c.match, c.status, c.assigned_to, c.unread_count, c.attention,
  c.last_message_at, c.last_direction, c.last_preview, k.first_name, k.last_name,
  (SELECT group_concat(name, char(31)) FROM (SELECT p.name FROM patients p
     WHERE p.client_id = c.client_id AND p.gone = 0 AND p.deceased = 0 AND p.name IS NOT NULL ORDER BY p.id LIMIT 6)) pets`;

export interface SummaryRow
  extends Pick<ConversationRow, 'id' | 'address' | 'client_id' | 'match' | 'status' | 'assigned_to' | 'unread_count' | 'attention' | 'last_message_at' | 'last_direction' | 'last_preview'> {
  first_name: string | null;
  last_name: string | null;
  pets: string | null;
}

export function toSummary(r: SummaryRow): ConversationSummary {
  return {
    id: r.id,
    address: r.address,
    displayAddress: displayAddress(r.address),
    match: r.match,
    clientId: r.client_id,
    clientName: r.client_id === null ? null : (clientName(r.first_name, r.last_name) ?? `Client #${r.client_id}`),
    pets: r.pets ? r.pets.split('\u001f') : [],
    status: r.status,
    assignedTo: r.assigned_to,
    unread: r.unread_count,
    attention: r.attention,
    lastMessageAt: r.last_message_at,
    lastDirection: r.last_direction,
    lastPreview: r.last_preview,
  };
}

export interface TouchOptions {
  at: string;
  direction: 'inbound' | 'outbound' | 'note';
  preview: string;
  /** Counts toward unread (a text someone should read). */
  unread?: boolean;
  attention?: Exclude<ConversationAttention, null>;
  /** A new inbound text reopens a closed conversation. */
  reopen?: boolean;
}

export interface Conversations {
  /** The conversation for this number and household, created when needed. */
  ensure(address: string, clientId: number | null, match: ConversationMatch, at: string): number;
  touch(id: number, o: TouchOptions): void;
  row(id: number): ConversationRow;
  summary(id: number): ConversationSummary;
  markRead(id: number): void;
  assign(id: number, staff: string | null, by: string | null): void;
  setStatus(id: number, status: 'open' | 'closed', by: string | null): void;
  clearAttention(id: number): void;
  addNote(id: number, kind: 'note' | 'event', body: string, author: string | null): number;
  /**
   * Gives an unknown or ambiguous conversation a household. When that household already has a
   * conversation on this number, the two merge into it. Returns the surviving id.
   */
  link(id: number, clientId: number, by: string | null): number;
}

export function createConversations(db: Db, clock: Clock): Conversations {
  const find = db.prepare<[string, number], { id: number; match: ConversationMatch }>(
    'SELECT id, match FROM conversations WHERE address = ? AND coalesce(client_id, 0) = ?',
  );
  const insert = db.prepare(
    `INSERT INTO conversations (address, client_id, match, last_message_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const setMatch = db.prepare('UPDATE conversations SET match = ?, updated_at = ? WHERE id = ?');
  const rowStmt = db.prepare<[number], ConversationRow>('SELECT * FROM conversations WHERE id = ?');
  const summaryStmt = db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_SELECT} FROM conversations c LEFT JOIN clients k ON k.id = c.client_id WHERE c.id = ?`);
  // Catch-up after an outage may deliver older texts after newer ones: the list keeps the newest line.
  const touchStmt = db.prepare(`
    UPDATE conversations SET
      last_preview = CASE WHEN @at >= last_message_at THEN @preview ELSE last_preview END,
      last_direction = CASE WHEN @at >= last_message_at THEN @direction ELSE last_direction END,
      last_message_at = max(last_message_at, @at),
      unread_count = unread_count + @unread,
      attention = coalesce(@attention, attention),
      status = CASE WHEN @reopen THEN 'open' ELSE status END,
      updated_at = @now
    WHERE id = @id`);
  const readStmt = db.prepare('UPDATE conversations SET unread_count = 0, updated_at = ? WHERE id = ? AND unread_count > 0');
  const assignStmt = db.prepare('UPDATE conversations SET assigned_to = ?, updated_at = ? WHERE id = ?');
  const statusStmt = db.prepare('UPDATE conversations SET status = ?, unread_count = CASE WHEN ? = \'closed\' THEN 0 ELSE unread_count END, attention = CASE WHEN ? = \'closed\' THEN NULL ELSE attention END, updated_at = ? WHERE id = ?');
  const attentionStmt = db.prepare('UPDATE conversations SET attention = NULL, updated_at = ? WHERE id = ?');
  const noteStmt = db.prepare('INSERT INTO conversation_notes (conversation_id, kind, author, body, at) VALUES (?, ?, ?, ?, ?)');
  const clientExists = db.prepare<[number], { id: number }>('SELECT id FROM clients WHERE id = ? AND gone = 0');

  const now = () => clock.now().toISOString();
  const row = (id: number) => {
    const r = rowStmt.get(id);
    if (!r) throw new ApiError('not-found', 'That conversation no longer exists. Reload the inbox.');
    return r;
  };
  const addNote = (id: number, kind: 'note' | 'event', body: string, author: string | null) =>
    Number(noteStmt.run(id, kind, author, body, now()).lastInsertRowid);

  const link = db.transaction((id: number, clientId: number, by: string | null): number => {
    const c = row(id);
    if (!clientExists.get(clientId)) throw new ApiError('not-found', 'That client is not in the imported records any more.');
    if (c.client_id === clientId) return id;
    const t = now();
    const existing = find.get(c.address, clientId);
    let target = id;
    if (existing && existing.id !== id) {
      // Move the thread's history into the household's conversation and drop the empty shell.
      target = existing.id;
      db.prepare('UPDATE inbound_messages SET conversation_id = ?, client_id = ? WHERE conversation_id = ?').run(target, clientId, id);
      db.prepare('UPDATE conversation_notes SET conversation_id = ? WHERE conversation_id = ?').run(target, id);
      db.prepare('UPDATE messages SET conversation_id = ?, client_id = coalesce(client_id, ?) WHERE conversation_id = ?').run(target, clientId, id);
      db.prepare(`UPDATE conversations SET unread_count = unread_count + ?, last_message_at = max(last_message_at, ?),
        last_preview = CASE WHEN ? > last_message_at THEN ? ELSE last_preview END, status = 'open', updated_at = ? WHERE id = ?`).run(
        c.unread_count, c.last_message_at, c.last_message_at, c.last_preview, t, target,
      );
      db.prepare('DELETE FROM inbox_fts WHERE rowid = ?').run(id);
      db.prepare('DELETE FROM conversations WHERE id = ?').run(id);
    } else {
      db.prepare("UPDATE conversations SET client_id = ?, match = 'client', indexed_at = NULL, updated_at = ? WHERE id = ?").run(clientId, t, id);
      db.prepare('UPDATE inbound_messages SET client_id = ? WHERE conversation_id = ?').run(clientId, id);
    }
    return target;
  });

  return {
    ensure(address, clientId, match, at) {
      const hit = find.get(address, clientId ?? 0);
      if (hit) {
        if (hit.match !== match) setMatch.run(match, now(), hit.id);
        return hit.id;
      }
      const t = now();
      return Number(insert.run(address, clientId, match, at, t, t).lastInsertRowid);
    },
    touch(id, o) {
      touchStmt.run({
        id,
        at: o.at,
        preview: previewOf(o.preview),
        direction: o.direction,
        unread: o.unread ? 1 : 0,
        attention: o.attention ?? null,
        reopen: o.reopen ? 1 : 0,
        now: now(),
      });
    },
    row,
    summary(id) {
      const r = summaryStmt.get(id);
      if (!r) throw new ApiError('not-found', 'That conversation no longer exists. Reload the inbox.');
      return toSummary(r);
    },
    markRead: (id) => void readStmt.run(now(), id),
    assign(id, staff, by) {
      const c = row(id);
      const who = staff?.trim() || null;
      if (c.assigned_to === who) return;
      assignStmt.run(who, now(), id);
      addNote(id, 'event', who ? `Assigned to ${who}` : 'Unassigned', by);
    },
    setStatus(id, status, by) {
      const c = row(id);
      if (c.status === status) return;
      statusStmt.run(status, status, status, now(), id);
      addNote(id, 'event', status === 'closed' ? 'Closed' : 'Reopened', by);
    },
    clearAttention: (id) => void attentionStmt.run(now(), id),
    addNote,
    link: (id, clientId, by) => link(id, clientId, by),
  };
}
