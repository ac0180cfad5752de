import { gsmSeptets, isGsmBasicOnly } from './gsm7';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsAnalysis {
  /** The body as it will be sent: NFC-normalised, otherwise untouched (CRLF stays CRLF). */
  normalized: string;
  encoding: SmsEncoding;
  segments: number;
  /**
   * Length in the units the carrier counts: septets for GSM-7 (extension characters such as '€'
   * count 2), UTF-16 code units for UCS-2 (an emoji outside the BMP counts 2).
   */
  characters: number;
  /** 160/70 when the body fits one segment, else 153/67 (the user-data header takes the rest). */
  perSegmentLimit: number;
  /** Distinct characters that forced UCS-2, in order of first appearance. */
  nonGsmChars: string[];
}

export const GSM_SINGLE = 160;
export const GSM_MULTI = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTI = 67;

/** Twilio refuses a Body longer than this. */
export const MAX_SMS_BODY = 1600;

/**
 * Counts segments the way Twilio and handsets split a concatenated SMS. A two-unit item
 * (a GSM escape pair, a UTF-16 surrogate pair) never straddles a segment boundary: it moves
 * whole into the next part, so a part can carry one unit less than its limit.
 */
export function analyzeSms(body: string): SmsAnalysis {
  const normalized = body.normalize('NFC');
  // Most texts are plain GSM-7 with no extension characters: one septet each, no per-character walk.
  if (isGsmBasicOnly(normalized)) {
    const n = normalized.length;
    const segments = n === 0 ? 0 : n <= GSM_SINGLE ? 1 : Math.ceil(n / GSM_MULTI);
    return { normalized, encoding: 'GSM-7', segments, characters: n, perSegmentLimit: n <= GSM_SINGLE ? GSM_SINGLE : GSM_MULTI, nonGsmChars: [] };
  }
  const costs: number[] = [];
  const nonGsm: string[] = [];
  const seenNonGsm = new Set<string>();
  let septets = 0;
  // for..of walks code points, so a surrogate pair arrives as one item.
  for (const ch of normalized) {
    const s = gsmSeptets(ch);
    if (s === 0 && !seenNonGsm.has(ch)) {
      seenNonGsm.add(ch);
      nonGsm.push(ch);
    }
    costs.push(s);
    septets += s;
  }

  if (nonGsm.length === 0) {
    const { segments, perSegmentLimit } = pack(costs, GSM_SINGLE, GSM_MULTI);
    return { normalized, encoding: 'GSM-7', segments, characters: septets, perSegmentLimit, nonGsmChars: [] };
  }
  const units: number[] = [];
  for (const ch of normalized) units.push(ch.length);
  const { segments, perSegmentLimit } = pack(units, UCS2_SINGLE, UCS2_MULTI);
  return { normalized, encoding: 'UCS-2', segments, characters: normalized.length, perSegmentLimit, nonGsmChars: nonGsm };
}

function pack(costs: number[], single: number, multi: number): { segments: number; perSegmentLimit: number } {
  let total = 0;
  for (const c of costs) total += c;
  if (total === 0) return { segments: 0, perSegmentLimit: single };
  if (total <= single) return { segments: 1, perSegmentLimit: single };
  let segments = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > multi) {
      segments++;
      used = 0;
    }
    used += c;
  }
  return { segments, perSegmentLimit: multi };
}

export type SmsBodyCheck =
  | { ok: true; analysis: SmsAnalysis }
  | { ok: false; error: SmsBodyError };

export type SmsBodyError =
  | { code: 'SMS_BODY_EMPTY'; message: string }
  | { code: 'SMS_BODY_TOO_LONG'; message: string; length: number; max: number };

/**
 * Refuses what Twilio would refuse, before it is queued. Length is measured in UTF-16 code units
 * of the NFC body: never fewer than Twilio's own count, so a body we accept is never refused there.
 * A body of only whitespace counts as empty.
 */
export function validateSmsBody(body: string): SmsBodyCheck {
  const analysis = analyzeSms(body);
  if (analysis.normalized.trim() === '') {
    return { ok: false, error: { code: 'SMS_BODY_EMPTY', message: 'The message is empty.' } };
  }
  const length = analysis.normalized.length;
  if (length > MAX_SMS_BODY) {
    return {
      ok: false,
      error: {
        code: 'SMS_BODY_TOO_LONG',
        message: `The message is ${length} characters; a text can have at most ${MAX_SMS_BODY}. Shorten it by ${length - MAX_SMS_BODY}.`,
        length,
        max: MAX_SMS_BODY,
      },
    };
  }
  return { ok: true, analysis };
}

/**
 * Cost of a message at a per-segment price. Rounded to a micro-unit so that sums of many
 * messages do not drift with binary floating point noise.
 */
export function estimateCost(segments: number, pricePerSegment: number): number {
  if (!Number.isFinite(segments) || segments < 0) throw new RangeError('segments must be a non-negative number');
  if (!Number.isFinite(pricePerSegment) || pricePerSegment < 0) throw new RangeError('pricePerSegment must be a non-negative number');
  return Math.round(segments * pricePerSegment * 1e6) / 1e6;
}
