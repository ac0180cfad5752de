/**
 * The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038).
 * Extension characters travel as ESC + char, so they cost two septets.
 * ESC itself is left out on purpose: a literal 0x1B in a body is never meant as text.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

const basicSet = new Set(BASIC);

// Code units of the basic alphabet, for a quick whole-string check (every basic character is below U+0400).
const basicCodes = new Uint8Array(0x400);
for (const c of BASIC) basicCodes[c.charCodeAt(0)] = 1;

/** True when every character is in the basic alphabet (one septet each; none is a surrogate). */
export function isGsmBasicOnly(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x400 || basicCodes[c] === 0) return false;
  }
  return true;
}
const extensionSet = new Set(EXTENSION);

/** Septets a code point costs in GSM-7, or 0 when it has no GSM-7 encoding. */
export function gsmSeptets(ch: string): 0 | 1 | 2 {
  if (basicSet.has(ch)) return 1;
  if (extensionSet.has(ch)) return 2;
  return 0;
}

export function isGsmExtension(ch: string): boolean {
  return extensionSet.has(ch);
}
