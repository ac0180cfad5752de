import type { InboundIntent } from '../../contract';

/**
 * What an inbound text asks for, from its words alone. Whether a confirmation is pending or an
 * appointment is today is decided by the caller: this only reads the text.
 *
 * Keywords count only as the whole message (one word, any case, punctuation around it ignored),
 * as carriers and Twilio's Advanced Opt-Out do: "please don't stop Rex's reminders" is a
 * conversation, not an opt-out.
 */
export type TextMeaning =
  | { kind: 'opt-out'; word: string }
  | { kind: 'opt-in'; word: string }
  /** YES: a confirmation when one is pending, else an opt-in when the number is opted out. */
  | { kind: 'yes'; word: string }
  | { kind: 'help'; word: string }
  | { kind: 'confirm'; word: string }
  | { kind: 'reschedule' }
  | { kind: 'arrived' }
  | { kind: 'probable-opt-out' }
  | { kind: 'none' };

export const OPT_OUT_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'REVOKE', 'OPTOUT']);
export const OPT_IN_WORDS = new Set(['START', 'UNSTOP']);
export const HELP_WORDS = new Set(['HELP', 'INFO']);
const CONFIRM_WORDS = new Set(['C', 'Y', 'CONFIRM', 'CONFIRMED', 'OK', 'OKAY']);
const RESCHEDULE_WORDS = new Set(['R', 'RESCHEDULE']);
const ARRIVED_WORDS = new Set(['HERE', 'ARRIVED']);

// 👍 with optional skin tone and variation selector; also 👌 and ✅, which owners use the same way.
const THUMBS_UP = /^(?:\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?|\u{1F44C}[\u{1F3FB}-\u{1F3FF}]?|\u2705|\u2714)\uFE0F?$/u;

// Words that may follow an opt-out word without changing its meaning ("Stop. Thank you", "STOP please").
const POLITE = new Set([
  'THANK', 'THANKS', 'THANKYOU', 'YOU', 'PLEASE', 'PLS', 'PLZ', 'NOW', 'TY', 'THX', 'OK', 'ALL', 'IT', 'ME',
  'TEXTING', 'TEXTS', 'TEXT', 'MESSAGES', 'MESSAGING', 'MSGS', 'SENDING', 'SMS', 'AGAIN',
]);
const STOP_PHRASES = /\b(stop (texting|messaging|sending|contacting)|unsubscribe me|opt me out|remove me from|take me off|do not (text|contact)|don'?t (text|contact) me)\b/;

const RESCHEDULE_PHRASES =
  /^(sorry[, ]+)?(i |we )?(can ?'?t|cannot|can not|won'?t|will not|wont) make it\b|^(need|have) to reschedule\b|^(please |pls )?reschedule\b|^(i |we )?(need|want|would like) to reschedule\b/;
const ARRIVED_PHRASES = /^(hi |hello |hey )?(we'?re|we are|were|i'?m|i am|im|am|just|we have|we've|i have|i've)? ?(here|arrived|outside|in the parking lot)( now)?$/;

/** Upper-case words with punctuation and symbols stripped (apostrophes inside words kept). */
export function keywordWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02BC`´]/g, "'")
    .toUpperCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .map((w) => w.replace(/[^\p{L}\p{N}']/gu, ''))
    .filter(Boolean);
}

/** Lower-case sentence with curly quotes straightened and punctuation (but apostrophes) dropped. */
function phraseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02BC`´]/g, "'")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function readText(body: string): TextMeaning {
  const trimmed = body.trim();
  if (THUMBS_UP.test(trimmed)) return { kind: 'confirm', word: '👍' };
  const words = keywordWords(trimmed);
  if (words.length === 1) {
    // "Stop!" and "S.T.O.P" read the same; "opt-out" is OPTOUT.
    const w = words[0]!.replace(/'/g, '');
    if (OPT_OUT_WORDS.has(w)) return { kind: 'opt-out', word: w };
    if (OPT_IN_WORDS.has(w)) return { kind: 'opt-in', word: w };
    if (HELP_WORDS.has(w)) return { kind: 'help', word: w };
    if (w === 'YES') return { kind: 'yes', word: w };
    if (CONFIRM_WORDS.has(w)) return { kind: 'confirm', word: w };
    if (RESCHEDULE_WORDS.has(w)) return { kind: 'reschedule' };
    if (ARRIVED_WORDS.has(w)) return { kind: 'arrived' };
  }
  // "opt out" written as two words is the same keyword.
  if (words.length === 2 && words[0] === 'OPT' && words[1] === 'OUT') return { kind: 'opt-out', word: 'OPTOUT' };
  const phrase = phraseText(trimmed);
  if (RESCHEDULE_PHRASES.test(phrase)) return { kind: 'reschedule' };
  if (ARRIVED_PHRASES.test(phrase)) return { kind: 'arrived' };
  if (isProbableOptOut(words, phrase)) return { kind: 'probable-opt-out' };
  return { kind: 'none' };
}

/**
 * "Stop. Thank you" or "please stop texting me": almost certainly an opt-out, but not the keyword
 * carriers act on, so a person decides. "Please don't stop Rex's reminders" is not flagged.
 */
function isProbableOptOut(words: string[], phrase: string): boolean {
  if (words.length >= 2 && words.length <= 6) {
    const lead = words[0] === 'PLEASE' || words[0] === 'PLS' ? 1 : 0;
    const first = words[lead]?.replace(/'/g, '');
    if (first && (first === 'STOP' || first === 'UNSUBSCRIBE' || first === 'OPTOUT' || first === 'STOPALL')) {
      if (words.slice(lead + 1).every((w) => POLITE.has(w.replace(/'/g, '')))) return true;
    }
  }
  if (/\b(don'?t|do not|dont|never) stop\b/.test(phrase)) return false;
  return STOP_PHRASES.test(phrase);
}

/** The stored intent for a meaning once the caller has applied it. */
export function intentOf(kind: TextMeaning['kind']): InboundIntent {
  return kind === 'yes' ? 'none' : kind;
}
