// What every silence builder is given, and the words they share: who asks, and why (the comment).
import type { Interval, MaintenanceRequest, Policy } from '../model/types.ts';
import { JSON_HEADERS, type OutboundRequest, type ServiceName } from '../outbound/request.ts';

export interface SilenceInput {
  request: MaintenanceRequest;
  /** The occurrence being silenced (the first, or one of a recurring series), epoch ms. */
  occurrence: Interval;
  policy: Policy;
  /** The result issue of this maintenance, linked from every silence. */
  issueUrl?: string;
  now: number;
}

/** A builder either describes a call or says why there is nothing to send. */
export type Built = { kind: 'request'; request: OutboundRequest } | { kind: 'skip'; reason: string };

export const CREATED_BY = 'maint';

/** `Planned maintenance db-upgrade: Upgrade Postgres — https://github.com/o/r/issues/7` */
export function silenceComment(input: Pick<SilenceInput, 'request' | 'issueUrl'>): string {
  const head = `Planned maintenance ${input.request.id}: ${input.request.title}`;
  return input.issueUrl ? `${head} — ${input.issueUrl}` : head;
}

/** The request's services without repeats, in the order written. */
export function servicesOf(request: MaintenanceRequest): string[] {
  return [...new Set(request.services ?? [])];
}

/** `production: api, web` for logs. */
export function scopeLabel(request: MaintenanceRequest): string {
  const services = servicesOf(request);
  return services.length > 0 ? `${request.environment}: ${services.join(', ')}` : request.environment;
}

/** A DELETE that ends what a create made; `id` is escaped into the path. */
export function endCall(
  service: ServiceName,
  pathBefore: string,
  id: string,
  summary: string,
  headers: Record<string, string>,
): OutboundRequest {
  const path = `${pathBefore}${encodeURIComponent(id)}`;
  return { service, operation: 'end', method: 'DELETE', path, headers, summary };
}

/** A JSON POST that creates a silence-like object on `service`. */
export function createCall(
  service: ServiceName,
  path: string,
  body: unknown,
  summary: string,
  headers: Record<string, string> = { ...JSON_HEADERS },
): Built {
  return {
    kind: 'request',
    request: {
      service,
      operation: 'create',
      method: 'POST',
      path,
      headers,
      body: JSON.stringify(body),
      summary,
    },
  };
}
