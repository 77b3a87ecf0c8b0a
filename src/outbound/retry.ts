// When to try an outbound call again and how long to wait: exponential backoff with jitter, the
// service's Retry-After when it gives one, all inside a bounded total time. Pure.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The wait after the first failure, before jitter; it doubles with each failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Each attempt is aborted after this long (AbortSignal.timeout). */
  attemptTimeoutMs: number;
  /** Attempts and waits together never take longer than this. */
  totalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  attemptTimeoutMs: 15_000,
  totalMs: 120_000,
};

/**
 * The wait after the n-th failed attempt (1-based): half of the exponential step plus a random part
 * of the other half ("equal jitter"), so concurrent runs spread out yet never retry at once.
 */
export function backoffDelay(failedAttempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; anything else (a negative number, a bare year) is not one.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export type RetryReason = 'rate-limited' | 'server';

/** Whether a status is worth another attempt: rate limits and server errors, never another 4xx. */
export function retryReason(
  status: number,
  rateLimitStatuses: readonly number[] = [429],
): RetryReason | undefined {
  if (rateLimitStatuses.includes(status)) return 'rate-limited';
  if (status >= 500 && status <= 599) return 'server';
  return undefined;
}
