// One issue per conflicting pair: opened once, updated when what it says changes, closed once the
// pair no longer conflicts, found again by its hidden marker; and the state read back between builds.
import { describe, expect, it } from 'vitest';
import { crossRepositoryConflicts, type CrossConflict } from '../../src/hub/conflicts.ts';
import {
  conflictIssue,
  conflictMarker,
  knownIssue,
  markerKey,
  planConflictIssues,
} from '../../src/hub/issues.ts';
import { emptyState, parseHubState, renderHubState } from '../../src/hub/state.ts';
import { request } from '../helpers/requests.ts';
import { NOW, policy, published } from './site-fixture.ts';

function conflicts(title = 'Failover'): CrossConflict[] {
  const occurrences = [
    ...published(
      'acme/payments',
      [request('failover', { title, start: '2027-03-14T02:00', duration: '2h', services: '[db]' })],
      {
        failover: 7,
      },
    ),
    ...published('acme/orders', [request('upgrade', { start: '2027-03-14T03:00', services: '[db]' })], {
      upgrade: 12,
    }),
  ];
  return crossRepositoryConflicts(occurrences, policy(), NOW).conflicts;
}

const open = (
  c: CrossConflict,
  number: number,
  body = conflictIssue(c).body,
  title = conflictIssue(c).title,
) => knownIssue({ number, title, body })!;

describe('conflict issues', () => {
  it('marks each issue with its pair, and finds the pair again from the body', () => {
    const [conflict] = conflicts();
    expect(conflict!.key).toBe('failover@acme.payments.maint upgrade@acme.orders.maint');
    const { body } = conflictIssue(conflict!);
    expect(markerKey(body)).toBe(conflict!.key);
    expect(markerKey(`Some text\n${conflictMarker('a b')}\nmore`)).toBe('a b');
    expect(markerKey('<!-- maint-hub-conflict: not json -->')).toBeUndefined();
  });

  it('opens an issue for a new conflict, names both requests and their pull requests', () => {
    const actions = planConflictIssues(conflicts(), []);
    expect(actions.map((a) => a.kind)).toEqual(['create']);
    const create = actions[0] as Extract<(typeof actions)[number], { kind: 'create' }>;
    expect(create.title).toBe(
      'Maintenance conflict: acme/payments failover and acme/orders upgrade on production/db',
    );
    expect(create.body).toContain('[pull request](https://github.com/acme/payments/pull/7)');
    expect(create.body).toContain('[pull request](https://github.com/acme/orders/pull/12)');
    expect(create.body).toContain('They first overlap on Sunday 14 March 2027, 03:00-04:00 UTC.');
  });

  it('leaves an issue that says the same alone, and updates one whose conflict changed', () => {
    const [conflict] = conflicts();
    expect(planConflictIssues([conflict!], [open(conflict!, 4)])).toEqual([]);
    const [renamed] = conflicts('Failover drill');
    const actions = planConflictIssues([renamed!], [open(conflict!, 4)]);
    expect(actions.map((a) => [a.kind, 'number' in a ? a.number : undefined])).toEqual([['update', 4]]);
  });

  it('closes the issue of a resolved conflict, and a second issue of the same pair as a duplicate', () => {
    const [conflict] = conflicts();
    const actions = planConflictIssues([], [open(conflict!, 4), open(conflict!, 9)]);
    expect(actions.map((a) => a.kind === 'close' && [a.number, a.duplicate])).toEqual([
      [9, true],
      [4, false],
    ]);
  });

  it('ignores issues without the marker (people may use the label too)', () => {
    expect(knownIssue({ number: 1, title: 'Question', body: 'Is the db work moving?' })).toBeUndefined();
  });

  it('escapes what members wrote: no mention, link or HTML from a title', () => {
    const [conflict] = conflicts(
      JSON.stringify('@acme/everyone <img src=x onerror=alert(1)> [click](https://evil.example)'),
    );
    const { body } = conflictIssue(conflict!);
    expect(body).not.toContain('@acme/everyone');
    expect(body).not.toContain('<img');
    expect(body).not.toContain('](https://evil.example)');
  });
});

describe('hub state', () => {
  it('reads back what it wrote', () => {
    const state = {
      ...emptyState(),
      generatedAt: '2027-03-01T00:00:00.000Z',
      members: {
        'acme/a': {
          repository: 'acme/a',
          source: {
            kind: 'pages' as const,
            url: 'https://acme.github.io/a/schedule.json',
            etag: '"x"',
            lastModified: null,
          },
          readAt: '2027-03-01T00:00:00.000Z',
          occurrences: 3,
          problem: null,
        },
      },
      sequences: { 'x@acme.a.maint': [2, 'sig'] as [number, string] },
      issues: { etag: 'W/"abc"', open: [{ number: 4, key: 'a b', title: 't', bodySha: 'f'.repeat(64) }] },
    };
    expect(parseHubState(renderHubState(state))).toEqual({ state });
  });

  it.each([
    ['not JSON', '<html>', 'not JSON'],
    ['another version', '{"version":2}', 'not version 1'],
    ['missing parts', '{"version":1}', 'members, listings or sequences missing'],
  ])('ignores %s, saying why', (_name, text, problem) => {
    expect(parseHubState(text)).toEqual({ problem: expect.stringContaining(problem) });
  });

  it('drops entries it cannot use, and asks for the issues again when their list did not read whole', () => {
    const parsed = parseHubState(
      JSON.stringify({
        version: 1,
        members: { 'acme/a': { repository: 'acme/a' } },
        listings: {},
        sequences: { a: [1, 's'], b: ['x', 's'] },
        issues: { etag: '"e"', open: [{ number: 1, key: 'k', title: 't', bodySha: 's' }, { number: 'two' }] },
      }),
    );
    if (!('state' in parsed)) throw new Error(parsed.problem);
    expect(parsed.state.members).toEqual({});
    expect(parsed.state.sequences).toEqual({ a: [1, 's'] });
    expect(parsed.state.issues).toEqual({
      etag: null,
      open: [{ number: 1, key: 'k', title: 't', bodySha: 's' }],
    });
  });
});
