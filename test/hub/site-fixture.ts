// Two members' published schedules (as their publish builds them) and a hub site built over them, at
// a fixed instant, for the tests of the hub's pure modules.
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { parsePolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { buildScheduleDocument } from '../../src/publish/schedule-json.ts';
import { inRepository, type RepositoryOccurrence } from '../../src/hub/schedule-input.ts';
import type { Member } from '../../src/hub/members.ts';
import { request } from '../helpers/requests.ts';

export const NOW = Date.parse('2027-03-01T00:00:00Z');

export function policy(changes: (yaml: string) => string = (y) => y): Policy {
  const parsed = parsePolicy({ path: 'policy.yaml', text: changes(DEFAULT_POLICY_YAML) });
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.findings));
  return parsed.policy;
}

export function member(repository: string, teams: string[] = []): Member {
  const [owner = '', name = ''] = repository.split('/');
  return { repository, key: repository.toLowerCase(), owner, name, teams };
}

/** A member's occurrences exactly as its schedule.json lists them. */
export function published(
  repository: string,
  requests: ReturnType<typeof request>[],
  pulls: Record<string, number> = {},
): RepositoryOccurrence[] {
  const [owner = '', name = ''] = repository.split('/');
  const document = buildScheduleDocument({
    requests,
    policy: policy(),
    now: NOW,
    repo: { owner, name },
    links: (id) => (pulls[id] ? { pr: `https://github.com/${repository}/pull/${pulls[id]}` } : {}),
  });
  return document.occurrences.map((o) => inRepository(o, repository));
}

/** payments: Berlin work across the spring DST change, a cancellation; orders: New York and UTC. */
export function fixtureMembers(): { repository: string; occurrences: RepositoryOccurrence[] }[] {
  return [
    {
      repository: 'acme/payments',
      occurrences: published(
        'acme/payments',
        [
          request('db-failover', {
            start: '2027-03-14T03:00',
            timezone: 'Europe/Berlin',
            duration: '2h',
            services: '[db, payments]',
          }),
          request('weekly-patch', {
            start: '2027-03-14T02:30',
            timezone: 'Europe/Berlin',
            duration: '45m',
            services: '[payments]',
            environment: 'staging',
            recurrence: 'FREQ=WEEKLY;COUNT=6',
          }),
          request('old-plan', { start: '2027-03-21T02:00', status: 'cancelled', services: '[payments]' }),
        ],
        { 'db-failover': 7 },
      ),
    },
    {
      repository: 'acme/orders',
      occurrences: published(
        'acme/orders',
        [
          request('twice', {
            start: '2027-03-07T21:00',
            timezone: 'America/New_York',
            duration: '1h',
            services: '[orders]',
            recurrence: 'FREQ=WEEKLY;COUNT=2',
          }),
          request('db-upgrade', { start: '2027-03-14T03:00', duration: '2h', services: '[db, orders]' }),
        ],
        { 'db-upgrade': 12 },
      ),
    },
  ];
}
