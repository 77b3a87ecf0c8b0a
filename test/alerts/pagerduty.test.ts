// PagerDuty maintenance windows as built: the documented body, services mapped through the policy,
// and DELETE to end one early (PagerDuty ends an on-going window on DELETE).
import { describe, expect, it } from 'vitest';
import type { SilenceInput } from '../../src/alerts/input.ts';
import { pagerdutyEnd, pagerdutyServices, pagerdutyWindow } from '../../src/alerts/pagerduty.ts';
import { request } from '../helpers/requests.ts';
import { ALL_SERVICES, policyWithAlerts, silenceInput } from './inputs.ts';

const policy = policyWithAlerts(ALL_SERVICES);
const input = (fields: Record<string, string>, over: Partial<SilenceInput> = {}) =>
  silenceInput(request('cache-flush', { title: 'Flush caches', ...fields }), policy, {
    issueUrl: 'https://github.com/acme/ops/issues/9',
    ...over,
  });

describe('pagerdutyServices', () => {
  const mapping = { api: 'PIJ90N7', web: 'PWEB123', 'api.v2': 'PIJ90N7' };
  it.each([
    ['all mapped', ['api', 'web'], ['PIJ90N7', 'PWEB123'], []],
    ['two names for one PagerDuty service', ['api', 'api.v2'], ['PIJ90N7'], []],
    ['some unmapped', ['api', 'db'], ['PIJ90N7'], ['db']],
    ['none mapped', ['db'], [], ['db']],
    ['no services', [], [], []],
    ['an inherited property name is not a mapping', ['toString'], [], ['toString']],
  ])('%s', (_name, services, ids, unmapped) => {
    expect(pagerdutyServices(services, mapping)).toEqual({ ids, unmapped });
  });
});

describe('pagerdutyWindow', () => {
  it('describes POST /maintenance_windows with the documented body', () => {
    const built = pagerdutyWindow(
      input({ services: '[api, web]', start: '2027-01-17T02:00', duration: '2h' }),
    );
    if (built.kind !== 'request') throw new Error(built.reason);
    expect(built.request).toMatchObject({
      service: 'pagerduty',
      operation: 'create',
      method: 'POST',
      path: '/maintenance_windows',
      headers: { Accept: 'application/vnd.pagerduty+json;version=2', 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(built.request.body!)).toEqual({
      maintenance_window: {
        type: 'maintenance_window',
        start_time: '2027-01-17T01:30:00Z',
        end_time: '2027-01-17T04:00:00Z',
        description: 'Planned maintenance cache-flush: Flush caches — https://github.com/acme/ops/issues/9',
        services: [
          { id: 'PIJ90N7', type: 'service_reference' },
          { id: 'PWEB123', type: 'service_reference' },
        ],
      },
    });
  });

  it('says which services PagerDuty will not silence', () => {
    const built = pagerdutyWindow(input({ services: '[api, db]' }));
    if (built.kind !== 'request') throw new Error(built.reason);
    expect(built.request.summary).toContain('not mapped: db');
  });

  it.each([
    ['no service is mapped', { services: '[db, queue]' }, {}, 'services: db, queue'],
    ['the window is over', {}, { now: Date.parse('2027-02-01T00:00:00Z') }, 'already ended'],
    ['the policy has no PagerDuty', {}, { policy: policyWithAlerts('lead: PT30M') }, 'alerts.pagerduty'],
  ])('skips when %s', (_name, fields, over, reason) => {
    const built = pagerdutyWindow(input(fields, over));
    expect(built).toEqual({ kind: 'skip', reason: expect.stringContaining(reason) });
  });

  it('ends with DELETE /maintenance_windows/{id}', () => {
    expect(pagerdutyEnd('PW98YIO')).toMatchObject({
      operation: 'end',
      method: 'DELETE',
      path: '/maintenance_windows/PW98YIO',
      headers: { Accept: 'application/vnd.pagerduty+json;version=2' },
    });
  });
});
