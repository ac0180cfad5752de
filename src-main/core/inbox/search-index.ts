import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { numberTokens } from './format';

/**
 * One FTS5 document per conversation (rowid = conversation id): the household's names, its pets,
 * every way of writing its numbers, and the thread's text (inbound texts, staff replies, notes).
 * Rebuilt whole when the conversation changes; a thread is small, so this stays cheap, and a
 * search returns each conversation once without DISTINCT over thousands of message hits.
 */
export interface SearchIndex {
  reindex(conversationId: number): void;
  /** Re-reads households the importer changed since they were indexed; returns how many. */
  refreshStale(limit?: number): number;
  /** Full rebuild (bench, repair). */
  rebuildAll(): number;
}

export function createSearchIndex(db: Db, clock: Clock): SearchIndex {
  const conv = db.prepare<[number], { id: number; address: string; client_id: number | null }>('SELECT id, address, client_id FROM conversations WHERE id = ?');
  const client = db.prepare<[number], { first_name: string | null; last_name: string | null; spouse_name: string | null }>(
    'SELECT first_name, last_name, spouse_name FROM clients WHERE id = ?',
  );
  const pets = db.prepare<[number], { name: string }>('SELECT name FROM patients WHERE client_id = ? AND gone = 0 AND name IS NOT NULL');
  const phones = db.prepare<[number], { value: string }>("SELECT value FROM contact_points WHERE client_id = ? AND kind = 'phone' AND value IS NOT NULL");
  const texts = db.prepare<[number, number, number], { body: string }>(`
    SELECT body FROM inbound_messages WHERE conversation_id = ?
    UNION ALL SELECT body FROM conversation_notes WHERE conversation_id = ? AND kind = 'note'
    UNION ALL SELECT body FROM messages WHERE conversation_id = ?`);
  const del = db.prepare('DELETE FROM inbox_fts WHERE rowid = ?');
  const ins = db.prepare('INSERT INTO inbox_fts (rowid, names, pets, numbers, messages) VALUES (?, ?, ?, ?, ?)');
  const mark = db.prepare('UPDATE conversations SET indexed_at = ? WHERE id = ?');
  const stale = db.prepare<[number], { id: number }>(`
    SELECT c.id FROM conversations c JOIN clients k ON k.id = c.client_id
    WHERE c.indexed_at IS NULL OR k.updated_at > c.indexed_at
       OR EXISTS (SELECT 1 FROM patients p WHERE p.client_id = c.client_id AND p.updated_at > c.indexed_at)
    LIMIT ?`);

  const reindex = (id: number) => {
    const c = conv.get(id);
    del.run(id);
    if (!c) return;
    let names = '';
    let petNames = '';
    const numbers = new Set(numberTokens(c.address));
    if (c.client_id !== null) {
      const k = client.get(c.client_id);
      names = [k?.first_name, k?.last_name, k?.spouse_name].filter(Boolean).join(' ');
      petNames = pets.all(c.client_id).map((p) => p.name).join(' ');
      for (const p of phones.all(c.client_id)) for (const t of numberTokens(p.value)) numbers.add(t);
    }
    const body = texts.all(id, id, id).map((t) => t.body).join('\n');
    ins.run(id, names, petNames, [...numbers].join(' '), body);
    mark.run(clock.now().toISOString(), id);
  };

  return {
    reindex,
    refreshStale(limit = 500) {
      const ids = stale.all(limit).map((r) => r.id);
      if (ids.length) db.transaction(() => ids.forEach(reindex))();
      return ids.length;
    },
    rebuildAll() {
      const ids = db.prepare<[], { id: number }>('SELECT id FROM conversations').all().map((r) => r.id);
      db.transaction(() => {
        db.prepare('DELETE FROM inbox_fts').run();
        ids.forEach(reindex);
      })();
      return ids.length;
    },
  };
}

/**
 * Turns what the receptionist typed into an FTS5 query: every word must match as a prefix, in
 * any column. Something that looks like a phone number ("555-0123", "(206) 555 0123") is searched
 * as one run of digits against the numbers column. Returns null when nothing searchable is left.
 */
export function ftsQuery(input: string): string | null {
  const text = input.normalize('NFKC').trim();
  if (!text) return null;
  if (/^[+()\d\s.-]+$/.test(text) && /\d{3}/.test(text.replace(/\D/g, ''))) {
    let digits = text.replace(/\D/g, '');
    if (digits.length > 11) digits = digits.slice(-11);
    return `numbers : "${digits}"*`;
  }
  // Split where the tokenizer splits ("Rex's" -> rex, s), so each part is a prefix of a token.
  const words = text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  if (!words.length) return null;
  return words.map((w) => `"${w}"*`).join(' AND ');
}
