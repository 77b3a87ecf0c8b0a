// Datadog downtimes as built: scope from the environment and services in Datadog's tag form, the API
// host of each site, UTC times, and the display zone of the request.
import { describe, expect, it } from 'vitest';
import {
  datadogApiUrl,
  datadogCancel,
  datadogDowntime,
  datadogScope,
  datadogTagValue,
  type DatadogDowntime,
} from '../../src/alerts/datadog.ts';
import type { SilenceInput } from '../../src/alerts/input.ts';
import { request } from '../helpers/requests.ts';
import { ALL_SERVICES, policyWithAlerts, silenceInput } from './inputs.ts';

describe('datadogApiUrl', () => {
  it.each([
    ['the default site', {}, 'https://api.datadoghq.com'],
    ['US1', { site: 'datadoghq.com' }, 'https://api.datadoghq.com'],
    ['EU', { site: 'datadoghq.eu' }, 'https://api.datadoghq.eu'],
    ['US3', { site: 'us3.datadoghq.com' }, 'https://api.us3.datadoghq.com'],
    ['US5', { site: 'us5.datadoghq.com' }, 'https://api.us5.datadoghq.com'],
    ['AP1', { site: 'ap1.datadoghq.com' }, 'https://api.ap1.datadoghq.com'],
    ['US1-FED', { site: 'ddog-gov.com' }, 'https://api.ddog-gov.com'],
    ['the app host as people copy it', { site: 'app.datadoghq.eu' }, 'https://api.datadoghq.eu'],
    ['a URL instead of a site', { site: 'https://app.datadoghq.com/' }, 'https://api.datadoghq.com'],
    ['an explicit url wins', { site: 'datadoghq.eu', url: 'http://127.0.0.1:9' }, 'http://127.0.0.1:9'],
  ])('%s', (_name, config, url) => {
    expect(datadogApiUrl(config)).toBe(url);
  });
});

describe('datadogScope', () => {
  it.each([
    ['one service', ['api'], 'env:production AND service:api'],
    ['several services', ['api', 'web'], 'env:production AND service:(api OR web)'],
    ['no services: the environment', [], 'env:production'],
    [
      'dots and hyphens are tag characters',
      ['api.v2', 'db-1'],
      'env:production AND service:(api.v2 OR db-1)',
    ],
    [
      'anything else becomes an underscore, as Datadog stores tags',
      ['A|B', 'x y'],
      'env:production AND service:(a_b OR x_y)',
    ],
    ['names that become one tag collapse', ['a|b', 'a b'], 'env:production AND service:a_b'],
  ])('%s', (_name, services, scope) => {
    expect(datadogScope({ ...request('r'), services })).toBe(scope);
  });

  it('lowers the environment too', () => {
    expect(datadogTagValue('Production')).toBe('production');
  });
});

describe('datadogDowntime', () => {
  const policy = policyWithAlerts(ALL_SERVICES);
  const input = (fields: Record<string, string | undefined>, over: Partial<SilenceInput> = {}) =>
    silenceInput(request('kernel', { title: 'Kernel update', services: '[api, web]', ...fields }), policy, {
      issueUrl: 'https://github.com/acme/ops/issues/3',
      ...over,
    });

  it('describes POST /api/v2/downtime with a one-time UTC schedule', () => {
    const built = datadogDowntime(
      input({ start: '2027-01-17T03:00', timezone: 'Europe/Berlin', duration: '1h' }),
    );
    if (built.kind !== 'request') throw new Error(built.reason);
    expect(built.request).toMatchObject({ method: 'POST', path: '/api/v2/downtime', operation: 'create' });
    expect(JSON.parse(built.request.body!) as DatadogDowntime).toEqual({
      data: {
        type: 'downtime',
        attributes: {
          scope: 'env:production AND service:(api OR web)',
          schedule: { start: '2027-01-17T01:30:00Z', end: '2027-01-17T03:00:00Z' },
          message: 'Planned maintenance kernel: Kernel update — https://github.com/acme/ops/issues/3',
          monitor_identifier: { monitor_tags: ['*'] },
          display_timezone: 'Europe/Berlin',
        },
      },
    });
  });

  it.each([
    ['an IANA zone is shown as is', { timezone: 'America/New_York' }, 'America/New_York'],
    ['UTC', { timezone: 'UTC' }, 'UTC'],
    ['a fixed offset is shown in UTC', { start: '2027-01-17T02:00+01:00', timezone: undefined }, 'UTC'],
  ])('display zone: %s', (_name, fields, zone) => {
    const built = datadogDowntime(input(fields));
    if (built.kind !== 'request') throw new Error(built.reason);
    expect(JSON.parse(built.request.body!).data.attributes.display_timezone).toBe(zone);
  });

  it('skips without Datadog in the policy', () => {
    expect(datadogDowntime(input({}, { policy: policyWithAlerts('lead: PT30M') })).kind).toBe('skip');
  });

  it('cancels with DELETE /api/v2/downtime/{downtime_id}', () => {
    expect(datadogCancel('00000000-0000-1234-0000-000000000000')).toMatchObject({
      method: 'DELETE',
      path: '/api/v2/downtime/00000000-0000-1234-0000-000000000000',
      operation: 'end',
    });
  });
});
