/** Token bucket; a cost above the capacity passes only when the bucket is full, so one long message is never stuck. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }

  canTake(cost: number): boolean {
    this.refill();
    return this.tokens >= Math.min(cost, this.capacity);
  }

  take(cost: number): void {
    this.tokens -= Math.min(cost, this.capacity);
  }
}

export interface SendLimiter {
  /** true when the send may go ahead (and its tokens are spent). */
  admit(segments: number): boolean;
}

export function createSendLimiter(
  limit: { messagesPerSecond?: number; segmentsPerSecond?: number; burst?: number } | undefined,
  now: () => number,
): SendLimiter {
  const buckets: { bucket: TokenBucket; cost: (segments: number) => number }[] = [];
  if (limit?.messagesPerSecond) {
    const r = limit.messagesPerSecond;
    buckets.push({ bucket: new TokenBucket(r, limit.burst ?? Math.max(1, r), now), cost: () => 1 });
  }
  if (limit?.segmentsPerSecond) {
    const r = limit.segmentsPerSecond;
    buckets.push({ bucket: new TokenBucket(r, limit.burst ?? Math.max(1, r), now), cost: (s) => s });
  }
  return {
    admit(segments) {
      if (!buckets.every((b) => b.bucket.canTake(b.cost(segments)))) return false;
      for (const b of buckets) b.bucket.take(b.cost(segments));
      return true;
    },
  };
}
