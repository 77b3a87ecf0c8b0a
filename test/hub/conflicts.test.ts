// Conflicts between repositories, in the hub (every pair among the work to come) and in a member's
// validation (its requests against the other repositories' work in the hub's schedule.json).
import { describe, expect, it } from 'vitest';
import { crossRepositoryConflicts } from '../../src/hub/conflicts.ts';
import { crossRepositoryFindings } from '../../src/hub/cross-check.ts';
import type { RepositoryOccurrence } from '../../src/hub/schedule-input.ts';
import { request } from '../helpers/requests.ts';
import { NOW, policy, published } from './site-fixture.ts';

const sunday = '2027-03-14';
const at = (time: string) => `${sunday}T${time}`;

function hub(): RepositoryOccurrence[] {
  return [
    ...published(
      'acme/payments',
      [
        request('failover', { start: at('02:00'), duration: '2h', services: '[db, payments]' }),
        request('patch', { start: at('05:00'), duration: '30m', services: '[payments]' }),
        request('cancelled', { start: at('02:00'), services: '[db]', status: 'cancelled' }),
        request('past', { start: '2027-02-21T02:00', services: '[db]' }),
      ],
      { failover: 7 },
    ),
    ...published(
      'acme/orders',
      [
        request('upgrade', { start: at('03:00'), duration: '2h', services: '[db, orders]' }),
        request('own-overlap', { start: at('05:00'), duration: '30m', services: '[orders]' }),
        request('weekly', {
          start: at('02:30'),
          duration: '1h',
          services: '[orders-cache]',
          recurrence: 'FREQ=WEEKLY;COUNT=3',
        }),
      ],
      { upgrade: 12 },
    ),
    ...published('acme/search', [request('reindex', { start: '2027-03-21T02:45', services: '[search]' })]),
  ];
}

describe('crossRepositoryConflicts', () => {
  const { conflicts, excesses } = crossRepositoryConflicts(hub(), policy(), NOW);
  const pairs = conflicts.map((c) => [c.key, c.severity, c.sharedServices.join(','), c.count]);

  it('finds pairs of different repositories: a shared service is an error, the environment a warning', () => {
    expect(pairs).toEqual([
      ['failover@acme.payments.maint weekly@acme.orders.maint', 'warning', '', 1],
      ['failover@acme.payments.maint upgrade@acme.orders.maint', 'error', 'db', 1],
      ['own-overlap@acme.orders.maint patch@acme.payments.maint', 'warning', '', 1],
      // The series' next Sunday overlaps search's reindex.
      ['reindex@acme.search.maint weekly@acme.orders.maint', 'warning', '', 1],
    ]);
    const db = conflicts.find((c) => c.severity === 'error')!;
    expect(db.a.links.pull_request).toBe('https://github.com/acme/payments/pull/7');
    expect(db.b.links.pull_request).toBe('https://github.com/acme/orders/pull/12');
    expect(new Date(db.at.start).toISOString()).toBe('2027-03-14T03:00:00.000Z');
  });

  it('leaves out cancelled and finished work, and pairs within one repository', () => {
    const keys = conflicts.map((c) => c.key).join(' ');
    expect(keys).not.toContain('cancelled@');
    expect(keys).not.toContain('past@');
    expect(keys).not.toMatch(/upgrade@acme\.orders\.maint weekly@acme\.orders/);
  });

  it('reports when more work than the limit runs at once across repositories', () => {
    // production allows 2: failover, upgrade and the weekly cache job meet at 03:00.
    expect(
      excesses.map((e) => [e.environment, e.limit, new Date(e.at).toISOString(), e.running.map((r) => r.id)]),
    ).toEqual([['production', 2, '2027-03-14T03:00:00.000Z', ['failover', 'weekly', 'upgrade']]]);
  });

  it('lists no environment-only overlaps when the policy turns them off', () => {
    const quiet = policy((yaml) => yaml.replace('same_environment: warning', 'same_environment: off'));
    expect(crossRepositoryConflicts(hub(), quiet, NOW).conflicts.map((c) => c.severity)).toEqual(['error']);
  });
});

describe('crossRepositoryFindings', () => {
  const check = (fields: Record<string, string>, repository = 'acme/billing') => {
    const mine = request('mine', { start: at('03:30'), duration: '30m', ...fields });
    return (
      crossRepositoryFindings({ requests: [mine], hub: hub(), repository, policy: policy(), now: NOW }).get(
        mine,
      ) ?? []
    );
  };

  it("names the other repository's request and its pull request", () => {
    const findings = check({ services: '[db]' });
    expect(findings.map((f) => [f.rule, f.severity, f.path])).toEqual([
      ['conflict', 'error', ['services']],
      ['conflict', 'error', ['services']],
      ['concurrency', 'error', ['start']],
    ]);
    expect(findings[0]!.message).toContain(
      'overlaps `failover` of acme/payments ("Test request", https://github.com/acme/payments/pull/7) on production/db on Sunday 14 March 2027, 03:30-04:00 UTC',
    );
    expect(findings[1]!.message).toContain('`upgrade` of acme/orders');
    expect(findings[2]!.message).toContain('3 maintenances would run at once in production');
  });

  it('warns about other services of the same environment, unless the policy turns it off', () => {
    const mine = request('mine', { start: at('05:00'), duration: '30m', services: '[billing]' });
    const run = (p = policy()) =>
      (
        crossRepositoryFindings({
          requests: [mine],
          hub: hub(),
          repository: 'acme/billing',
          policy: p,
          now: NOW,
        }).get(mine) ?? []
      ).map((f) => `${f.severity} ${f.message.slice(0, 40)}`);
    expect(run()).toEqual([
      'warning runs at the same time as `patch` of acme',
      'warning runs at the same time as `own-overlap` o',
      'error 3 maintenances would run at once in prod',
    ]);
    const off = policy((yaml) => yaml.replace('same_environment: warning', 'same_environment: off'));
    expect(run(off)).toEqual(['error 3 maintenances would run at once in prod']);
  });

  it("leaves the repository's own work in the hub to the usual rules", () => {
    expect(check({ services: '[orders]', start: at('05:00') }, 'acme/orders').map((f) => f.message)).toEqual([
      expect.stringContaining('`patch` of acme/payments'),
    ]);
  });

  it('checks every occurrence of a series and counts them', () => {
    const mine = request('nightly', {
      start: at('02:40'),
      duration: '10m',
      services: '[orders-cache]',
      recurrence: 'FREQ=WEEKLY;COUNT=3',
    });
    const findings = crossRepositoryFindings({
      requests: [mine],
      hub: hub(),
      repository: 'acme/billing',
      policy: policy(),
      now: NOW,
    }).get(mine)!;
    expect(findings.find((f) => f.message.includes('`weekly` of acme/orders'))?.message).toContain(
      '(3 overlapping occurrences)',
    );
  });

  it('has nothing to say about cancelled requests or environments the policy does not name', () => {
    expect(check({ services: '[db]', status: 'cancelled' })).toEqual([]);
    expect(check({ services: '[db]', environment: 'lab' })).toEqual([]);
  });
});
