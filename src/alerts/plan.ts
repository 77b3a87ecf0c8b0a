// Silencing a maintenance across every alerting service the policy names: the calls that start the
// silences, the handles to keep (in the result issue) and the calls that lift them when the work ends.
import { alertmanagerExpiry, alertmanagerSilence } from './alertmanager.ts';
import { datadogCancel, datadogDowntime } from './datadog.ts';
import type { Built, SilenceInput } from './input.ts';
import { pagerdutyEnd, pagerdutyWindow } from './pagerduty.ts';
import { webhookEvent } from './webhook.ts';
import type { OutboundRequest, OutboundResult } from '../outbound/request.ts';

export const ALERT_SERVICES = ['alertmanager', 'pagerduty', 'datadog', 'webhook'] as const;
export type AlertService = (typeof ALERT_SERVICES)[number];

/** What must be remembered to lift one silence: the id the service gave it (the webhook has none). */
export type SilenceHandle =
  { service: 'alertmanager' | 'pagerduty' | 'datadog'; id: string } | { service: 'webhook' };

export interface SilencePlan {
  requests: OutboundRequest[];
  /** Services the policy names but that get no call, with the reason (nothing mapped, window over). */
  skipped: { service: AlertService; reason: string }[];
}

const STARTS: Record<AlertService, (input: SilenceInput) => Built> = {
  alertmanager: alertmanagerSilence,
  pagerduty: pagerdutyWindow,
  datadog: datadogDowntime,
  webhook: (input) => webhookEvent(input, 'maintenance.start'),
};

/** The calls that start silencing, one per service configured in `policy.alerts`. */
export function silenceRequests(input: SilenceInput): SilencePlan {
  const plan: SilencePlan = { requests: [], skipped: [] };
  for (const service of ALERT_SERVICES) {
    if (!input.policy.alerts[service]) continue;
    const built = STARTS[service](input);
    if (built.kind === 'request') plan.requests.push(built.request);
    else plan.skipped.push({ service, reason: built.reason });
  }
  return plan;
}

/** The handle to keep for a started silence, read from the service's answer. */
export function silenceHandle(result: OutboundResult): SilenceHandle | undefined {
  if (result.service === 'webhook') return { service: 'webhook' };
  if (result.service === 'alertmanager' || result.service === 'pagerduty' || result.service === 'datadog') {
    return result.id ? { service: result.service, id: result.id } : undefined;
  }
  return undefined;
}

/** The calls that lift the silences now: the work ended early, was rolled back or cancelled. */
export function liftRequests(input: SilenceInput, handles: readonly SilenceHandle[]): OutboundRequest[] {
  const requests: OutboundRequest[] = [];
  for (const handle of handles) {
    switch (handle.service) {
      case 'alertmanager':
        requests.push(alertmanagerExpiry(handle.id));
        break;
      case 'pagerduty':
        requests.push(pagerdutyEnd(handle.id));
        break;
      case 'datadog':
        requests.push(datadogCancel(handle.id));
        break;
      case 'webhook': {
        const built = webhookEvent(input, 'maintenance.end');
        if (built.kind === 'request') requests.push(built.request);
        break;
      }
    }
  }
  return requests;
}
