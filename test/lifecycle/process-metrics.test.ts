// The runbooks' process metrics over a fixed month (March 2027, UTC) of recorded states and pull
// request times, checked against figures computed by hand (the working is written beside each).
import { describe, expect, it } from 'vitest';
import { monthlyReport } from '../../src/lifecycle/metrics.ts';
import type { ActionName, StateMap } from '../../src/lifecycle/state.ts';
import { reportText } from '../../src/format/report.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { POLICY, file } from './support.ts';

const request = (id: string, fields: Record<string, string>): MaintenanceRequest => file(id, fields).request!;

const REQUESTS = [
  request('a', { start: '2027-03-07T02:00' }), // low: notice 1 day; reminder P1D
  request('b', { start: '2027-03-10T02:00', impact: 'medium' }), // notice 7 days; P7D, P1D
  request('c', { start: '2027-03-14T02:00', impact: 'high' }), // notice 14 days; P14D, P7D, P1D, PT1H
  request('d', { start: '2027-03-21T02:00' }),
  request('e', { start: '2027-03-25T10:00', type: 'emergency', justification: 'CVE-2027-0001' }), // 2 h; none
  request('f', {
    environment: 'staging',
    start: '2027-03-24T22:00',
    recurrence: 'FREQ=WEEKLY;BYDAY=WE;COUNT=2',
  }),
  request('g', { start: '2027-03-28T02:00', status: 'cancelled' }),
  request('u', { start: '2027-03-30T02:00' }), // never tracked
];

const log = (entries: [string, string][]) =>
  entries.map(([at, action]) => ({ at, action: action as ActionName }));

const STATES = {
  a: {
    state: 'completed',
    done: ['announce', 'remind:P1D', 'start', 'complete', 'review'],
    log: log([
      ['2027-03-01T10:00:00Z', 'announce'], // 5 days 16 h ahead: >= 1 day
      ['2027-03-06T02:07:00Z', 'remind:P1D'], // due 03-06 02:00, 7 min late
      ['2027-03-07T02:00:00Z', 'start'],
      ['2027-03-07T02:40:00Z', 'complete'],
    ]),
    delivery: { slack: { announce: 'sent', 'remind:P1D': 'sent', start: 'sent' } },
    review: { since: '2027-03-07T02:40:00Z', due: [] },
    pullRequest: { number: 11, opened: '2027-02-27T09:00:00Z', merged: '2027-02-28T08:00:00Z' }, // 23 h
  },
  b: {
    state: 'rolled-back',
    done: ['announce', 'remind:P7D', 'remind:P1D', 'start', 'rollback', 'review', 'reviewed'],
    log: log([
      ['2027-03-02T12:00:00Z', 'announce'], // 7 days 14 h ahead: >= 7 days
      ['2027-03-03T02:52:00Z', 'remind:P7D'], // due 03-03 02:00, 52 min late: on time
      ['2027-03-09T03:10:00Z', 'remind:P1D'], // due 03-09 02:00, 70 min late: late
    ]),
    delivery: {
      slack: { announce: 'sent', 'remind:P7D': 'sent', 'remind:P1D': 'sent' },
      teams: { announce: 'sent', 'remind:P7D': 'failed', 'remind:P1D': 'sent' },
    },
    review: {
      since: '2027-03-10T02:50:00Z',
      due: ['rolled-back'],
      done: { at: '2027-03-10T20:00:00Z', by: '@bob' }, // 17 h 10 min: within 24 h
      actions: { open: 2, done: 1 },
    },
    pullRequest: { number: 12, opened: '2027-02-20T10:00:00Z', merged: '2027-02-23T10:00:00Z' }, // 72 h
  },
  c: {
    state: 'failed',
    done: ['announce', 'remind:P14D', 'remind:P7D', 'remind:P1D', 'remind:PT1H', 'start', 'fail', 'review'],
    log: log([
      ['2027-02-20T09:00:00Z', 'announce'], // 21 days 17 h ahead: >= 14 days
      ['2027-02-28T02:07:00Z', 'remind:P14D'],
      ['2027-03-07T02:07:00Z', 'remind:P7D'],
      ['2027-03-13T02:07:00Z', 'remind:P1D'],
      ['2027-03-14T01:07:00Z', 'remind:PT1H'],
    ]),
    delivery: {
      statuspage: { announce: 'sent' }, // Statuspage reminds by itself: the announcement is all it owes
      slack: {
        announce: 'sent',
        'remind:P14D': 'sent',
        'remind:P7D': 'sent',
        'remind:P1D': 'sent',
        'remind:PT1H': 'failed',
      },
    },
    review: {
      since: '2027-03-14T03:00:00Z',
      due: ['failed', 'high-impact'],
      done: { at: '2027-03-18T09:00:00Z', by: 'removing the label maintenance:review-due' }, // 4 d 6 h
      actions: { open: 1, done: 0 },
    },
    pullRequest: { number: 13, opened: '2027-02-18T09:00:00Z', merged: '2027-02-18T15:00:00Z' }, // 6 h
  },
  d: {
    state: 'missed',
    done: ['announce', 'remind:P1D', 'miss', 'review'],
    log: log([
      ['2027-03-19T08:00:00Z', 'announce'], // 1 day 18 h ahead
      ['2027-03-20T02:22:00Z', 'remind:P1D'], // 22 min late
    ]),
    review: { since: '2027-03-21T05:00:00Z', due: ['missed'] }, // not done; 11 d 19 h by now: overdue
    // pushed directly: no pull request
  },
  e: {
    state: 'completed',
    done: ['announce', 'start', 'complete', 'review'],
    log: log([['2027-03-25T07:30:00Z', 'announce']]), // 2 h 30 min ahead: >= 2 h
    review: { since: '2027-03-25T10:40:00Z', due: ['emergency'] }, // not done; 7 d 13 h 20 min: overdue
    pullRequest: { number: 14, opened: '2027-03-25T06:00:00Z', merged: '2027-03-25T07:00:00Z' }, // 1 h
  },
  'f@2027-03-24T22:00': {
    state: 'completed',
    done: ['announce', 'remind:P1D', 'start', 'complete', 'review'],
    log: log([
      ['2027-03-16T22:07:00Z', 'announce'],
      ['2027-03-23T22:07:00Z', 'remind:P1D'],
    ]),
    review: { since: '2027-03-24T22:40:00Z', due: [] },
    pullRequest: { number: 15, opened: '2027-03-10T10:00:00Z', merged: '2027-03-12T10:00:00Z' }, // 48 h
  },
  'f@2027-03-31T22:00': {
    state: 'rolled-back',
    done: ['announce', 'remind:P1D', 'start', 'rollback', 'review'],
    log: log([
      ['2027-03-23T22:07:00Z', 'announce'],
      ['2027-03-30T22:07:00Z', 'remind:P1D'],
    ]),
    delivery: { email: { announce: 'sent', 'remind:P1D': 'sent' } },
    review: { since: '2027-03-31T22:45:00Z', due: ['rolled-back'] }, // not done; 1 d 1 h: still in time
    pullRequest: { number: 15, opened: '2027-03-10T10:00:00Z', merged: '2027-03-12T10:00:00Z' }, // the same
  },
  g: {
    state: 'cancelled',
    done: ['announce', 'cancel'],
    log: log([['2027-03-20T10:00:00Z', 'announce']]),
    pullRequest: { number: 16, opened: '2027-03-01T08:00:00Z', merged: '2027-03-01T10:00:00Z' }, // 2 h
  },
} as StateMap;

const NOW = Date.parse('2027-04-02T00:00:00Z');
const HOUR = 3_600_000;

/** Worked by hand from the states above. */
const EXPECTED = {
  reviews: {
    due: 5, // b, c, d, e, f@03-31 (a and f@03-24 completed at low impact: none due; g cancelled)
    within24h: 1, // b
    within7d: 1, // c
    overdue: 2, // d, e
    pending: 1, // f@03-31
    rate: 0.5, // (1 + 1) / (5 - 1)
    actionItems: { open: 3, done: 1 }, // b 2 + 1, c 1 + 0
  },
  processing: {
    pullRequests: 6, // #11..#16; #15 once for both occurrences of f
    medianMs: 14.5 * HOUR, // 1, 2, 6, 23, 48, 72 h: (6 + 23) / 2
    under24h: 4, // 1, 2, 6, 23 h
    shareUnder24h: 4 / 6,
    unrecorded: 1, // d (u was never tracked)
  },
  notifications: {
    maintenance: 7, // a, b, c, d, e, f twice (g cancelled, u untracked)
    byChannel: {
      issue: { maintenance: 7, covered: 6, rate: 6 / 7 }, // all but b (its 1-day reminder 70 min late)
      slack: { maintenance: 3, covered: 1, rate: 1 / 3 }, // a; b late; c's 1-hour reminder failed
      teams: { maintenance: 1, covered: 0, rate: 0 }, // b
      statuspage: { maintenance: 1, covered: 1, rate: 1 }, // c: its announcement
      email: { maintenance: 1, covered: 1, rate: 1 }, // f@03-31
    },
  },
};

describe('the process metrics of a month', () => {
  const report = monthlyReport(STATES, REQUESTS, '2027-03', 'UTC', { policy: POLICY, now: NOW });

  it('review completion: within 24 h, within 7 days, overdue, still in time', () => {
    expect(report.process!.reviews).toEqual(EXPECTED.reviews);
  });

  it('request processing: the median and the share under 24 h of the distinct pull requests', () => {
    expect(report.process!.processing).toEqual(EXPECTED.processing);
  });

  it('notification coverage per channel', () => {
    expect(report.process!.notifications).toEqual(EXPECTED.notifications);
  });

  it('a reminder is on time up to an hour after its moment, not a minute more', () => {
    const at = (minutes: number) => ({
      ...STATES.a!,
      log: log([
        ['2027-03-01T10:00:00Z', 'announce'],
        [new Date(Date.parse('2027-03-06T02:00:00Z') + minutes * 60_000).toISOString(), 'remind:P1D'],
      ]),
    });
    const covered = (minutes: number) =>
      monthlyReport({ a: at(minutes) }, [REQUESTS[0]!], '2027-03', 'UTC', { policy: POLICY, now: NOW })
        .process!.notifications.byChannel.issue!.covered;
    expect([0, 60, 61].map(covered)).toEqual([1, 1, 0]);
  });

  it('an announcement with less notice than the policy promises is not on time', () => {
    const late = { ...STATES.a!, log: log([['2027-03-06T03:00:00Z', 'announce']]) }; // 23 h ahead
    const report = monthlyReport({ a: late }, [REQUESTS[0]!], '2027-03', 'UTC', { policy: POLICY, now: NOW });
    expect(report.process!.notifications.byChannel.issue).toEqual({ maintenance: 1, covered: 0, rate: 0 });
  });

  it('prints them after the table', () => {
    const text = reportText(report);
    expect(text).toContain(
      'Reviews: 5 due; 1 done within 24 h, 1 within 7 days, 2 overdue, 1 still in time; completion 50% (target 100%).',
    );
    expect(text).toContain('Action items written in reviews: 4, 1 done.');
    expect(text).toContain(
      'Request processing (pull request opened -> approved and merged), 6 pull requests: median 14 h 30 min, 67% under 24 h (target: under 24 h).',
    );
    expect(text).toContain('Requests without a recorded pull request: 1.');
    expect(text).toContain(
      'Notification coverage (announcement and every due reminder on time; target 100%): result issue 6/7 (86%), e-mail 1/1 (100%), Slack 1/3 (33%), Statuspage 1/1 (100%), Teams 0/1 (0%).',
    );
  });
});
