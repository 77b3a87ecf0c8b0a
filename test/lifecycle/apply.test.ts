import { describe, expect, it } from 'vitest';
import { actualTimes, applyAction, applyActions } from '../../src/lifecycle/apply.ts';
import {
  LIFECYCLE_STATES,
  isActionName,
  type ActionName,
  type LifecycleState,
  type OccurrenceState,
} from '../../src/lifecycle/state.ts';
import { at } from './support.ts';

const NOW = at('2027-01-17T02:00:00Z');
const from = (state: LifecycleState, ...done: ActionName[]): OccurrenceState => ({ state, done });

// Where each action may be recorded and where it leads; every other state refuses it.
const TRANSITIONS: [ActionName, LifecycleState[], LifecycleState | 'same'][] = [
  ['announce', ['scheduled'], 'announced'],
  ['remind:P1D', ['announced', 'reminded'], 'reminded'],
  ['skip:remind:P1D', ['scheduled', 'announced', 'reminded', 'in-progress'], 'same'],
  ['silence', ['scheduled', 'announced', 'reminded', 'in-progress'], 'same'],
  ['start', ['announced', 'reminded'], 'in-progress'],
  ['miss', ['scheduled', 'announced', 'reminded'], 'missed'],
  ['cancel', ['scheduled', 'announced', 'reminded'], 'cancelled'],
  ['stop', ['in-progress'], 'same'],
  ['complete', ['in-progress'], 'completed'],
  ['rollback', ['in-progress'], 'rolled-back'],
  ['fail', ['announced', 'reminded', 'in-progress'], 'failed'],
];

describe('applyAction', () => {
  const rows = TRANSITIONS.flatMap(([action, allowed, to]) =>
    LIFECYCLE_STATES.map(
      (state) => [action, state, allowed.includes(state) ? (to === 'same' ? state : to) : undefined] as const,
    ),
  );
  it.each(rows)('%s from %s -> %s', (action, state, expected) => {
    const outcome = applyAction(from(state), { action }, NOW);
    if (expected === undefined) {
      expect(outcome).toEqual({
        ok: false,
        reason: `${action} does not apply to a maintenance that is ${state}`,
      });
    } else {
      expect(outcome).toMatchObject({ ok: true, state: { state: expected, done: [action] } });
    }
  });

  it('unsilence needs a silence, in any state', () => {
    expect(applyAction(from('announced'), { action: 'unsilence' }, NOW)).toEqual({
      ok: false,
      reason: 'there is no silence to lift',
    });
    for (const state of LIFECYCLE_STATES)
      expect(applyAction(from(state, 'silence'), { action: 'unsilence' }, NOW).ok).toBe(true);
  });

  it('an action already done is refused', () => {
    expect(applyAction(from('reminded', 'announce', 'remind:P1D'), { action: 'remind:P1D' }, NOW)).toEqual({
      ok: false,
      reason: 'remind:P1D is already done',
    });
  });

  it('records the log, the note and the actual times', () => {
    let state: OccurrenceState | undefined;
    const steps: [ActionName, string][] = [
      ['announce', '2027-01-04T00:00:00Z'],
      ['start', '2027-01-17T02:03:00Z'],
      ['complete', '2027-01-17T02:50:00Z'],
    ];
    for (const [action, when] of steps) {
      const outcome = applyAction(
        state,
        { action, ...(action === 'start' ? { note: 'late tick' } : {}) },
        at(when),
      );
      if (!outcome.ok) throw new Error(outcome.reason);
      state = outcome.state;
    }
    expect(state).toEqual({
      state: 'completed',
      done: ['announce', 'start', 'complete'],
      log: [
        { at: '2027-01-04T00:00:00Z', action: 'announce' },
        { at: '2027-01-17T02:03:00Z', action: 'start', note: 'late tick' },
        { at: '2027-01-17T02:50:00Z', action: 'complete' },
      ],
      actual: { start: '2027-01-17T02:03:00Z', end: '2027-01-17T02:50:00Z' },
    });
  });

  it('a failure before the start (pre-checks) has no actual times', () => {
    const outcome = applyAction(from('reminded', 'announce'), { action: 'fail' }, NOW);
    expect(outcome.ok && outcome.state.actual).toBeUndefined();
  });
});

describe('applyActions', () => {
  it('applies in order, leaves out what does not apply, and keeps other keys', () => {
    const states = { other: from('completed', 'complete') };
    const next = applyActions(
      states,
      [
        { id: 'x', action: 'announce', at: '2027-01-04T00:00:00Z' },
        { id: 'x', action: 'announce', at: '2027-01-04T00:00:00Z' },
        { id: 'x', action: 'complete', at: '2027-01-04T00:00:00Z' },
        { id: '__proto__', action: 'announce', at: '2027-01-04T00:00:00Z' },
        { id: 'constructor', action: 'announce', at: '2027-01-04T00:00:00Z' },
      ],
      NOW,
    );
    expect(next.x!.done).toEqual(['announce']);
    expect(next.other).toBe(states.other);
    expect(next.constructor).toMatchObject({ state: 'announced' });
    expect(Object.keys(next).sort()).toEqual(['constructor', 'other', 'x']);
    expect(states).toEqual({ other: from('completed', 'complete') }); // not mutated
  });
});

describe('actualTimes', () => {
  it.each([
    ['from `actual`', { actual: { start: '2027-01-17T02:00:00Z', end: '2027-01-17T02:40:00Z' } }, [0, 40]],
    [
      'from the log when `actual` is missing',
      {
        log: [
          { at: '2027-01-17T02:05:00Z', action: 'start' },
          { at: '2027-01-17T03:05:00Z', action: 'rollback' },
        ],
      },
      [5, 65],
    ],
    ['nothing known', {}, []],
  ] as const)('%s', (_, extra, minutes) => {
    const times = actualTimes({ state: 'completed', done: [], ...extra } as OccurrenceState);
    const base = at('2027-01-17T02:00:00Z');
    expect([times.start, times.end].filter((t) => t !== undefined).map((t) => (t! - base) / 60_000)).toEqual(
      minutes,
    );
  });
});

describe('action names', () => {
  it.each([
    ['announce', true],
    ['remind:P7D', true],
    ['remind:PT1H', true],
    ['remind:P1DT12H', true],
    ['remind:P', false],
    ['remind:7 days', false],
    ['skip:remind:P1D', true],
    ['skip:silence', true],
    ['skip:skip:announce', false],
    ['skip:', false],
    ['complete', true],
    ['explode', false],
  ])('%s: %s', (name, valid) => {
    expect(isActionName(name)).toBe(valid);
  });
});
