// The one error every outbound call fails with: which service, what went wrong, the status and a
// short excerpt of the answer (secrets scrubbed), so the entry point can print one precise line.
import type { MailService, Operation, ServiceName } from './request.ts';

export type OutboundErrorKind =
  /** A credential, URL or secret name is missing: nothing was sent. */
  | 'configuration'
  /** The service refused the call (a 4xx other than a rate limit), or kept failing with 5xx. */
  | 'http'
  /** Still rate limited after the retries, or Retry-After asks for longer than the time left. */
  | 'rate-limited'
  /** No connection, or it broke. */
  | 'network'
  /** An attempt took longer than its timeout. */
  | 'timeout'
  /** A success whose body lacks what it must carry (the created id). */
  | 'response'
  /** The mail relay refused the message or its recipients (an SMTP 4xx or 5xx reply). */
  | 'refused';

export interface OutboundErrorDetail {
  status?: number;
  /** At most a couple of hundred characters of the answer, secrets replaced by ***. */
  excerpt?: string;
  attempts: number;
  retryAfterMs?: number;
}

export class OutboundError extends Error {
  override name = 'OutboundError';
  readonly status?: number;
  readonly excerpt?: string;
  readonly attempts: number;
  readonly retryAfterMs?: number;

  constructor(
    readonly service: ServiceName | MailService,
    readonly operation: Operation,
    readonly kind: OutboundErrorKind,
    reason: string,
    detail: OutboundErrorDetail = { attempts: 0 },
  ) {
    const tries = detail.attempts > 1 ? ` after ${detail.attempts} attempts` : '';
    const excerpt = detail.excerpt ? `: ${detail.excerpt}` : '';
    super(`${service} ${operation}: ${reason}${tries}${excerpt}`);
    this.status = detail.status;
    this.excerpt = detail.excerpt;
    this.attempts = detail.attempts;
    this.retryAfterMs = detail.retryAfterMs;
  }
}
