import type { SenderType } from '../../contract';

/**
 * Segments per second each sender type may send, from the carriers' published figures:
 *  - long-code: 1 segment/s (Twilio's limit for a plain long code).
 *  - 10dlc-low: 1.25/s (AT&T message class T, "low volume mixed": 75 per minute).
 *  - 10dlc-standard: 4/s (AT&T classes E/F, standard campaign with a vetting score under 50: 240 per minute).
 *    A better-vetted campaign gets more; the clinic enters it as 'custom'.
 *  - toll-free: 3/s (Twilio's default for a verified toll-free number).
 *  - short-code: 100/s (Twilio's default short-code throughput).
 * Throughput is counted in segments, so a 3-part text costs 3.
 */
export const SENDER_RATES: Record<Exclude<SenderType, 'custom'>, number> = {
  'long-code': 1,
  '10dlc-low': 1.25,
  '10dlc-standard': 4,
  'toll-free': 3,
  'short-code': 100,
};

export function senderRate(senderType: SenderType, customRate: number): number {
  return senderType === 'custom' ? customRate : SENDER_RATES[senderType];
}

export interface RateLimiterOptions {
  /** Segments per second; Infinity = no limit (benchmarks against a simulator). */
  rate: number;
  /**
   * Bucket size in seconds of the rate. Kept well under the provider's own one-second bucket, so
   * network jitter bunching our requests together never tips it into answering 429.
   */
  burstSeconds?: number;
  now?: () => number;
  /** After a 429, how long without another before the rate starts climbing back. */
  recoverAfterMs?: number;
}

/**
 * A token bucket per sender that counts segments. A message longer than the bucket may go when the
 * bucket is full and leaves it in debt, so the average rate still holds. On a 429 the effective rate
 * halves (never below a tenth of the configured one); after a quiet spell it climbs back by a tenth
 * of the configured rate per second until it is whole again.
 */
export class SegmentRateLimiter {
  readonly rate: number;
  private effective: number;
  private readonly capacity: number;
  private tokens: number;
  private last: number;
  private lastSlowdown = -Infinity;
  private readonly now: () => number;
  private readonly recoverAfterMs: number;
  slowdowns = 0;

  constructor(o: RateLimiterOptions) {
    this.rate = o.rate;
    this.effective = o.rate;
    this.now = o.now ?? Date.now;
    this.capacity = Number.isFinite(o.rate) ? Math.max(1, o.rate * (o.burstSeconds ?? 0.25)) : Infinity;
    this.tokens = this.capacity;
    this.last = this.now();
    this.recoverAfterMs = o.recoverAfterMs ?? 5_000;
  }

  get unlimited(): boolean {
    return !Number.isFinite(this.rate);
  }

  /** The rate currently applied (lower than `rate` for a while after a 429). */
  get currentRate(): number {
    this.refill();
    return this.effective;
  }

  private refill(): void {
    if (this.unlimited) return;
    const t = this.now();
    const dt = Math.max(0, t - this.last) / 1000;
    this.last = t;
    if (this.effective < this.rate && t - this.lastSlowdown > this.recoverAfterMs) {
      this.effective = Math.min(this.rate, this.effective + this.rate * 0.1 * dt);
    }
    this.tokens = Math.min(this.capacity, this.tokens + dt * this.effective);
  }

  /** Spends the segments' tokens when the bucket holds enough; false leaves the bucket untouched. */
  tryTake(segments: number): boolean {
    if (this.unlimited) return true;
    this.refill();
    const cost = Math.max(1, segments);
    if (this.tokens < Math.min(cost, this.capacity)) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `segments` could be taken (0 = now). */
  msUntil(segments: number): number {
    if (this.unlimited) return 0;
    this.refill();
    const need = Math.min(Math.max(1, segments), this.capacity) - this.tokens;
    return need <= 0 ? 0 : Math.ceil((need / this.effective) * 1000);
  }

  /** Gives back tokens of a claim that never went out (the channel closed before the request). */
  refund(segments: number): void {
    if (this.unlimited) return;
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(1, segments));
  }

  /** The provider answered 429: halve the rate and empty the bucket. */
  slowDown(): void {
    if (this.unlimited) return;
    this.refill();
    const t = this.now();
    // Several requests in flight all come back 429 together: count that as one signal.
    if (t - this.lastSlowdown > 1000 / Math.max(this.effective, 0.001)) {
      this.effective = Math.max(this.rate * 0.1, this.effective / 2);
      this.slowdowns++;
    }
    this.lastSlowdown = t;
    this.tokens = Math.min(this.tokens, 0);
  }
}
