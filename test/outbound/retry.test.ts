// The pure retry rules: backoff steps with their jitter bounds, Retry-After in both forms, and which
// statuses are worth another attempt.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter, retryReason } from '../../src/outbound/retry.ts';

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 1_000, maxDelayMs: 10_000 };
  it.each([
    [1, 0, 500],
    [1, 1, 1_000],
    [2, 0, 1_000],
    [3, 0.5, 3_000],
    [4, 1, 8_000],
    [5, 1, 10_000],
    [9, 0, 5_000],
  ])('failure %i with random %f waits %i ms', (attempt, random, ms) => {
    expect(backoffDelay(attempt, policy, () => random)).toBe(ms);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2027-01-17T00:00:00Z');
  it.each([
    ['seconds', '120', 120_000],
    ['zero', '0', 0],
    ['an HTTP date', 'Sun, 17 Jan 2027 00:00:30 GMT', 30_000],
    ['a date already past', 'Sat, 16 Jan 2027 23:00:00 GMT', 0],
    ['absent', null, undefined],
    ['garbage', 'soon', undefined],
    ['a negative number', '-5', undefined],
  ])('%s', (_name, value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('retryReason', () => {
  it.each([
    [200, [429], undefined],
    [400, [429], undefined],
    [404, [429], undefined],
    [420, [429], undefined],
    [420, [420, 429], 'rate-limited'],
    [429, [429], 'rate-limited'],
    [500, [429], 'server'],
    [502, [429], 'server'],
    [599, [429], 'server'],
  ] as const)('%i with rate limits %j', (status, limits, reason) => {
    expect(retryReason(status, limits)).toBe(reason);
  });
});
