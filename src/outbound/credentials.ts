// The names credentials are read from (GitHub secrets the workflow passes to the action), and the
// credentials of every service gathered from one lookup. A service whose secrets are absent gets
// none, and fails with a configuration error naming them only if it is actually used.
import type { OutboundCredentials } from './port.ts';
import { DEFAULT_SLACK_SECRET } from './slack.ts';
import { DEFAULT_TEAMS_SECRET } from './teams.ts';

export const CREDENTIAL_NAMES = {
  alertmanager: { bearerToken: 'ALERTMANAGER_TOKEN', basicAuth: 'ALERTMANAGER_BASIC_AUTH' },
  pagerduty: { token: 'PAGERDUTY_TOKEN', from: 'PAGERDUTY_FROM' },
  datadog: { apiKey: 'DATADOG_API_KEY', applicationKey: 'DATADOG_APP_KEY' },
  webhook: { secret: 'MAINT_WEBHOOK_SECRET' },
  statuspage: { apiKey: 'STATUSPAGE_API_KEY' },
  slack: DEFAULT_SLACK_SECRET,
  teams: DEFAULT_TEAMS_SECRET,
} as const;

/** Credentials from a lookup by name (the action passes its environment); empty values count as absent. */
export function credentialsFrom(lookup: (name: string) => string | undefined): OutboundCredentials {
  const get = (name: string) => lookup(name) || undefined;
  const n = CREDENTIAL_NAMES;
  // A request names the secret of its chat webhook; it may not name one of the service credentials.
  const reserved = new Set<string>(
    Object.values(n).flatMap((v) => (typeof v === 'string' ? [] : Object.values(v))),
  );
  const credentials: OutboundCredentials = {
    webhookUrl: (name) => (reserved.has(name) ? undefined : get(name)),
  };
  const bearerToken = get(n.alertmanager.bearerToken);
  const basicAuth = get(n.alertmanager.basicAuth);
  if (bearerToken || basicAuth) {
    credentials.alertmanager = {
      ...(bearerToken ? { bearerToken } : {}),
      ...(basicAuth ? { basicAuth } : {}),
    };
  }
  const pdToken = get(n.pagerduty.token);
  if (pdToken) credentials.pagerduty = { token: pdToken, from: get(n.pagerduty.from) ?? '' };
  const apiKey = get(n.datadog.apiKey);
  const applicationKey = get(n.datadog.applicationKey);
  if (apiKey && applicationKey) credentials.datadog = { apiKey, applicationKey };
  const secret = get(n.webhook.secret);
  if (secret) credentials.webhook = { secret };
  const statuspageKey = get(n.statuspage.apiKey);
  if (statuspageKey) credentials.statuspage = { apiKey: statuspageKey };
  return credentials;
}
