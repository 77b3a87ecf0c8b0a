// Silencing across services: one call per service the policy names, skips with reasons, the handles
// kept from the answers, and the calls that lift everything when the work ends early.
import { describe, expect, it } from 'vitest';
import type { SilenceInput } from '../../src/alerts/input.ts';
import { liftRequests, silenceHandle, silenceRequests } from '../../src/alerts/plan.ts';
import { request } from '../helpers/requests.ts';
import { ALL_SERVICES, policyWithAlerts, silenceInput } from './inputs.ts';

const r = request('r', { services: '[api, web]' });
const input = (alerts: string, over: Partial<SilenceInput> = {}) =>
  silenceInput(r, policyWithAlerts(alerts), over);

describe('silenceRequests', () => {
  it('the default policy silences nothing and says nothing', () => {
    expect(silenceRequests(input('lead: PT30M'))).toEqual({ requests: [], skipped: [] });
  });

  it('one call per configured service', () => {
    const plan = silenceRequests(input(ALL_SERVICES));
    expect(plan.requests.map((q) => `${q.service} ${q.method} ${q.path}`)).toEqual([
      'alertmanager POST /api/v2/silences',
      'pagerduty POST /maintenance_windows',
      'datadog POST /api/v2/downtime',
      'webhook POST ',
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('reports the services it cannot silence', () => {
    const plan = silenceRequests(input(ALL_SERVICES, { request: { ...r, services: ['db'] } }));
    expect(plan.skipped).toEqual([{ service: 'pagerduty', reason: expect.stringContaining('services: db') }]);
    expect(plan.requests).toHaveLength(3);
  });

  it('nothing once the window is over', () => {
    const plan = silenceRequests(input(ALL_SERVICES, { now: r.endsAt }));
    expect(plan.requests).toEqual([]);
    expect(plan.skipped.map((s) => s.service)).toEqual(['alertmanager', 'pagerduty', 'datadog', 'webhook']);
  });

  it('no request carries a credential', () => {
    for (const q of silenceRequests(input(ALL_SERVICES)).requests) {
      const names = Object.keys(q.headers).map((h) => h.toLowerCase());
      expect(names.filter((h) => /authorization|dd-api-key|dd-application-key|signature/.test(h))).toEqual(
        [],
      );
    }
  });
});

describe('handles and lifting', () => {
  it.each([
    [
      { service: 'alertmanager', operation: 'create', status: 200, attempts: 1, id: 's-1' },
      { service: 'alertmanager', id: 's-1' },
    ],
    [
      { service: 'pagerduty', operation: 'create', status: 201, attempts: 1, id: 'PW1' },
      { service: 'pagerduty', id: 'PW1' },
    ],
    [
      { service: 'datadog', operation: 'create', status: 200, attempts: 2, id: 'd-1' },
      { service: 'datadog', id: 'd-1' },
    ],
    [{ service: 'webhook', operation: 'post', status: 204, attempts: 1 }, { service: 'webhook' }],
    [{ service: 'slack', operation: 'post', status: 200, attempts: 1 }, undefined],
  ] as const)('%j -> %j', (result, handle) => {
    expect(silenceHandle(result)).toEqual(handle);
  });

  it('lifts each silence with its own call', () => {
    const now = r.startsAt + 20 * 60_000; // ended early, 20 minutes in
    const requests = liftRequests(input(ALL_SERVICES, { now }), [
      { service: 'alertmanager', id: 's-1' },
      { service: 'pagerduty', id: 'PW1' },
      { service: 'datadog', id: 'd-1' },
      { service: 'webhook' },
    ]);
    expect(requests.map((q) => `${q.service} ${q.method} ${q.path}`)).toEqual([
      'alertmanager DELETE /api/v2/silence/s-1',
      'pagerduty DELETE /maintenance_windows/PW1',
      'datadog DELETE /api/v2/downtime/d-1',
      'webhook POST ',
    ]);
    expect(JSON.parse(requests[3]!.body!)).toMatchObject({
      event: 'maintenance.end',
      ended_at: '2027-01-17T02:20:00Z',
    });
  });
});
