// Sends one prepared call with Node's fetch: a timeout per attempt, retries on network errors, rate
// limits (honouring Retry-After) and 5xx, never on another 4xx, all within a bounded total time.
// The clock, sleep and randomness are injected so tests run the retry schedule without waiting.
import { OutboundError } from './errors.ts';
import { excerpt, scrub } from './redact.ts';
import type { HttpMethod, Operation, ServiceName } from './request.ts';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter, retryReason, type RetryPolicy } from './retry.ts';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface OutboundLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface HttpOptions {
  fetch?: typeof fetch;
  clock?: Clock;
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  logger?: OutboundLogger;
}

/** A call ready to send: full URL and every header, credentials included. */
export interface PreparedCall {
  service: ServiceName;
  operation: Operation;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Safe to repeat when an attempt may have arrived (timeout, reset connection). */
  idempotent: boolean;
  /** Every secret in the call, to scrub from logs and errors. */
  secrets: string[];
  /** Statuses meaning "slow down" (Statuspage also answers 420). */
  rateLimitStatuses: readonly number[];
  /** An answer that settles the call although its status would be retried (Alertmanager 0.25's 500 "silence not found"). */
  settles?: (status: number, text: string) => boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  attempts: number;
}

/** Failures where the request never left: another attempt cannot duplicate anything. */
export const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface Failure {
  kind: 'network' | 'timeout' | 'http' | 'rate-limited';
  reason: string;
  status?: number;
  text?: string;
  retryAfterMs?: number;
  /** Whether another attempt is allowed at all. */
  retryable: boolean;
}

function networkFailure(error: unknown, idempotent: boolean): Failure {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { kind: 'timeout', reason: 'no answer before the timeout', retryable: idempotent };
  }
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: string } | undefined)?.code;
  const sent = code === undefined || !NOT_SENT.has(code);
  return {
    kind: 'network',
    reason: `network error${code ? ` (${code})` : ''}`,
    retryable: sent ? idempotent : true,
  };
}

/** Sends the call until it gets an answer that is not worth retrying, and returns that answer. */
export async function sendWithRetries(call: PreparedCall, options: HttpOptions = {}): Promise<HttpResponse> {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const deadline = clock.now() + policy.totalMs;
  const fail = (failure: Failure, attempts: number, reason = failure.reason) =>
    new OutboundError(call.service, call.operation, failure.kind, reason, {
      attempts,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.text ? { excerpt: excerpt(failure.text, call.secrets) } : {}),
      ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
    });

  for (let attempt = 1; ; attempt++) {
    const timeout = Math.max(1, Math.min(policy.attemptTimeoutMs, deadline - clock.now()));
    let failure: Failure;
    try {
      const response = await fetchImpl(call.url, {
        method: call.method,
        headers: call.headers,
        ...(call.body !== undefined ? { body: call.body } : {}),
        // Never follow a redirect: it would carry the credentials and body somewhere unplanned.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout),
      });
      const text = await response.text();
      const reason = retryReason(response.status, call.rateLimitStatuses);
      if (!reason || call.settles?.(response.status, text)) {
        return { status: response.status, headers: response.headers, text, attempts: attempt };
      }
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
      failure = {
        kind: reason === 'rate-limited' ? 'rate-limited' : 'http',
        reason: `HTTP ${response.status}`,
        status: response.status,
        text,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        retryable: true,
      };
    } catch (error) {
      failure = networkFailure(error, call.idempotent);
    }

    if (!failure.retryable) {
      const why = call.idempotent ? '' : '; not retried, as the service may have acted on it';
      throw fail(failure, attempt, `${failure.reason}${why}`);
    }
    if (attempt >= policy.maxAttempts) throw fail(failure, attempt);
    const wait = failure.retryAfterMs ?? backoffDelay(attempt, policy, random);
    const left = deadline - clock.now();
    if (wait >= left) {
      const asked =
        failure.retryAfterMs !== undefined ? `Retry-After ${Math.ceil(wait / 1000)} s` : 'the next wait';
      throw fail(
        failure,
        attempt,
        `${failure.reason}; ${asked} exceeds the time left (${Math.max(0, Math.floor(left / 1000))} s)`,
      );
    }
    options.logger?.warn(
      scrub(
        `${call.service} ${call.operation}: ${failure.reason}; retrying in ${wait} ms (attempt ${attempt + 1} of ${policy.maxAttempts})`,
        call.secrets,
      ),
    );
    await clock.sleep(wait);
  }
}
