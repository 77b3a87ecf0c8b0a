import { describe, expect, it } from 'vitest';
import type { OccurrenceState, StateMap } from '../../src/lifecycle/state.ts';
import { POLICY, brief, file, plan } from './support.ts';

// The default request: production, Sunday 17 January 2027 02:00-03:00 UTC, low impact (reminder P1D),
// in the Sunday window 02:00-06:00 UTC; alerts are silenced from 01:30.
const LOW = file('x');
const MEDIUM = file('x', { impact: 'medium' });
const HIGH = file('x', { impact: 'high' });
const CANCELLED = file('x', { status: 'cancelled' });
const EMERGENCY = file('x', {
  type: 'emergency',
  impact: 'medium',
  start: '2027-01-04T09:30',
  justification: 'CVE under attack',
  incident: 'INC-1',
});
const DEVELOPMENT = file('x', { environment: 'development', start: '2027-01-12T14:00' });
const OFF_WINDOW = file('x', { start: '2027-01-12T14:00' }); // no production window on Tuesdays

const state = (s: OccurrenceState['state'], ...done: string[]): StateMap => ({
  x: { state: s, done } as OccurrenceState,
});
const ANNOUNCED = state('announced', 'announce');
const REMINDED = state('reminded', 'announce', 'remind:P1D');
const SILENCED = state('reminded', 'announce', 'remind:P1D', 'silence');

interface Row {
  name: string;
  request?: typeof LOW;
  states?: StateMap;
  now: string;
  expected: string[];
}

const table = (rows: Row[]) =>
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_, row) => {
    const result = plan([row.request ?? LOW], row.states ?? {}, row.now);
    expect(result.problems).toEqual([]);
    expect(brief(result.actions)).toEqual(row.expected);
  });

describe('announcement', () => {
  table([
    {
      name: 'a scheduled request not yet announced is announced at once',
      now: '2027-01-04T00:00:00Z',
      expected: ['x announce 2027-01-04T00:00:00Z'],
    },
    {
      name: 'reminders whose moment had passed are skipped: the announcement covers them',
      request: HIGH,
      now: '2027-01-09T00:00:00Z',
      expected: ['x announce 2027-01-09T00:00:00Z', 'x skip:remind:P14D 2027-01-03T02:00:00Z'],
    },
    {
      name: 'a reminder due at the very moment of the announcement is covered too',
      request: MEDIUM,
      now: '2027-01-10T02:00:00Z',
      expected: ['x announce 2027-01-10T02:00:00Z', 'x skip:remind:P7D 2027-01-10T02:00:00Z'],
    },
    {
      name: 'announced already: nothing until the first reminder',
      states: ANNOUNCED,
      now: '2027-01-16T01:59:00Z',
      expected: [],
    },
  ]);
});

describe('reminders', () => {
  table([
    {
      name: 'a reminder is due at start - offset',
      states: ANNOUNCED,
      now: '2027-01-16T02:00:00Z',
      expected: ['x remind:P1D 2027-01-16T02:00:00Z'],
    },
    {
      name: 'of two reminders due at once only the latest is sent',
      request: HIGH,
      states: ANNOUNCED,
      now: '2027-01-10T02:05:00Z',
      expected: ['x skip:remind:P14D 2027-01-03T02:00:00Z', 'x remind:P7D 2027-01-10T02:00:00Z'],
    },
    {
      name: 'of three reminders due at once only the latest is sent',
      request: HIGH,
      states: state('reminded', 'announce', 'remind:P14D'),
      now: '2027-01-17T01:10:00Z',
      expected: [
        'x skip:remind:P7D 2027-01-10T02:00:00Z',
        'x skip:remind:P1D 2027-01-16T02:00:00Z',
        'x remind:PT1H 2027-01-17T01:00:00Z',
      ],
    },
    {
      name: 'a reminder sent or skipped is never due again',
      request: HIGH,
      states: state('reminded', 'announce', 'skip:remind:P14D', 'remind:P7D'),
      now: '2027-01-10T03:00:00Z',
      expected: [],
    },
    {
      name: 'at the start every unsent reminder is skipped',
      states: ANNOUNCED,
      now: '2027-01-17T02:00:00Z',
      expected: [
        'x skip:remind:P1D 2027-01-16T02:00:00Z',
        'x silence 2027-01-17T01:30:00Z',
        'x start 2027-01-17T02:00:00Z',
      ],
    },
    {
      name: 'at a miss every unsent reminder is skipped',
      states: ANNOUNCED,
      now: '2027-01-17T06:00:00Z',
      expected: ['x skip:remind:P1D 2027-01-16T02:00:00Z', 'x miss 2027-01-17T05:00:00Z'],
    },
  ]);
});

describe('alert silence', () => {
  table([
    { name: 'not before start - lead', states: REMINDED, now: '2027-01-17T01:29:00Z', expected: [] },
    {
      name: 'due at start - lead',
      states: REMINDED,
      now: '2027-01-17T01:30:00Z',
      expected: ['x silence 2027-01-17T01:30:00Z'],
    },
    {
      name: 'recorded once: not due again before the start',
      states: SILENCED,
      now: '2027-01-17T01:45:00Z',
      expected: [],
    },
    {
      name: 'lifted as soon as the work ends early',
      states: {
        x: {
          state: 'completed',
          done: ['announce', 'silence', 'start', 'complete'],
          actual: { start: '2027-01-17T02:00:00Z', end: '2027-01-17T02:40:00Z' },
        },
      },
      now: '2027-01-17T02:45:00Z',
      expected: ['x unsilence 2027-01-17T02:40:00Z'],
    },
    {
      name: 'lifted after a rollback',
      states: {
        x: {
          state: 'rolled-back',
          done: ['announce', 'silence', 'start', 'stop', 'rollback'],
          log: [{ at: '2027-01-17T06:10:00Z', action: 'rollback' }],
        },
      },
      now: '2027-01-17T06:15:00Z',
      expected: ['x unsilence 2027-01-17T06:10:00Z'],
    },
    {
      name: 'lifted once',
      states: state('completed', 'announce', 'silence', 'start', 'complete', 'unsilence'),
      now: '2027-01-17T03:00:00Z',
      expected: [],
    },
    {
      name: 'not set for work that can no longer start',
      states: REMINDED,
      now: '2027-01-17T05:01:00Z',
      expected: ['x miss 2027-01-17T05:00:00Z'],
    },
    {
      name: 'set for running work that has none (a state written by an older run)',
      states: state('in-progress', 'announce', 'start'),
      now: '2027-01-17T02:15:00Z',
      expected: ['x silence 2027-01-17T01:30:00Z'],
    },
  ]);
});

describe('start and miss', () => {
  table([
    {
      name: 'start is due from the planned start',
      states: SILENCED,
      now: '2027-01-17T02:00:00Z',
      expected: ['x start 2027-01-17T02:00:00Z'],
    },
    { name: 'not before it', states: SILENCED, now: '2027-01-17T01:59:59Z', expected: [] },
    {
      name: 'a tick 60 minutes late still starts: the work fits before the window closes',
      states: SILENCED,
      now: '2027-01-17T03:00:00Z',
      expected: ['x start 2027-01-17T02:00:00Z'],
    },
    {
      name: 'the last start that fits: now + duration = window end',
      states: SILENCED,
      now: '2027-01-17T05:00:00Z',
      expected: ['x start 2027-01-17T02:00:00Z'],
    },
    {
      name: 'a second later it is missed, and its silence lifted',
      states: SILENCED,
      now: '2027-01-17T05:00:01Z',
      expected: ['x miss 2027-01-17T05:00:00Z', 'x unsilence 2027-01-17T05:00:01Z'],
    },
    {
      name: 'never seen until the window closed: missed without an announcement',
      now: '2027-01-17T07:00:00Z',
      expected: ['x skip:remind:P1D 2027-01-16T02:00:00Z', 'x miss 2027-01-17T05:00:00Z'],
    },
    {
      name: 'seen first while it may still start: announced and started in one tick',
      now: '2027-01-17T02:10:00Z',
      expected: [
        'x announce 2027-01-17T02:10:00Z',
        'x skip:remind:P1D 2027-01-16T02:00:00Z',
        'x silence 2027-01-17T01:30:00Z',
        'x start 2027-01-17T02:00:00Z',
      ],
    },
    {
      name: 'emergency: no window, may start until its planned end',
      request: EMERGENCY,
      now: '2027-01-04T10:29:00Z',
      expected: [
        'x announce 2027-01-04T10:29:00Z',
        'x silence 2027-01-04T09:00:00Z',
        'x start 2027-01-04T09:30:00Z',
      ],
    },
    {
      name: 'emergency: missed at its planned end',
      request: EMERGENCY,
      states: state('announced', 'announce', 'silence'),
      now: '2027-01-04T10:30:00Z',
      expected: ['x miss 2027-01-04T10:30:00Z', 'x unsilence 2027-01-04T10:30:00Z'],
    },
    {
      name: 'any-time environment: may start until its planned end',
      request: DEVELOPMENT,
      states: SILENCED,
      now: '2027-01-12T14:59:00Z',
      expected: ['x start 2027-01-12T14:00:00Z'],
    },
    {
      name: 'any-time environment: missed at its planned end',
      request: DEVELOPMENT,
      states: REMINDED,
      now: '2027-01-12T15:00:00Z',
      expected: ['x miss 2027-01-12T15:00:00Z'],
    },
    {
      name: 'merged work no window contains any more is not re-validated: it runs like any-time work',
      request: OFF_WINDOW,
      states: SILENCED,
      now: '2027-01-12T14:30:00Z',
      expected: ['x start 2027-01-12T14:00:00Z'],
    },
  ]);
});

describe('running work', () => {
  const RUNNING = {
    x: {
      state: 'in-progress',
      done: ['announce', 'remind:P1D', 'silence', 'start'],
      actual: { start: '2027-01-17T02:00:00Z' },
    },
  } as StateMap;
  table([
    {
      name: 'nothing is due while it runs in its window',
      states: RUNNING,
      now: '2027-01-17T05:59:00Z',
      expected: [],
    },
    {
      name: 'past its window end it is due to stop (stop, roll back, report)',
      states: RUNNING,
      now: '2027-01-17T06:00:00Z',
      expected: ['x stop 2027-01-17T06:00:00Z'],
    },
    {
      name: 'stop is due once; the run mode then records the rollback',
      states: { x: { ...RUNNING.x!, done: [...RUNNING.x!.done, 'stop'] } },
      now: '2027-01-17T07:00:00Z',
      expected: [],
    },
    {
      name: 'without a window, work started late may run its full duration',
      request: DEVELOPMENT,
      states: { x: { ...RUNNING.x!, actual: { start: '2027-01-12T14:50:00Z' } } },
      now: '2027-01-12T15:49:00Z',
      expected: [],
    },
    {
      name: 'without a window, it stops after its full duration',
      request: DEVELOPMENT,
      states: { x: { ...RUNNING.x!, actual: { start: '2027-01-12T14:50:00Z' } } },
      now: '2027-01-12T15:50:00Z',
      expected: ['x stop 2027-01-12T15:50:00Z'],
    },
  ]);
});

describe('cancellation', () => {
  table([
    {
      name: 'cancelled before its announcement: nothing',
      request: CANCELLED,
      now: '2027-01-10T00:00:00Z',
      expected: [],
    },
    {
      name: 'cancelled with a state that was never announced: nothing',
      request: CANCELLED,
      states: state('scheduled'),
      now: '2027-01-10T00:00:00Z',
      expected: [],
    },
    {
      name: 'cancelled after its announcement: one cancel',
      request: CANCELLED,
      states: ANNOUNCED,
      now: '2027-01-10T00:00:00Z',
      expected: ['x cancel 2027-01-10T00:00:00Z'],
    },
    {
      name: 'cancelled once silenced: cancel, then the silence is lifted',
      request: CANCELLED,
      states: SILENCED,
      now: '2027-01-17T01:45:00Z',
      expected: ['x cancel 2027-01-17T01:45:00Z', 'x unsilence 2027-01-17T01:45:00Z'],
    },
    {
      name: 'cancelled after its window: still a cancel, not a miss',
      request: CANCELLED,
      states: REMINDED,
      now: '2027-01-18T00:00:00Z',
      expected: ['x cancel 2027-01-18T00:00:00Z'],
    },
    {
      name: 'cancelled while running: the run mode finishes it; nothing new',
      request: CANCELLED,
      states: state('in-progress', 'announce', 'silence', 'start'),
      now: '2027-01-17T02:30:00Z',
      expected: [],
    },
    {
      name: 'a cancelled state gets nothing more',
      request: CANCELLED,
      states: state('cancelled', 'announce', 'cancel'),
      now: '2027-01-18T00:00:00Z',
      expected: [],
    },
  ]);
});

describe('final states get nothing', () => {
  it.each(['completed', 'failed', 'rolled-back', 'cancelled', 'missed'] as const)('%s', (final) => {
    for (const now of ['2027-01-16T02:00:00Z', '2027-01-17T02:00:00Z', '2027-01-17T07:00:00Z']) {
      expect(plan([LOW], state(final, 'announce'), now).actions).toEqual([]);
    }
  });
});

describe('a state whose phase lags its record', () => {
  table([
    {
      name: 'scheduled with announce done is read as announced',
      states: state('scheduled', 'announce'),
      now: '2027-01-16T02:00:00Z',
      expected: ['x remind:P1D 2027-01-16T02:00:00Z'],
    },
  ]);
});

describe('problems are reported and skipped, never thrown', () => {
  it('a file that no longer parses', () => {
    const broken = { id: 'broken', path: 'maintenance/broken.yaml', findings: [], request: undefined };
    const result = plan(
      [
        {
          ...broken,
          findings: [
            { rule: 'schema', severity: 'error', message: '`start` is required', line: 3, column: 1 },
          ],
        },
        file('fine'),
      ],
      { broken: { state: 'announced', done: ['announce'] } },
      '2027-01-04T00:00:00Z',
    );
    expect(result.problems).toEqual([
      {
        id: 'broken',
        file: 'maintenance/broken.yaml',
        message: 'no longer parses (line 3: `start` is required); skipped',
      },
    ]);
    expect(brief(result.actions)).toEqual(['fine announce 2027-01-04T00:00:00Z']);
  });

  it('two files with one id', () => {
    const result = plan(
      [file('x'), { ...file('x'), path: 'maintenance/2026/x.yaml' }],
      {},
      '2027-01-04T00:00:00Z',
    );
    expect(result.actions).toEqual([]);
    expect(result.problems[0]!.message).toMatch(
      /^the id is used by maintenance\/2027\/x.yaml, maintenance\/2026\/x.yaml/,
    );
  });

  it('an environment the policy does not have', () => {
    const result = plan([file('x', { environment: 'qa' })], {}, '2027-01-04T00:00:00Z');
    expect(result.actions).toEqual([]);
    expect(result.problems).toEqual([
      { id: 'x', file: 'maintenance/2027/x.yaml', message: 'environment qa is not in the policy; skipped' },
    ]);
  });

  it('open state whose request file is gone', () => {
    const result = plan([], { gone: { state: 'announced', done: ['announce'] } }, '2027-01-04T00:00:00Z');
    expect(result.actions).toEqual([]);
    expect(result.problems).toEqual([
      {
        id: 'gone',
        message:
          'no request file has the id gone; its announced state is left as it is (cancel by setting status: cancelled, not by deleting the file)',
      },
    ]);
  });

  it('settled state whose request file is gone: history, nothing to say', () => {
    const result = plan([], { gone: { state: 'completed', done: ['complete'] } }, '2027-01-04T00:00:00Z');
    expect(result).toMatchObject({ actions: [], problems: [] });
  });

  it('a policy reminder that is not a positive duration', () => {
    const policy = { ...POLICY, reminders: { ...POLICY.reminders, low: ['PT0S', 'P1D'] } };
    const result = plan([LOW], {}, '2027-01-04T00:00:00Z', policy);
    expect(result.problems).toEqual([
      { message: "the policy's low reminder PT0S is not a positive duration; ignored" },
    ]);
    expect(brief(result.actions)).toEqual(['x announce 2027-01-04T00:00:00Z']);
  });
});
