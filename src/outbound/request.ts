// The shape of one call to another service as the pure builders describe it. It never holds a secret,
// so it can be logged, compared in tests and kept in a plan; the adapters add credentials on sending.

export const SERVICES = [
  'alertmanager',
  'pagerduty',
  'datadog',
  'webhook',
  'slack',
  'teams',
  'statuspage',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** E-mail goes to a mail relay over SMTP (src/outbound/email.ts), not through an HTTP adapter. */
export type MailService = 'email';

/** What a call does: creates something (whose id comes back), updates it, ends it, or just posts; or sends a mail. */
export type Operation = 'create' | 'update' | 'end' | 'post' | 'send';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OutboundRequest {
  service: ServiceName;
  operation: Operation;
  method: HttpMethod;
  /** Path and query under the service's base URL (`/api/v2/silences`); '' is the base URL itself. */
  path: string;
  /** Headers that are not credentials: Accept, Content-Type, the webhook's timestamp. */
  headers: Record<string, string>;
  /** The exact text sent; the webhook signature is computed over these bytes. */
  body?: string;
  /**
   * Safe to send twice even if the first attempt may have arrived (a timeout, a reset connection).
   * Defaults to true for every method but POST: a repeated POST could create a second silence or incident.
   */
  idempotent?: boolean;
  /** Slack and Teams: the name of the secret that holds the webhook URL (the URL is the secret). */
  target?: string;
  /** One line for logs: `silence production: api, web`. */
  summary: string;
}

export interface OutboundResult {
  service: ServiceName;
  operation: Operation;
  /** The HTTP status of the final response. */
  status: number;
  /** What was created or updated: silence id, PagerDuty window id, Datadog downtime id, incident id. */
  id?: string;
  /** An end whose object had already ended or no longer exists (PagerDuty 405, a 404 on delete). */
  alreadyEnded?: boolean;
  attempts: number;
}

/** JSON text for a body; a string is taken as already-serialised JSON. */
export function jsonBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export const JSON_HEADERS: Readonly<Record<string, string>> = {
  Accept: 'application/json',
  'Content-Type': 'application/json',
};
