// The outbound port: the only way maint calls a service other than GitHub. One `send` for every
// HTTP service; the request says which, and that service's adapter adds its base URL and credentials.
// E-mail goes through `sendMail`, to the SMTP relay of MAINT_SMTP_URL (email.ts).
import type { ServiceAdapter } from './adapter.ts';
import { alertmanagerAdapter, type AlertmanagerCredentials } from './alertmanager.ts';
import { datadogAdapter, type DatadogCredentials } from './datadog.ts';
import { createMailer, type MailOptions, type MailSent } from './email.ts';
import { OutboundError } from './errors.ts';
import { sendWithRetries, type HttpOptions } from './http.ts';
import type { OutboundMail } from './mail.ts';
import { pagerdutyAdapter, type PagerDutyCredentials } from './pagerduty.ts';
import { excerpt, redact } from './redact.ts';
import type { OutboundRequest, OutboundResult, ServiceName } from './request.ts';
import { slackAdapter } from './slack.ts';
import { statuspageAdapter, type StatuspageCredentials } from './statuspage.ts';
import { teamsAdapter } from './teams.ts';
import { webhookAdapter, type WebhookCredentials } from './webhook.ts';
import { datadogApiUrl } from '../alerts/datadog.ts';
import type { Policy } from '../model/types.ts';

export interface Outbound {
  /** Sends one request; resolves with what the service created, or rejects with an OutboundError. */
  send(request: OutboundRequest): Promise<OutboundResult>;
  /** Sends one e-mail through the relay; rejects with an OutboundError (service `email`). */
  sendMail(mail: OutboundMail): Promise<MailSent>;
}

/** Credentials by service, as the action reads them from its secrets; each is needed only when used. */
export interface OutboundCredentials {
  alertmanager?: AlertmanagerCredentials;
  pagerduty?: PagerDutyCredentials;
  datadog?: DatadogCredentials;
  webhook?: WebhookCredentials;
  statuspage?: StatuspageCredentials;
  /** Slack and Teams webhook URLs by secret name (the URL is the secret). */
  webhookUrl?: (name: string) => string | undefined;
  /** MAINT_SMTP_URL: the mail relay, its user and password. */
  smtpUrl?: string;
}

export interface OutboundConfig {
  policy: Pick<Policy, 'alerts'>;
  credentials: OutboundCredentials;
  /** Base URLs that replace the policy's and the services' own (tests point them at local servers). */
  baseUrls?: Partial<Record<Exclude<ServiceName, 'slack' | 'teams'>, string>>;
  http?: HttpOptions;
  /** Timeouts, retries and extra trusted certificates of the mail relay. */
  mail?: MailOptions;
}

function adaptersFor(config: OutboundConfig): Record<ServiceName, ServiceAdapter> {
  const { alerts } = config.policy;
  const urls = config.baseUrls ?? {};
  const { credentials } = config;
  return {
    alertmanager: alertmanagerAdapter({
      url: urls.alertmanager ?? alerts.alertmanager?.url,
      credentials: credentials.alertmanager,
    }),
    pagerduty: pagerdutyAdapter({
      url: urls.pagerduty ?? alerts.pagerduty?.url,
      credentials: credentials.pagerduty,
    }),
    datadog: datadogAdapter({
      url: urls.datadog ?? datadogApiUrl(alerts.datadog ?? {}),
      credentials: credentials.datadog,
    }),
    webhook: webhookAdapter({ url: urls.webhook ?? alerts.webhook?.url, credentials: credentials.webhook }),
    slack: slackAdapter({ webhookUrl: credentials.webhookUrl }),
    teams: teamsAdapter({ webhookUrl: credentials.webhookUrl }),
    statuspage: statuspageAdapter({ url: urls.statuspage, credentials: credentials.statuspage }),
  };
}

export function createOutbound(config: OutboundConfig): Outbound {
  const adapters = adaptersFor(config);
  const logger = config.http?.logger;
  const mailer = createMailer(config.credentials.smtpUrl, {
    ...(logger ? { logger } : {}),
    ...config.mail,
  });
  return {
    async sendMail(mail) {
      logger?.info(`email send: ${mail.summary}`);
      return mailer.send(mail);
    },
    async send(request) {
      const adapter = adapters[request.service];
      const call = adapter.prepare(request);
      const shown = redact(call, call.secrets);
      logger?.info(
        `${request.service} ${request.operation}: ${request.summary} (${shown.method} ${shown.url})`,
      );
      const response = await sendWithRetries(call, config.http);
      const read = adapter.read(request, response);
      if (!read.ok) {
        throw new OutboundError(request.service, request.operation, read.kind, read.reason, {
          status: response.status,
          attempts: response.attempts,
          ...(response.text ? { excerpt: excerpt(response.text, call.secrets) } : {}),
        });
      }
      return {
        service: request.service,
        operation: request.operation,
        status: response.status,
        attempts: response.attempts,
        ...(read.id !== undefined ? { id: read.id } : {}),
        ...(read.alreadyEnded ? { alreadyEnded: true } : {}),
      };
    },
  };
}
