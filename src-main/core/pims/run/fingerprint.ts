/**
 * Fingerprint of a normalised record, stored as its row_hash and compared on the next import to
 * tell an updated row from an unchanged one. Not a security boundary: two independent 32-bit
 * multiplicative lanes over the record's cells (64 bits) make an accidental match of a
 * changed record negligible, and cost a fraction of building a string and hashing it with
 * SHA-1, which was a tenth of a whole import's time.
 *
 * The cells' types are part of the input (null is not '', 1 is not '1'), and a separator between
 * cells keeps ['ab', 'c'] apart from ['a', 'bc'].
 */
import type { Cell } from './ops';

export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x2545f491;

  add(v: Cell): this {
    if (v === null) return this.char(0x1);
    if (typeof v === 'number') {
      this.char(0x2);
      return this.text(String(v));
    }
    return this.char(0x5).text(v);
  }

  addAll(cells: readonly Cell[], from = 0, to = cells.length): this {
    for (let i = from; i < to; i++) this.add(cells[i]);
    return this;
  }

  /** The 64 bits as 11 characters of a 64-letter alphabet (6 bits each, the last one 4). */
  digest(): string {
    const h = mix(this.a ^ Math.imul(this.b, 0x9e3779b1));
    const l = mix(this.b ^ this.a);
    return String.fromCharCode(
      A[h & 63], A[(h >>> 6) & 63], A[(h >>> 12) & 63], A[(h >>> 18) & 63], A[(h >>> 24) & 63],
      A[((h >>> 30) | (l << 2)) & 63], A[(l >>> 4) & 63], A[(l >>> 10) & 63], A[(l >>> 16) & 63], A[(l >>> 22) & 63], A[(l >>> 28) & 63],
    );
  }

  private text(s: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  private char(c: number): this {
    this.a = Math.imul(this.a ^ c, 0x01000193);
    this.b = Math.imul(this.b + c, 0x5bd1e995) ^ (this.b >>> 15);
    return this;
  }
}

/** Character codes of 0-9, a-z, A-Z, '-' and '_'. */
const A = Uint8Array.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_', (c) => c.charCodeAt(0));

/** Spreads every input bit over the output (the usual finalising steps of a 32-bit integer hash). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fingerprint of one string (a whole row, for spotting exact repeats). */
export function textFingerprint(s: string): string {
  return new Fingerprint().add(s).digest();
}
