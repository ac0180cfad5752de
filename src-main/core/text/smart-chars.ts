/**
 * Typographic characters that word processors and phones insert, mapped to GSM-7 equivalents.
 * One of them alone turns a message into UCS-2 and more than doubles its segment count.
 * Letters (accents in names such as 'Côté') are deliberately left alone: a person's name is
 * not ours to respell; the composer shows the UCS-2 cost instead.
 */
const REPLACEMENTS: Record<string, string> = {};

function map(chars: string, to: string): void {
  for (const ch of chars) REPLACEMENTS[ch] = to;
}

map('\u2018\u2019\u201A\u201B\u2032\u2035\u02BB\u02BC\u02B9\u2039\u203A\u00B4\u0060\uFF07', "'");
map('\u201C\u201D\u201E\u201F\u2033\u2036\u02BA\u02DD\u02EE\u00AB\u00BB\u3003\uFF02', '"');
map('\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D\u2043', '-');
map('\u2026', '...');
map('\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000\u1680\t', ' ');
map('\u2028\u2029', '\n');
map('\u2022\u2023\u25E6\u2219\u00B7', '-');
map('\u02C6', '^');
map('\u02DC', '~');
map('\u2044\u2215', '/');
map('\uFF1A', ':');
map('\uFF1B', ';');
map('\uFF0C', ',');
map('\uFF0E', '.');
map('\uFF01', '!');
map('\uFF1F', '?');
// Invisible characters that only cost segments. Zero-width joiners are kept: emoji sequences need them.
map('\u200B\u2060\uFEFF\u00AD', '');

const pattern = new RegExp(`[${Object.keys(REPLACEMENTS).map(escapeForClass).join('')}]`, 'gu');

function escapeForClass(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

export interface SmartCharsResult {
  text: string;
  /** How many characters were replaced or removed. */
  replaced: number;
}

export function smartCharsFix(body: string): SmartCharsResult {
  let replaced = 0;
  const text = body.normalize('NFC').replace(pattern, (ch) => {
    replaced++;
    return REPLACEMENTS[ch] ?? ch;
  });
  return { text, replaced };
}
