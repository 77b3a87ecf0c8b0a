// Slack incoming webhooks: the URL is the secret, found by name (SLACK_WEBHOOK_URL unless the request
// names another). Slack answers 200 "ok", 4xx with a reason word, 429 with Retry-After.
import { chatWebhookAdapter, type ServiceAdapter } from './adapter.ts';

export const DEFAULT_SLACK_SECRET = 'SLACK_WEBHOOK_URL';

export function slackAdapter(config: { webhookUrl?: (name: string) => string | undefined }): ServiceAdapter {
  return chatWebhookAdapter('Slack webhook', DEFAULT_SLACK_SECRET, config.webhookUrl);
}
