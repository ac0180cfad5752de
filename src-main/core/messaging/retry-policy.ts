/**
 * When to try a message again. Exponential backoff with "equal jitter" (half fixed, half random) so
 * that a batch that failed together does not come back together and fail together again.
 */
export interface RetryConfig {
  /** Server errors and timeouts. */
  transientBaseMs: number;
  transientCapMs: number;
  /** Network attempts (not counting 429s or offline spells) before the message is marked failed. */
  maxAttempts: number;
  /** 429 / 20429: short waits, never a failure. */
  rateLimitedBaseMs: number;
  rateLimitedCapMs: number;
  /** How long an uncertain send waits before Twilio's list is searched for it. */
  lookupBaseMs: number;
  lookupCapMs: number;
  /** 30003 (handset unreachable): one re-send after this long, at most maxDeliveryRetries times. */
  deliveryRetryDelayMs: number;
  maxDeliveryRetries: number;
}

export const DEFAULT_RETRY: RetryConfig = {
  transientBaseMs: 5_000,
  transientCapMs: 15 * 60_000,
  maxAttempts: 8,
  rateLimitedBaseMs: 1_000,
  rateLimitedCapMs: 30_000,
  lookupBaseMs: 2_000,
  lookupCapMs: 5 * 60_000,
  deliveryRetryDelayMs: 30 * 60_000,
  maxDeliveryRetries: 1,
};

/** attempt: 1 for the first retry. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface RetryPolicy {
  readonly config: RetryConfig;
  transient(attempt: number): number;
  rateLimited(attempt: number): number;
  lookup(attempt: number): number;
  /** true once a message has used up its network attempts. */
  exhausted(attempts: number): boolean;
}

export function createRetryPolicy(overrides: Partial<RetryConfig> = {}, random: () => number = Math.random): RetryPolicy {
  const c = { ...DEFAULT_RETRY, ...overrides };
  return {
    config: c,
    transient: (a) => backoffMs(a, c.transientBaseMs, c.transientCapMs, random),
    rateLimited: (a) => backoffMs(a, c.rateLimitedBaseMs, c.rateLimitedCapMs, random),
    lookup: (a) => backoffMs(a, c.lookupBaseMs, c.lookupCapMs, random),
    exhausted: (attempts) => attempts >= c.maxAttempts,
  };
}
