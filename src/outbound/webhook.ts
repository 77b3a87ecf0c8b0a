// Generic webhook adapter: posts the event to the policy's URL with X-Maint-Signature-256, the
// HMAC-SHA256 of the exact body under the shared secret, as `sha256=<hex>` (GitHub's scheme).
// An unsigned webhook is never sent.
import { createHmac } from 'node:crypto';
import { missing, prepared, readAnswer, type ServiceAdapter } from './adapter.ts';
import { SIGNATURE_HEADER } from '../alerts/webhook.ts';

export interface WebhookCredentials {
  /** The shared secret the receiver verifies signatures with. */
  secret: string;
}

/** `sha256=<hex>` of the body under the secret. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function webhookAdapter(config: { url?: string; credentials?: WebhookCredentials }): ServiceAdapter {
  return {
    prepare(request) {
      if (!config.url) throw missing(request, 'no webhook URL (alerts.webhook.url in the policy)');
      const secret = config.credentials?.secret;
      if (!secret) throw missing(request, 'no webhook signing secret (MAINT_WEBHOOK_SECRET)');
      const signature = { [SIGNATURE_HEADER]: webhookSignature(request.body ?? '', secret) };
      return prepared(request, config.url, signature, [secret]);
    },
    read: (request, response) => readAnswer(request, response),
  };
}
