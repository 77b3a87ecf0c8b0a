// A generic JSON webhook for any other alerting tool: `maintenance.start` when the silence begins,
// `maintenance.end` when the work ends. The outbound adapter signs the exact body bytes
// (X-Maint-Signature-256: sha256=<hex HMAC-SHA256>, the scheme of GitHub's webhooks); the body carries
// `sent_at`, equal to the X-Maint-Timestamp header, so the signature also covers the send time and a
// receiver can refuse replays (see the README: verifying maint webhooks).
import { remainingSilence, silenceWindow } from './window.ts';
import { scopeLabel, servicesOf, type Built, type SilenceInput } from './input.ts';
import { isoUtc } from '../schedule/time.ts';

export type WebhookEventName = 'maintenance.start' | 'maintenance.end';

export const SIGNATURE_HEADER = 'X-Maint-Signature-256';
export const TIMESTAMP_HEADER = 'X-Maint-Timestamp';
export const EVENT_HEADER = 'X-Maint-Event';
export const DELIVERY_HEADER = 'X-Maint-Delivery';

export interface WebhookEvent {
  event: WebhookEventName;
  id: string;
  title: string;
  environment: string;
  services: string[];
  /** The planned occurrence. */
  starts_at: string;
  ends_at: string;
  /** When monitoring should be silent: from the lead time before the start until the planned end. */
  silence: { starts_at: string; ends_at: string };
  /** When the work ended (maintenance.end only; early end, rollback or cancellation). */
  ended_at: string | null;
  issue_url: string | null;
  /** The send time, in whole seconds; the same instant as the X-Maint-Timestamp header. */
  sent_at: string;
}

/** The event for one occurrence; a start is not sent once the window has ended. */
export function webhookEvent(input: SilenceInput, event: WebhookEventName): Built {
  if (!input.policy.alerts.webhook)
    return { kind: 'skip', reason: 'the policy names no webhook (alerts.webhook)' };
  const window = silenceWindow(input.request, input.occurrence, input.policy);
  if (event === 'maintenance.start' && !remainingSilence(window, input.now)) {
    return { kind: 'skip', reason: 'the maintenance window has already ended' };
  }
  const seconds = Math.floor(input.now / 1000);
  const body: WebhookEvent = {
    event,
    id: input.request.id,
    title: input.request.title,
    environment: input.request.environment,
    services: servicesOf(input.request),
    starts_at: isoUtc(input.occurrence.start),
    ends_at: isoUtc(input.occurrence.end),
    silence: { starts_at: isoUtc(window.from), ends_at: isoUtc(window.until) },
    ended_at: event === 'maintenance.end' ? isoUtc(seconds * 1000) : null,
    issue_url: input.issueUrl ?? null,
    sent_at: isoUtc(seconds * 1000),
  };
  return {
    kind: 'request',
    request: {
      service: 'webhook',
      operation: 'post',
      method: 'POST',
      path: '',
      headers: {
        'Content-Type': 'application/json',
        [EVENT_HEADER]: event,
        // Stable across retries and re-runs of the same transition, so receivers can drop duplicates.
        [DELIVERY_HEADER]: `${input.request.id}/${isoUtc(input.occurrence.start)}/${event}`,
        [TIMESTAMP_HEADER]: String(seconds),
      },
      body: JSON.stringify(body),
      idempotent: true,
      summary: `${event} ${scopeLabel(input.request)}`,
    },
  };
}
