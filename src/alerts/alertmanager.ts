// Prometheus Alertmanager API v2 silences (api/v2/openapi.yaml): POST /api/v2/silences creates one and
// answers {silenceID}; DELETE /api/v2/silence/{silenceID} expires it at once, pending or active.
import { remainingSilence, silenceWindow } from './window.ts';
import {
  CREATED_BY,
  createCall,
  endCall,
  scopeLabel,
  servicesOf,
  silenceComment,
  type Built,
  type SilenceInput,
} from './input.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import type { OutboundRequest } from '../outbound/request.ts';

export interface AlertmanagerMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** The `postableSilence` of the v2 API. */
export interface AlertmanagerSilence {
  matchers: AlertmanagerMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface MatcherLabels {
  environmentLabel: string;
  serviceLabel: string;
}

/**
 * Escapes what is special in Go's RE2 syntax (the set of regexp.QuoteMeta), so a service named
 * `api.v2` matches only itself. Anchors are not added: Alertmanager compiles `^(?:value)$`.
 */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * One equality matcher on the environment; one on the service, which is a regex alternation of the
 * escaped names when there are several. No services: the whole environment is silenced.
 */
export function silenceMatchers(request: MaintenanceRequest, labels: MatcherLabels): AlertmanagerMatcher[] {
  const matchers: AlertmanagerMatcher[] = [
    { name: labels.environmentLabel, value: request.environment, isRegex: false, isEqual: true },
  ];
  const services = servicesOf(request);
  if (services.length === 1) {
    matchers.push({ name: labels.serviceLabel, value: services[0]!, isRegex: false, isEqual: true });
  } else if (services.length > 1) {
    const value = services.map(escapeRegex).join('|');
    matchers.push({ name: labels.serviceLabel, value, isRegex: true, isEqual: true });
  }
  return matchers;
}

/** The silence to create for the input's occurrence, or why there is none. */
export function alertmanagerSilence(input: SilenceInput): Built {
  const config = input.policy.alerts.alertmanager;
  if (!config) return { kind: 'skip', reason: 'the policy names no Alertmanager (alerts.alertmanager)' };
  const window = remainingSilence(silenceWindow(input.request, input.occurrence, input.policy), input.now);
  if (!window) return { kind: 'skip', reason: 'the maintenance window has already ended' };
  const silence: AlertmanagerSilence = {
    matchers: silenceMatchers(input.request, config),
    startsAt: new Date(window.from).toISOString(),
    endsAt: new Date(window.until).toISOString(),
    createdBy: CREATED_BY,
    comment: silenceComment(input),
  };
  return createCall('alertmanager', '/api/v2/silences', silence, `silence ${scopeLabel(input.request)}`);
}

/** Expires a silence now; Alertmanager answers 200 even when it had already expired. */
export function alertmanagerExpiry(silenceId: string): OutboundRequest {
  const headers = { Accept: 'application/json' };
  return endCall('alertmanager', '/api/v2/silence/', silenceId, `expire silence ${silenceId}`, headers);
}
