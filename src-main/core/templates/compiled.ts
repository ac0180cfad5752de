import Mustache from 'mustache';

/** Literal text, or the index of a field in the template's list of distinct field names. */
type Part = string | { field: number; escaped: boolean };

/**
 * A text template made only of literal text and {{field}} / {{{field}}} / {{&field}} tags (with
 * comments and delimiter changes), as nearly every message template is, turned into a list of
 * parts: a render is then their concatenation, without mustache's per-render machinery. A
 * 30,000-client campaign renders every text once per recipient, so this is most of its rendering.
 *
 * The output is mustache's, byte for byte, with the plain escape renderTemplate uses for text:
 * the tokens are mustache's own parse, and a field is looked up as mustache looks it up in a
 * top-level view (a dotted path walks nested values and may end on a primitive's own property;
 * a function is called with the view; each distinct name is read once per render). Anything
 * else (sections, inverted sections, partials, '.') gives null: render with mustache.
 */
export function compileText(template: string): ((view: object) => string) | null {
  let tokens: unknown[][];
  try {
    tokens = Mustache.parse(template) as unknown[][];
  } catch {
    return null;
  }
  const names: string[] = [];
  const parts: Part[] = [];
  for (const t of tokens) {
    const [type, value] = t as [string, string];
    if (type === 'text') parts.push(value);
    else if (type === 'name' || type === '&') {
      // '.' is the view itself, and a name Object.prototype also has would meet mustache's own
      // lookup cache: leave both to mustache.
      if (value === '.' || value.split('.')[0]! in Object.prototype) return null;
      let field = names.indexOf(value);
      if (field < 0) field = names.push(value) - 1;
      parts.push({ field, escaped: type === 'name' });
    } else if (type !== '!' && type !== '=') return null;
  }
  const paths = names.map((n) => (n.indexOf('.') > 0 ? n.split('.') : null));

  return (view) => {
    const raw: unknown[] = new Array(names.length);
    const seen: boolean[] = new Array(names.length);
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      if (!seen[p.field]) {
        seen[p.field] = true;
        raw[p.field] = lookup(view, names[p.field]!, paths[p.field]!);
      }
      let value = raw[p.field];
      if (typeof value === 'function') value = value.call(view);
      if (value != null) out += p.escaped ? String(value) : (value as string);
    }
    return out;
  };
}

const isObject = (v: unknown): v is object => v != null && typeof v === 'object';
// A string's length, say: mustache lets a dotted path end on a primitive's own property.
const ownOfPrimitive = (v: unknown, key: string): boolean => {
  if (v == null || typeof v === 'object') return false;
  const own = (v as { hasOwnProperty?: (k: string) => boolean }).hasOwnProperty;
  return !!own && !!own.call(v, key);
};

/** A field's value in a top-level view, undefined when the view does not have it. */
function lookup(view: object, name: string, path: string[] | null): unknown {
  if (!path) return name in view ? (view as Record<string, unknown>)[name] : undefined;
  let v: unknown = view;
  let hit = false;
  for (let i = 0; v != null && i < path.length; i++) {
    const key = path[i]!;
    if (i === path.length - 1) hit = (isObject(v) && key in v) || ownOfPrimitive(v, key);
    v = (v as Record<string, unknown>)[key];
  }
  return hit ? v : undefined;
}
