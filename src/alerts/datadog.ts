// Datadog downtimes, API v2: POST /api/v2/downtime (200, {data:{id}}) mutes every monitor
// (monitor_tags ["*"]) for the groups in scope `env:<environment> AND service:(a OR b)`;
// DELETE /api/v2/downtime/{downtime_id} (204) cancels it. Times are UTC, as the API requires.
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
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import { isoUtc } from '../schedule/time.ts';
import type { OutboundRequest } from '../outbound/request.ts';

export const DATADOG_DEFAULT_SITE = 'datadoghq.com';

export interface DatadogDowntime {
  data: {
    type: 'downtime';
    attributes: {
      scope: string;
      schedule: { start: string; end: string };
      message: string;
      monitor_identifier: { monitor_tags: string[] };
      display_timezone?: string;
    };
  };
}

/** The API base of a Datadog site: datadoghq.eu -> https://api.datadoghq.eu; an explicit url wins. */
export function datadogApiUrl(config: NonNullable<Policy['alerts']['datadog']>): string {
  if (config.url) return config.url;
  const site = (config.site ?? DATADOG_DEFAULT_SITE)
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .replace(/^(?:app|api)\./, '');
  return `https://api.${site}`;
}

/**
 * A value as Datadog stores it as a tag: lower case, and any character other than letters, digits,
 * `_ - : . /` turned into an underscore. A scope with any other character would not parse.
 */
export function datadogTagValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_\-:./]/g, '_');
}

/** `env:production AND service:(api OR web)`; the environment alone when there are no services. */
export function datadogScope(request: MaintenanceRequest): string {
  const env = `env:${datadogTagValue(request.environment)}`;
  const services = [...new Set(servicesOf(request).map(datadogTagValue))];
  if (services.length === 0) return env;
  if (services.length === 1) return `${env} AND service:${services[0]}`;
  return `${env} AND service:(${services.join(' OR ')})`;
}

/** Datadog shows times in an IANA zone; maint's fixed-offset zones (UTC+01:00) are not one. */
function displayZone(zone: string): string {
  return /^UTC[+-]/.test(zone) ? 'UTC' : zone;
}

export function datadogDowntime(input: SilenceInput): Built {
  if (!input.policy.alerts.datadog)
    return { kind: 'skip', reason: 'the policy names no Datadog site (alerts.datadog)' };
  const window = remainingSilence(silenceWindow(input.request, input.occurrence, input.policy), input.now);
  if (!window) return { kind: 'skip', reason: 'the maintenance window has already ended' };
  const body: DatadogDowntime = {
    data: {
      type: 'downtime',
      attributes: {
        scope: datadogScope(input.request),
        schedule: { start: isoUtc(window.from), end: isoUtc(window.until) },
        message: silenceComment(input),
        monitor_identifier: { monitor_tags: ['*'] },
        display_timezone: displayZone(input.request.zone),
      },
    },
  };
  return createCall('datadog', '/api/v2/downtime', body, `downtime ${scopeLabel(input.request)}`);
}

export function datadogCancel(downtimeId: string): OutboundRequest {
  return endCall('datadog', '/api/v2/downtime/', downtimeId, `cancel downtime ${downtimeId}`, {
    Accept: '*/*',
  });
}
