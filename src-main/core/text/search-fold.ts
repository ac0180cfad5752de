/**
 * Accent- and case-blind matching for name searches. A receptionist types "Cote" for Côté and
 * "Chloe" for Chloé (or the reverse, copying a name from an email), and SQLite's LIKE folds only
 * ASCII case: 'ô' never matches 'o', nor 'Ô' 'ô'.
 */
import type Database from 'better-sqlite3';

/** Letters that are not a base letter plus a combining mark, so NFD leaves them whole. */
const SPECIAL: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', ð: 'd', þ: 'th', ı: 'i' };

/** 'Côté' -> 'cote', 'CHLOÉ' -> 'chloe', 'Søren' -> 'soren'. */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßđłðþı]/g, (c) => SPECIAL[c] ?? c);
}

const FOLD_FN = 'pl_search_fold';
const registered = new WeakSet<Database.Database>();

/** Makes `pl_search_fold(text)` callable on this connection (once per connection). */
export function registerSearchFold(db: Database.Database): void {
  if (registered.has(db)) return;
  // Names repeat (a clinic has hundreds of Côtés): remembering each folded name saves most of the work.
  const memo = new Map<string, string>();
  db.function(FOLD_FN, { deterministic: true }, (v: unknown) => {
    if (typeof v !== 'string') return v;
    let f = memo.get(v);
    if (f === undefined) {
      if (memo.size > 200_000) memo.clear();
      memo.set(v, (f = foldForSearch(v)));
    }
    return f;
  });
  registered.add(db);
}

/**
 * SQL for a column as a folded search key. Only values with a non-ASCII character go through the
 * JavaScript function: plain ASCII names, the vast majority, stay with LIKE's own ASCII case folding
 * and cost nothing extra. Compare it with LIKE against a pattern built from foldForSearch(query).
 */
export function foldedColumn(column: string): string {
  return `(CASE WHEN ${column} GLOB '*[^ -~]*' THEN ${FOLD_FN}(${column}) ELSE ${column} END)`;
}
