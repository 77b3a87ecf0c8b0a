// What one service's adapter does: turn a secret-free request into a call (its base URL, its
// credentials) and read the service's answer (the created id, "already ended", or a refusal).
import { OutboundError } from './errors.ts';
import type { HttpResponse, PreparedCall } from './http.ts';
import type { OutboundRequest } from './request.ts';

export type ReadResult =
  | { ok: true; id?: string; alreadyEnded?: boolean }
  | { ok: false; kind: 'http' | 'response'; reason: string };

export interface ServiceAdapter {
  /** The call to send; throws OutboundError('configuration') when a URL or credential is missing. */
  prepare(request: OutboundRequest): PreparedCall;
  read(request: OutboundRequest, response: HttpResponse): ReadResult;
}

export const USER_AGENT = 'maint';

/** base + path, without doubling or dropping the slash between them. */
export function joinUrl(base: string, path: string): string {
  if (!path) return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function missing(request: OutboundRequest, what: string): OutboundError {
  return new OutboundError(request.service, request.operation, 'configuration', `${what}; nothing was sent`);
}

/** The prepared call for a request: its own headers, then the adapter's credentials. */
export function prepared(
  request: OutboundRequest,
  url: string,
  credentials: Record<string, string>,
  secrets: (string | undefined)[],
  extra: Partial<Pick<PreparedCall, 'rateLimitStatuses' | 'settles'>> = {},
): PreparedCall {
  return {
    service: request.service,
    operation: request.operation,
    method: request.method,
    url,
    headers: { 'User-Agent': USER_AGENT, ...request.headers, ...credentials },
    ...(request.body !== undefined ? { body: request.body } : {}),
    idempotent: request.idempotent ?? request.method !== 'POST',
    secrets: secrets.filter((s): s is string => Boolean(s)),
    rateLimitStatuses: extra.rateLimitStatuses ?? [429],
    ...(extra.settles ? { settles: extra.settles } : {}),
  };
}

/**
 * A chat service whose webhook URL is the secret (Slack, Teams), read from the secret the request
 * names or the default one. The value must be an http(s) URL, so a name pointing at some other
 * secret (a token) is refused without the value being sent or shown.
 */
export function chatWebhookAdapter(
  kind: string,
  defaultSecret: string,
  lookup: ((name: string) => string | undefined) | undefined,
): ServiceAdapter {
  return {
    prepare(request) {
      const url = webhookUrlIn(request, kind, request.target ?? defaultSecret, lookup);
      return prepared(request, url, {}, [url]);
    },
    read: (request, response) => readAnswer(request, response),
  };
}

function webhookUrlIn(
  request: OutboundRequest,
  kind: string,
  name: string,
  lookup: ((name: string) => string | undefined) | undefined,
): string {
  const url = lookup?.(name);
  if (!url) throw missing(request, `no ${kind} URL in secret ${name}`);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    throw missing(request, `secret ${name} does not hold a ${kind} URL`);
  return url;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The string at a path in a JSON answer (`['maintenance_window', 'id']`), if any. */
export function jsonString(text: string, path: readonly string[]): string | undefined {
  let value: unknown = parseJson(text);
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The usual reading: a 2xx succeeds, and a create must carry its id at `idPath`; an end whose
 * status is in `goneStatuses` had nothing left to end; anything else is a refusal.
 */
export function readAnswer(
  request: OutboundRequest,
  response: HttpResponse,
  idPath?: readonly string[],
  goneStatuses: readonly number[] = [],
): ReadResult {
  if (isSuccess(response.status)) {
    if ((request.operation === 'create' || request.operation === 'update') && idPath) {
      const id = jsonString(response.text, idPath);
      if (!id)
        return { ok: false, kind: 'response', reason: `HTTP ${response.status} without ${idPath.join('.')}` };
      return { ok: true, id };
    }
    return { ok: true };
  }
  if (request.operation === 'end' && goneStatuses.includes(response.status))
    return { ok: true, alreadyEnded: true };
  if (response.status >= 300 && response.status < 400) {
    return { ok: false, kind: 'http', reason: `HTTP ${response.status} (a redirect, not followed)` };
  }
  return { ok: false, kind: 'http', reason: `HTTP ${response.status}` };
}
