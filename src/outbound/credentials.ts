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
  email: { smtpUrl: 'MAINT_SMTP_URL' },
  slack: DEFAULT_SLACK_SECRET,
  teams: DEFAULT_TEAMS_SECRET,
} as const;

/** The services' own credentials: never a chat webhook, whoever names them. */
const SERVICE_CREDENTIALS = new Set<string>(
  Object.values(CREDENTIAL_NAMES).flatMap((v) => (typeof v === 'string' ? [] : Object.values(v))),
);
/** The names a request gets when it names none: it may also name them. */
const DEFAULT_WEBHOOK_SECRETS = new Set<string>([CREDENTIAL_NAMES.slack, CREDENTIAL_NAMES.teams]);
export const WEBHOOK_SECRET_PREFIX = 'MAINT_';

/** What a name is when no request may name it as its webhook secret; undefined otherwise. */
export function reservedSecretName(name: string): string | undefined {
  if (SERVICE_CREDENTIALS.has(name)) return "a credential of one of maint's services";
  if (name === 'MAINT_TOKEN' || name === 'GITHUB_TOKEN') return 'a GitHub token';
  if (/^(GITHUB|RUNNER|ACTIONS|INPUT|STATE)_/.test(name))
    return 'a variable of the runner or of GitHub Actions';
  return undefined;
}

/**
 * Why a request may not name this secret in `notify.*_webhook_secret` (undefined when it may): only
 * `MAINT_*` names, the default webhook names and those the policy's `notices.webhook_secrets` lists,
 * so a request cannot have notices sent to whatever another variable holds.
 */
export function webhookSecretRefusal(name: string, policyListed: readonly string[]): string | undefined {
  const reserved = reservedSecretName(name);
  if (reserved)
    return `\`${name}\` is ${reserved}, never a webhook secret: name the secret that holds the webhook URL`;
  if (
    name.startsWith(WEBHOOK_SECRET_PREFIX) ||
    DEFAULT_WEBHOOK_SECRETS.has(name) ||
    policyListed.includes(name)
  ) {
    return undefined;
  }
  return `\`${name}\` may not be named by a request: use a secret whose name starts with \`${WEBHOOK_SECRET_PREFIX}\` (such as \`MAINT_SLACK_WEBHOOK_OPS\`), or list \`${name}\` in the policy's \`notices.webhook_secrets\``;
}

/** Credentials from a lookup by name (the action passes its environment); empty values count as absent. */
export function credentialsFrom(lookup: (name: string) => string | undefined): OutboundCredentials {
  const get = (name: string) => lookup(name) || undefined;
  const n = CREDENTIAL_NAMES;
  const credentials: OutboundCredentials = {
    // A request names the secret of its chat webhook; never a credential or a runner variable.
    webhookUrl: (name) => (reservedSecretName(name) ? undefined : get(name)),
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
  const smtpUrl = get(n.email.smtpUrl);
  if (smtpUrl) credentials.smtpUrl = smtpUrl;
  return credentials;
}
