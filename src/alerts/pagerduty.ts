// PagerDuty REST API v2 maintenance windows: POST /maintenance_windows (201, {maintenance_window}) for
// the request's services mapped through alerts.pagerduty.services; DELETE /maintenance_windows/{id}
// ends it early. PagerDuty documents that DELETE removes a future window and ends an on-going one
// (405 once it has ended), so no PUT of end_time is needed.
import { remainingSilence, silenceWindow } from './window.ts';
import {
  createCall,
  endCall,
  scopeLabel,
  servicesOf,
  silenceComment,
  type Built,
  type SilenceInput,
} from './input.ts';
import { isoUtc } from '../schedule/time.ts';
import type { OutboundRequest } from '../outbound/request.ts';

export const PAGERDUTY_API = 'https://api.pagerduty.com';
export const PAGERDUTY_ACCEPT = 'application/vnd.pagerduty+json;version=2';

export interface PagerDutyWindow {
  maintenance_window: {
    type: 'maintenance_window';
    start_time: string;
    end_time: string;
    description: string;
    services: { id: string; type: 'service_reference' }[];
  };
}

/** The PagerDuty services of a request, and the maint services that have none in the policy. */
export function pagerdutyServices(
  services: string[],
  mapping: Record<string, string>,
): { ids: string[]; unmapped: string[] } {
  const ids: string[] = [];
  const unmapped: string[] = [];
  for (const service of services) {
    const id = Object.hasOwn(mapping, service) ? mapping[service] : undefined;
    if (id === undefined) unmapped.push(service);
    else if (!ids.includes(id)) ids.push(id);
  }
  return { ids, unmapped };
}

/**
 * The maintenance window to create. Services missing from the mapping are named in the summary;
 * with none mapped there is nothing PagerDuty could silence.
 */
export function pagerdutyWindow(input: SilenceInput): Built {
  const config = input.policy.alerts.pagerduty;
  if (!config) return { kind: 'skip', reason: 'the policy names no PagerDuty services (alerts.pagerduty)' };
  const { ids, unmapped } = pagerdutyServices(servicesOf(input.request), config.services);
  if (ids.length === 0) {
    const names = unmapped.length > 0 ? unmapped.join(', ') : 'none';
    return { kind: 'skip', reason: `no service of the request is mapped to PagerDuty (services: ${names})` };
  }
  const window = remainingSilence(silenceWindow(input.request, input.occurrence, input.policy), input.now);
  if (!window) return { kind: 'skip', reason: 'the maintenance window has already ended' };
  const body: PagerDutyWindow = {
    maintenance_window: {
      type: 'maintenance_window',
      start_time: isoUtc(window.from),
      end_time: isoUtc(window.until),
      description: silenceComment(input),
      services: ids.map((id) => ({ id, type: 'service_reference' })),
    },
  };
  const missing = unmapped.length > 0 ? ` (not mapped: ${unmapped.join(', ')})` : '';
  const headers = { Accept: PAGERDUTY_ACCEPT, 'Content-Type': 'application/json' };
  const summary = `maintenance window ${scopeLabel(input.request)}${missing}`;
  return createCall('pagerduty', '/maintenance_windows', body, summary, headers);
}

/** Ends an on-going window or deletes a future one. */
export function pagerdutyEnd(windowId: string): OutboundRequest {
  const headers = { Accept: PAGERDUTY_ACCEPT, 'Content-Type': 'application/json' };
  return endCall(
    'pagerduty',
    '/maintenance_windows/',
    windowId,
    `end maintenance window ${windowId}`,
    headers,
  );
}
