// Microsoft Teams Workflows webhooks ("Post to a channel when a webhook request is received"): the
// URL, signed in its query, is the secret (TEAMS_WEBHOOK_URL unless the request names another).
// The flow answers 202 Accepted.
import { chatWebhookAdapter, type ServiceAdapter } from './adapter.ts';

export const DEFAULT_TEAMS_SECRET = 'TEAMS_WEBHOOK_URL';

export function teamsAdapter(config: { webhookUrl?: (name: string) => string | undefined }): ServiceAdapter {
  return chatWebhookAdapter('Teams workflow webhook', DEFAULT_TEAMS_SECRET, config.webhookUrl);
}
