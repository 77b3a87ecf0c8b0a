// Injected failures for retry and throttling tests: GitHub's primary and secondary rate limits, server
// errors, and requests that hang or answer late.
import { randomUUID } from 'node:crypto';

export interface FaultRule {
  /** A path template (`/repos/{owner}/{repo}/pulls/{pull_number}/files`), an operationId
   *  (`pulls/list-files`), or a RegExp tested against the request path. Every route when absent. */
  route?: string | RegExp;
  method?: string;
  /** The status to answer; ignored by `hang`. */
  status?: 500 | 502 | 503 | 403 | 429 | number;
  /** `primary`: 403 with x-ratelimit-remaining 0; `secondary` (the default for 429): retry-after and GitHub's
   *  "secondary rate limit" message. */
  rateLimit?: 'primary' | 'secondary';
  /** Seconds in retry-after (secondary) or until x-ratelimit-reset (primary); default 1. */
  retryAfter?: number;
  /** How many matching requests fail; default 1, Infinity for all. */
  times?: number;
  headers?: Record<string, string>;
  message?: string;
  /** Accept the request and never answer (until the server closes). */
  hang?: boolean;
  /** Answer after this many milliseconds: with `status` if given, else normally. */
  delayMs?: number;
  /** Strike only this share of the matching requests (0..1), drawn from `random`. */
  probability?: number;
  /** The source of `probability` draws: seed it for replayable runs (default Math.random). */
  random?: () => number;
  /** Apply the request first, then fail its answer: the change happened, the caller cannot know. */
  afterHandling?: boolean;
}

export interface FaultHandle {
  readonly rule: FaultRule;
  /** Requests this fault has answered so far. */
  hits: number;
  /** Still to fail. */
  remaining: number;
}

export interface FaultOutcome {
  handle: FaultHandle;
  /** Undefined for a pure delay that then answers normally. */
  reply?: { status: number; headers: Record<string, string>; body: unknown };
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID';

export class Faults {
  private readonly active: FaultHandle[] = [];

  add(rule: FaultRule): FaultHandle {
    const handle: FaultHandle = { rule, hits: 0, remaining: rule.times ?? 1 };
    this.active.push(handle);
    return handle;
  }

  clear(): void {
    this.active.length = 0;
  }

  /**
   * The first live fault matching the request, consumed by one. `afterHandling` faults are taken in
   * the second phase, once the request was applied; a fault with a probability strikes that often.
   */
  take(
    method: string,
    path: string,
    template?: string,
    operationId?: string,
    phase: 'before' | 'after' = 'before',
  ): FaultOutcome | undefined {
    const handle = this.active.find(
      (h) =>
        h.remaining > 0 &&
        (h.rule.afterHandling === true) === (phase === 'after') &&
        matches(h.rule, method, path, template, operationId) &&
        (h.rule.probability === undefined || (h.rule.random ?? Math.random)() < h.rule.probability),
    );

    if (!handle) return undefined;
    handle.remaining--;
    handle.hits++;
    const { rule } = handle;
    if (rule.hang) return { handle };
    if (rule.status === undefined && rule.rateLimit === undefined) return { handle };
    return { handle, reply: faultReply(rule) };
  }
}

function matches(
  rule: FaultRule,
  method: string,
  path: string,
  template?: string,
  operationId?: string,
): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.route === undefined) return true;
  if (rule.route instanceof RegExp) return rule.route.test(path);
  return rule.route === template || rule.route === operationId || rule.route === path;
}

function faultReply(rule: FaultRule): { status: number; headers: Record<string, string>; body: unknown } {
  const requestId = randomUUID().toUpperCase().slice(0, 23);
  const seconds = rule.retryAfter ?? 1;
  const docs = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';
  const rateLimit = rule.rateLimit ?? (rule.status === 429 ? 'secondary' : undefined);
  if (rateLimit === 'primary') {
    const reset = Math.floor(Date.now() / 1000) + seconds;
    return {
      status: rule.status ?? 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core',
        ...rule.headers,
      },
      body: {
        message: rule.message ?? 'API rate limit exceeded for installation ID 1.',
        documentation_url: docs,
        status: String(rule.status ?? 403),
      },
    };
  }
  if (rateLimit === 'secondary') {
    return {
      status: rule.status ?? 403,
      headers: { 'retry-after': String(seconds), ...rule.headers },
      body: {
        message: rule.message ?? `${SECONDARY_RATE_LIMIT_MESSAGE} ${requestId}.`,
        documentation_url: `${docs}#about-secondary-rate-limits`,
        status: String(rule.status ?? 403),
      },
    };
  }
  const status = rule.status ?? 502;
  const message =
    rule.message ??
    (status === 502
      ? 'Server Error'
      : status === 503
        ? 'Service Unavailable'
        : status === 500
          ? 'Server Error'
          : 'Forbidden');
  return {
    status,
    headers: { ...rule.headers },
    body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
  };
}
