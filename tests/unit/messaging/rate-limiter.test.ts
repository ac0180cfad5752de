import { describe, expect, it } from 'vitest';
import { SegmentRateLimiter, SENDER_RATES, senderRate } from '../../../src-main/core/messaging/rate-limiter';
import { backoffMs, createRetryPolicy } from '../../../src-main/core/messaging/retry-policy';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('sender rates', () => {
  it('follow the sender type, with a custom figure for custom', () => {
    expect(senderRate('long-code', 9)).toBe(1);
    expect(senderRate('toll-free', 9)).toBe(3);
    expect(senderRate('short-code', 9)).toBe(100);
    expect(senderRate('10dlc-low', 9)).toBe(SENDER_RATES['10dlc-low']);
    expect(senderRate('10dlc-standard', 9)).toBe(4);
    expect(senderRate('custom', 9)).toBe(9);
  });
});

describe('segment token bucket', () => {
  it('allows the rate in segments per second, after a small burst', () => {
    const c = clock();
    const l = new SegmentRateLimiter({ rate: 10, burstSeconds: 0.5, now: c.now });
    let sent = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      while (l.tryTake(1)) sent++;
      c.advance(10);
    }
    // 5 burst + 10/s for 10 s
    expect(sent).toBeGreaterThanOrEqual(104);
    expect(sent).toBeLessThanOrEqual(106);
  });

  it('counts segments: a 3-part text costs three tokens; one longer than the bucket goes when full, leaving debt', () => {
    const c = clock();
    const l = new SegmentRateLimiter({ rate: 2, burstSeconds: 1, now: c.now });
    expect(l.tryTake(3)).toBe(true); // bucket of 2 is full: goes, 1 in debt
    expect(l.tryTake(1)).toBe(false);
    expect(l.msUntil(1)).toBe(1000);
    c.advance(1000);
    expect(l.tryTake(1)).toBe(true);
  });

  it('halves its rate on a 429 and recovers gradually after a quiet spell', () => {
    const c = clock();
    const l = new SegmentRateLimiter({ rate: 20, now: c.now, recoverAfterMs: 1000 });
    l.slowDown();
    expect(l.currentRate).toBe(10);
    l.slowDown(); // same burst of answers: counted once
    expect(l.currentRate).toBe(10);
    c.advance(200);
    l.slowDown();
    expect(l.currentRate).toBe(5);
    expect(l.tryTake(1)).toBe(false);
    c.advance(1500);
    expect(l.currentRate).toBeGreaterThan(5);
    c.advance(10_000);
    expect(l.currentRate).toBe(20);
  });

  it('never goes below a tenth of the configured rate, and unlimited stays unlimited', () => {
    const c = clock();
    const l = new SegmentRateLimiter({ rate: 10, now: c.now });
    for (let i = 0; i < 20; i++) {
      l.slowDown();
      c.advance(2000);
    }
    expect(l.currentRate).toBeGreaterThanOrEqual(1);
    const u = new SegmentRateLimiter({ rate: Infinity });
    for (let i = 0; i < 1000; i++) expect(u.tryTake(5)).toBe(true);
    expect(u.msUntil(100)).toBe(0);
  });
});

describe('retry backoff', () => {
  it('grows exponentially with equal jitter, capped', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 0)).toBe(4000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    const seen = new Set(Array.from({ length: 50 }, () => backoffMs(3, 1000, 60_000)));
    expect(seen.size).toBeGreaterThan(10);
    for (const v of seen) expect(v).toBeGreaterThanOrEqual(2000);
  });

  it('gives up on server errors after the configured attempts only', () => {
    const p = createRetryPolicy({ maxAttempts: 3 });
    expect(p.exhausted(2)).toBe(false);
    expect(p.exhausted(3)).toBe(true);
  });
});
