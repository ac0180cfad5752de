/**
 * SMS segment count as Twilio bills it: GSM-7 when every character is in the GSM 03.38 basic set or its
 * extension table (extension characters take two septets), otherwise UCS-2 counted in UTF-16 code units.
 * A part never splits an escape pair or a surrogate pair, which is why long bodies can need one more part
 * than a plain division suggests.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '\f^{}\\[~]|€';

const basic = new Set(Array.from(GSM_BASIC));
const extended = new Set(Array.from(GSM_EXTENDED));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  segments: number;
}

function isGsm(body: string): boolean {
  for (const ch of body) if (!basic.has(ch) && !extended.has(ch)) return false;
  return true;
}

/** Packs units (each of width 1 or 2, never split) into parts of `perPart`. */
function countParts(widths: number[], single: number, perPart: number): number {
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > perPart) {
      parts++;
      used = 0;
    }
    used += w;
  }
  return parts;
}

export function countSegments(body: string): SegmentInfo {
  if (isGsm(body)) {
    const widths = Array.from(body, (ch) => (extended.has(ch) ? 2 : 1));
    return { encoding: 'GSM-7', segments: countParts(widths, 160, 153) };
  }
  const widths = Array.from(body, (ch) => ch.length);
  return { encoding: 'UCS-2', segments: countParts(widths, 70, 67) };
}
