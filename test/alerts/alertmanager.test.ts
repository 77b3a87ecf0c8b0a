// Alertmanager silences as built: matchers from the environment and services (regex-escaped the way
// RE2 needs, anchored by Alertmanager itself), times, comment, and the expiry call.
import { describe, expect, it } from 'vitest';
import {
  alertmanagerExpiry,
  alertmanagerSilence,
  escapeRegex,
  silenceMatchers,
  type AlertmanagerSilence,
} from '../../src/alerts/alertmanager.ts';
import type { SilenceInput } from '../../src/alerts/input.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { request } from '../helpers/requests.ts';
import { policyWithAlerts, silenceInput } from './inputs.ts';

const LABELS = { environmentLabel: 'environment', serviceLabel: 'service' };
/** Service names the request schema would refuse still reach the builder safely. */
const withServices = (services: string[]): MaintenanceRequest => ({ ...request('r'), services });
/** How Alertmanager reads a regex matcher value. */
const anchored = (value: string) => new RegExp(`^(?:${value})$`);

describe('escapeRegex', () => {
  it.each([
    ['plain', 'api', 'api'],
    ['a dot', 'api.v2', 'api\\.v2'],
    ['a pipe', 'a|b', 'a\\|b'],
    ['quantifiers', 'x+y*z?', 'x\\+y\\*z\\?'],
    ['groups and classes', '(a)[b]{2}', '\\(a\\)\\[b\\]\\{2\\}'],
    ['anchors', '^api$', '\\^api\\$'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['hyphen and underscore stay', 'db-primary_1', 'db-primary_1'],
  ])('%s', (_name, value, escaped) => {
    expect(escapeRegex(value)).toBe(escaped);
    expect(anchored(escaped).test(value)).toBe(true);
  });
});

describe('silenceMatchers', () => {
  it.each([
    ['one service: equality', ['api'], { name: 'service', value: 'api', isRegex: false, isEqual: true }],
    [
      'one service with regex characters: still equality',
      ['a|b'],
      { name: 'service', value: 'a|b', isRegex: false, isEqual: true },
    ],
    [
      'several services: one escaped alternation',
      ['api.v2', 'web'],
      { name: 'service', value: 'api\\.v2|web', isRegex: true, isEqual: true },
    ],
    [
      'a pipe inside a name',
      ['a|b', 'c'],
      { name: 'service', value: 'a\\|b|c', isRegex: true, isEqual: true },
    ],
    ['repeats collapse', ['api', 'api'], { name: 'service', value: 'api', isRegex: false, isEqual: true }],
    ['no services: the environment alone', [], undefined],
  ])('%s', (_name, services, serviceMatcher) => {
    const matchers = silenceMatchers(withServices(services), LABELS);
    expect(matchers[0]).toEqual({ name: 'environment', value: 'production', isRegex: false, isEqual: true });
    expect(matchers[1]).toEqual(serviceMatcher);
    expect(matchers).toHaveLength(serviceMatcher ? 2 : 1);
  });

  it.each([
    [
      ['api.v2', 'web'],
      ['api.v2', 'web'],
      ['apixv2', 'api.v2x', 'web2', 'api.v2|web'],
    ],
    [
      ['a|b', 'c'],
      ['a|b', 'c'],
      ['a', 'b', 'b|c', 'a|b|c'],
    ],
    [
      ['x+y', '(z)'],
      ['x+y', '(z)'],
      ['xxy', 'xy', 'z'],
    ],
  ])('%j matches exactly its names once anchored', (services, matching, notMatching) => {
    const re = anchored(silenceMatchers(withServices(services), LABELS)[1]!.value);
    for (const name of matching) expect(re.test(name), name).toBe(true);
    for (const name of notMatching) expect(re.test(name), name).toBe(false);
  });

  it('uses the label names of the policy', () => {
    const policy = policyWithAlerts(
      `alertmanager: { url: 'http://am.invalid', environment_label: env, service_label: app }`,
    );
    const matchers = silenceMatchers(withServices(['api', 'web']), policy.alerts.alertmanager!);
    expect(matchers.map((m) => m.name)).toEqual(['env', 'app']);
  });
});

describe('alertmanagerSilence', () => {
  const policy = policyWithAlerts(`lead: PT30M\nalertmanager: { url: 'http://am.invalid' }`);
  const r = request('db-upgrade', {
    title: 'Upgrade Postgres',
    services: '[api.v2, web]',
    start: '2027-01-17T03:00',
    timezone: 'Europe/Berlin',
    duration: '90m',
  });
  const input = (over: Partial<SilenceInput> = {}) =>
    silenceInput(r, policy, { issueUrl: 'https://github.com/acme/ops/issues/7', ...over });

  it('describes POST /api/v2/silences with a postableSilence', () => {
    const built = alertmanagerSilence(input());
    expect(built.kind).toBe('request');
    if (built.kind !== 'request') return;
    expect(built.request).toMatchObject({
      service: 'alertmanager',
      operation: 'create',
      method: 'POST',
      path: '/api/v2/silences',
      headers: { 'Content-Type': 'application/json' },
    });
    const body = JSON.parse(built.request.body!) as AlertmanagerSilence;
    expect(body).toEqual({
      matchers: [
        { name: 'environment', value: 'production', isRegex: false, isEqual: true },
        { name: 'service', value: 'api\\.v2|web', isRegex: true, isEqual: true },
      ],
      startsAt: '2027-01-17T01:30:00.000Z',
      endsAt: '2027-01-17T03:30:00.000Z',
      createdBy: 'maint',
      comment: 'Planned maintenance db-upgrade: Upgrade Postgres — https://github.com/acme/ops/issues/7',
    });
    expect(Object.keys(built.request.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it('names the request when there is no issue yet', () => {
    const built = alertmanagerSilence(input({ issueUrl: undefined }));
    if (built.kind !== 'request') throw new Error(built.reason);
    expect(JSON.parse(built.request.body!).comment).toBe('Planned maintenance db-upgrade: Upgrade Postgres');
  });

  it('starts now when the lead time has passed', () => {
    const now = Date.parse('2027-01-17T01:55:00Z');
    const built = alertmanagerSilence(input({ now }));
    if (built.kind !== 'request') throw new Error(built.reason);
    expect(JSON.parse(built.request.body!).startsAt).toBe('2027-01-17T01:55:00.000Z');
  });

  it.each([
    ['the window is over', { now: Date.parse('2027-01-17T03:30:00Z') }, 'already ended'],
    ['the policy has no Alertmanager', { policy: policyWithAlerts('lead: PT30M') }, 'alerts.alertmanager'],
  ])('skips when %s', (_name, over, reason) => {
    const built = alertmanagerSilence(input(over));
    expect(built.kind).toBe('skip');
    if (built.kind === 'skip') expect(built.reason).toContain(reason);
  });

  it('expires with DELETE /api/v2/silence/{silenceID}', () => {
    expect(alertmanagerExpiry('5b7c1f0e-9d7e-4a0c-8a43-2f2a0b6c1d11')).toMatchObject({
      service: 'alertmanager',
      operation: 'end',
      method: 'DELETE',
      path: '/api/v2/silence/5b7c1f0e-9d7e-4a0c-8a43-2f2a0b6c1d11',
    });
    expect(alertmanagerExpiry('a/b').path).toBe('/api/v2/silence/a%2Fb');
  });
});
