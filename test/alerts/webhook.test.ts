// The generic webhook events as built: the documented fields, a timestamp header equal to the body's
// sent_at (so the signature covers it), and a delivery id stable across retries.
import { describe, expect, it } from 'vitest';
import type { SilenceInput } from '../../src/alerts/input.ts';
import { webhookEvent, type WebhookEvent } from '../../src/alerts/webhook.ts';
import { request } from '../helpers/requests.ts';
import { ALL_SERVICES, policyWithAlerts, silenceInput } from './inputs.ts';

const r = request('dns-move', {
  title: 'Move DNS',
  services: '[dns, api]',
  start: '2027-01-17T02:00',
  duration: '1h',
});
const input = (over: Partial<SilenceInput> = {}) =>
  silenceInput(r, policyWithAlerts(ALL_SERVICES), {
    issueUrl: 'https://github.com/acme/ops/issues/5',
    now: Date.parse('2027-01-17T01:30:00.750Z'),
    ...over,
  });

describe('webhookEvent', () => {
  it('maintenance.start carries the documented fields', () => {
    const built = webhookEvent(input(), 'maintenance.start');
    if (built.kind !== 'request') throw new Error(built.reason);
    const body = JSON.parse(built.request.body!) as WebhookEvent;
    expect(body).toEqual({
      event: 'maintenance.start',
      id: 'dns-move',
      title: 'Move DNS',
      environment: 'production',
      services: ['dns', 'api'],
      starts_at: '2027-01-17T02:00:00Z',
      ends_at: '2027-01-17T03:00:00Z',
      silence: { starts_at: '2027-01-17T01:30:00Z', ends_at: '2027-01-17T03:00:00Z' },
      ended_at: null,
      issue_url: 'https://github.com/acme/ops/issues/5',
      sent_at: '2027-01-17T01:30:00Z',
    });
    expect(built.request.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Maint-Event': 'maintenance.start',
      'X-Maint-Delivery': 'dns-move/2027-01-17T02:00:00Z/maintenance.start',
      'X-Maint-Timestamp': String(Date.parse('2027-01-17T01:30:00Z') / 1000),
    });
    expect(built.request).toMatchObject({ method: 'POST', path: '', idempotent: true });
  });

  it('maintenance.end says when the work ended, even after the planned end', () => {
    const now = Date.parse('2027-01-17T03:20:00Z');
    const built = webhookEvent(input({ now, issueUrl: undefined }), 'maintenance.end');
    if (built.kind !== 'request') throw new Error(built.reason);
    const body = JSON.parse(built.request.body!) as WebhookEvent;
    expect(body).toMatchObject({
      event: 'maintenance.end',
      ended_at: '2027-01-17T03:20:00Z',
      issue_url: null,
    });
    expect(built.request.headers['X-Maint-Timestamp']).toBe(String(now / 1000));
  });

  it('the timestamp header and sent_at name the same second', () => {
    for (const now of [0, 999, 1_000, 1_799_999_999_999]) {
      const built = webhookEvent(input({ now, occurrence: { start: 0, end: 2e12 } }), 'maintenance.end');
      if (built.kind !== 'request') throw new Error(built.reason);
      const sentAt = Date.parse(JSON.parse(built.request.body!).sent_at) / 1000;
      expect(String(sentAt)).toBe(built.request.headers['X-Maint-Timestamp']);
    }
  });

  it.each([
    [
      'a start after the window',
      'maintenance.start' as const,
      { now: Date.parse('2027-01-17T03:00:00Z') },
      'already ended',
    ],
    [
      'no webhook in the policy',
      'maintenance.end' as const,
      { policy: policyWithAlerts('lead: PT30M') },
      'alerts.webhook',
    ],
  ])('skips %s', (_name, event, over, reason) => {
    expect(webhookEvent(input(over), event)).toEqual({
      kind: 'skip',
      reason: expect.stringContaining(reason),
    });
  });
});
