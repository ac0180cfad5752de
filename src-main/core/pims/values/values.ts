/** Small value parsers for PIMS flags, codes and free text. */

const TRUE_WORDS = new Set(['true', 't', 'y', 'yes', '1', '-1', 'x', 'on']);
const FALSE_WORDS = new Set(['false', 'f', 'n', 'no', '0', 'off']);

/**
 * True/False, Y/N, Yes/No, 1/0 in any case. Access/VB exports write true as -1.
 * Empty or unrecognised gives null, so the caller decides the default rather than this guessing.
 */
export function parseBool(raw: string | null | undefined): boolean | null {
  if (raw == null) return null;
  const key = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(key)) return true;
  if (FALSE_WORDS.has(key)) return false;
  return null;
}

export type Sex = 'M' | 'F' | 'U';

export interface SexAndNeuter {
  sex: Sex;
  /** null when the code does not say (plain 'Male', OpenVPMS does not export desexing). */
  neutered: boolean | null;
}

const SEX_CODES: Record<string, SexAndNeuter> = {
  M: { sex: 'M', neutered: null },
  F: { sex: 'F', neutered: null },
  MN: { sex: 'M', neutered: true },
  NM: { sex: 'M', neutered: true },
  MC: { sex: 'M', neutered: true },
  CM: { sex: 'M', neutered: true },
  FS: { sex: 'F', neutered: true },
  SF: { sex: 'F', neutered: true },
  MI: { sex: 'M', neutered: false },
  IM: { sex: 'M', neutered: false },
  FI: { sex: 'F', neutered: false },
  IF: { sex: 'F', neutered: false },
  U: { sex: 'U', neutered: null },
};

const SEX_WORDS: Record<string, SexAndNeuter> = {
  MALE: { sex: 'M', neutered: null },
  FEMALE: { sex: 'F', neutered: null },
  'NEUTERED MALE': { sex: 'M', neutered: true },
  'MALE NEUTERED': { sex: 'M', neutered: true },
  'CASTRATED MALE': { sex: 'M', neutered: true },
  'MALE CASTRATED': { sex: 'M', neutered: true },
  CASTRATED: { sex: 'M', neutered: true },
  'SPAYED FEMALE': { sex: 'F', neutered: true },
  'FEMALE SPAYED': { sex: 'F', neutered: true },
  'NEUTERED FEMALE': { sex: 'F', neutered: true },
  'FEMALE NEUTERED': { sex: 'F', neutered: true },
  SPAYED: { sex: 'F', neutered: true },
  NEUTERED: { sex: 'U', neutered: true },
  'INTACT MALE': { sex: 'M', neutered: false },
  'MALE INTACT': { sex: 'M', neutered: false },
  'ENTIRE MALE': { sex: 'M', neutered: false },
  'INTACT FEMALE': { sex: 'F', neutered: false },
  'FEMALE INTACT': { sex: 'F', neutered: false },
  'ENTIRE FEMALE': { sex: 'F', neutered: false },
  UNKNOWN: { sex: 'U', neutered: null },
  UNSPECIFIED: { sex: 'U', neutered: null },
};

/** 'MN', 'FS', 'M', 'Neutered Male', 'Spayed Female', 'Male', 'Unspecified', 'M/N', 'Male (neutered)'. */
export function parseSex(raw: string | null | undefined): SexAndNeuter {
  if (raw == null) return { sex: 'U', neutered: null };
  const words = raw.toUpperCase().replace(/[^A-Z]+/g, ' ').trim();
  const hit = SEX_WORDS[words] ?? SEX_CODES[words.replace(/ /g, '')];
  return hit ? { ...hit } : { sex: 'U', neutered: null };
}

const PLACEHOLDERS = new Set([
  'NAME NOT PROVIDED',
  'NOT PROVIDED',
  'UNKNOWN',
  'N/A',
  'N.A.',
  'NONE',
  'NULL',
  'NO NAME',
]);

// Zero-width and byte-order characters that sneak in from copy and paste.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g;
// C0/C1 controls except tab and newlines.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * A person's or pet's name: NFC, trimmed, inner whitespace collapsed. Placeholders a PIMS writes
 * for "no value" ('NAME NOT PROVIDED', 'UNKNOWN', 'n/a', 'none', '-', '?') and punctuation-only
 * values become null, so that no message ever greets "Dear UNKNOWN".
 */
export function cleanName(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw.normalize('NFC').replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (s === '') return null;
  if (PLACEHOLDERS.has(s.toUpperCase())) return null;
  if (/^[\p{P}\p{S}\s]+$/u.test(s)) return null;
  return s;
}

/**
 * Free text (notes, addresses, reasons): NFC, line endings made '\n', control characters removed,
 * trailing spaces on each line dropped, trimmed. Line breaks are kept: addresses and notes use them.
 */
export function cleanText(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(/[ \t\u00A0]+\n/g, '\n')
    .trim();
  return s === '' ? null : s;
}
