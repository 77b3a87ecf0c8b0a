import { describe, expect, it } from 'vitest';
import { applyAction, applyActions } from '../../src/lifecycle/apply.ts';
import { planTick } from '../../src/lifecycle/plan.ts';
import type { PlannedAction, StateMap } from '../../src/lifecycle/state.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { MINUTE, POLICY, at, brief, file } from './support.ts';

// Real scheduled workflows: ticks every 15 minutes that come late, twice, concurrently, or not at all.
// The run mode is modelled as the job the start tick runs: it records `complete` `runMs` later.

const X = file('x'); // Sunday 17 January 2027 02:00-03:00 UTC, low (P1D), window 02:00-06:00

/** Every 15 minutes from `from` to `to` inclusive. */
function cron(from: string, to: string): number[] {
  const out: number[] = [];
  for (let t = at(from); t <= at(to); t += 15 * MINUTE) out.push(t);
  return out;
}

function run(nows: readonly number[], options: { runMs?: number; states?: StateMap } = {}) {
  let states = options.states ?? {};
  const taken: { tick: string; action: PlannedAction }[] = [];
  const outcomes: { id: string; at: number }[] = [];
  for (const now of nows) {
    for (const due of outcomes.filter((o) => o.at <= now)) {
      states = applyActions(states, [{ id: due.id, action: 'complete', at: isoUtc(due.at) }], due.at);
      outcomes.splice(outcomes.indexOf(due), 1);
    }
    const actions = planTick({ requests: [X], states, policy: POLICY, now }).actions;
    for (const action of actions) {
      taken.push({ tick: isoUtc(now), action });
      if (action.action === 'start' && options.runMs !== undefined)
        outcomes.push({ id: action.id, at: now + options.runMs });
    }
    states = applyActions(states, actions, now);
  }
  return {
    states,
    taken: taken.map((t) => `${t.tick}: ${t.action.action} (due ${t.action.at})`),
  };
}

const ON_TIME = cron('2027-01-15T00:00:00Z', '2027-01-17T07:00:00Z');
const without = (nows: number[], from: string, to: string) => nows.filter((t) => t < at(from) || t > at(to));

describe('tick patterns', () => {
  it.each([
    {
      name: 'on-time ticks',
      nows: ON_TIME,
      expected: [
        '2027-01-15T00:00:00Z: announce (due 2027-01-15T00:00:00Z)',
        '2027-01-16T02:00:00Z: remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T01:30:00Z: silence (due 2027-01-17T01:30:00Z)',
        '2027-01-17T02:00:00Z: start (due 2027-01-17T02:00:00Z)',
        '2027-01-17T02:45:00Z: unsilence (due 2027-01-17T02:40:00Z)',
      ],
    },
    {
      name: 'a tick 60 minutes late (none from 02:00 to 02:59)',
      nows: without(ON_TIME, '2027-01-17T02:00:00Z', '2027-01-17T02:59:00Z'),
      expected: [
        '2027-01-15T00:00:00Z: announce (due 2027-01-15T00:00:00Z)',
        '2027-01-16T02:00:00Z: remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T01:30:00Z: silence (due 2027-01-17T01:30:00Z)',
        '2027-01-17T03:00:00Z: start (due 2027-01-17T02:00:00Z)',
        '2027-01-17T03:45:00Z: unsilence (due 2027-01-17T03:40:00Z)',
      ],
    },
    {
      name: 'two identical ticks: the second does nothing',
      nows: ON_TIME.flatMap((t) => [t, t]),
      expected: [
        '2027-01-15T00:00:00Z: announce (due 2027-01-15T00:00:00Z)',
        '2027-01-16T02:00:00Z: remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T01:30:00Z: silence (due 2027-01-17T01:30:00Z)',
        '2027-01-17T02:00:00Z: start (due 2027-01-17T02:00:00Z)',
        '2027-01-17T02:45:00Z: unsilence (due 2027-01-17T02:40:00Z)',
      ],
    },
    {
      name: 'no tick from before the silence until after the window closed: missed',
      nows: without(ON_TIME, '2027-01-17T01:00:00Z', '2027-01-17T06:10:00Z'),
      expected: [
        '2027-01-15T00:00:00Z: announce (due 2027-01-15T00:00:00Z)',
        '2027-01-16T02:00:00Z: remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T06:15:00Z: miss (due 2027-01-17T05:00:00Z)',
      ],
    },
    {
      name: 'silenced, then no tick until the window closed: missed and the silence lifted',
      nows: without(ON_TIME, '2027-01-17T01:31:00Z', '2027-01-17T06:10:00Z'),
      expected: [
        '2027-01-15T00:00:00Z: announce (due 2027-01-15T00:00:00Z)',
        '2027-01-16T02:00:00Z: remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T01:30:00Z: silence (due 2027-01-17T01:30:00Z)',
        '2027-01-17T06:15:00Z: miss (due 2027-01-17T05:00:00Z)',
        '2027-01-17T06:15:00Z: unsilence (due 2027-01-17T06:15:00Z)',
      ],
    },
    {
      name: 'first tick after the reminder and the start (merged late): announce, skip, silence, start',
      nows: cron('2027-01-17T02:30:00Z', '2027-01-17T04:00:00Z'),
      expected: [
        '2027-01-17T02:30:00Z: announce (due 2027-01-17T02:30:00Z)',
        '2027-01-17T02:30:00Z: skip:remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T02:30:00Z: silence (due 2027-01-17T01:30:00Z)',
        '2027-01-17T02:30:00Z: start (due 2027-01-17T02:00:00Z)',
        '2027-01-17T03:15:00Z: unsilence (due 2027-01-17T03:10:00Z)',
      ],
    },
    {
      name: 'a gap across the reminder: the late tick still sends it before the start',
      nows: without(ON_TIME, '2027-01-16T01:50:00Z', '2027-01-16T20:00:00Z'),
      expected: [
        '2027-01-15T00:00:00Z: announce (due 2027-01-15T00:00:00Z)',
        '2027-01-16T20:15:00Z: remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T01:30:00Z: silence (due 2027-01-17T01:30:00Z)',
        '2027-01-17T02:00:00Z: start (due 2027-01-17T02:00:00Z)',
        '2027-01-17T02:45:00Z: unsilence (due 2027-01-17T02:40:00Z)',
      ],
    },
    {
      name: 'a gap across the reminder and the start: the reminder is skipped, the start caught up',
      nows: without(ON_TIME, '2027-01-16T01:50:00Z', '2027-01-17T02:20:00Z'),
      expected: [
        '2027-01-15T00:00:00Z: announce (due 2027-01-15T00:00:00Z)',
        '2027-01-17T02:30:00Z: skip:remind:P1D (due 2027-01-16T02:00:00Z)',
        '2027-01-17T02:30:00Z: silence (due 2027-01-17T01:30:00Z)',
        '2027-01-17T02:30:00Z: start (due 2027-01-17T02:00:00Z)',
        '2027-01-17T03:15:00Z: unsilence (due 2027-01-17T03:10:00Z)',
      ],
    },
  ])('$name', ({ nows, expected }) => {
    const { taken, states } = run(nows, { runMs: 40 * MINUTE });
    expect(taken).toEqual(expected);
    expect(states.x!.state).toBe(expected.some((e) => e.includes(': miss')) ? 'missed' : 'completed');
  });

  it('work that never reports is stopped at the window end, once', () => {
    const { taken } = run(ON_TIME);
    expect(taken.slice(-2)).toEqual([
      '2027-01-17T02:00:00Z: start (due 2027-01-17T02:00:00Z)',
      '2027-01-17T06:00:00Z: stop (due 2027-01-17T06:00:00Z)',
    ]);
  });

  it('planning again at the same or a later time never repeats an action', () => {
    let states: StateMap = {};
    for (const now of ON_TIME) {
      const first = planTick({ requests: [X], states, policy: POLICY, now }).actions;
      states = applyActions(states, first, now);
      for (const later of [now, now + 1, now + 7 * MINUTE]) {
        const again = planTick({ requests: [X], states, policy: POLICY, now: later }).actions;
        for (const action of again) expect(states.x?.done).not.toContain(action.action);
      }
    }
  });

  it('concurrent ticks plan from the same state; recording both keeps one of each action', () => {
    const before: StateMap = { x: { state: 'reminded', done: ['announce', 'remind:P1D', 'silence'] } };
    const a = planTick({ requests: [X], states: before, policy: POLICY, now: at('2027-01-17T02:00:00Z') });
    const b = planTick({ requests: [X], states: before, policy: POLICY, now: at('2027-01-17T02:04:00Z') });
    expect(brief(a.actions)).toEqual(brief(b.actions));
    const after = applyActions(
      applyActions(before, a.actions, at('2027-01-17T02:00:00Z')),
      b.actions,
      at('2027-01-17T02:04:00Z'),
    );
    expect(after.x!.done).toEqual(['announce', 'remind:P1D', 'silence', 'start']);
    expect(after.x!.log).toHaveLength(1);
    // The second run learns it lost: recording its start is refused.
    expect(
      applyAction(applyActions(before, a.actions, at('2027-01-17T02:00:00Z')).x, b.actions[0]!, 0),
    ).toEqual({
      ok: false,
      reason: 'start is already done',
    });
  });
});

describe('which occurrences a tick looks at', () => {
  const WEEKLY = file('w', { start: '2027-01-10T02:00', recurrence: 'FREQ=WEEKLY;BYDAY=SU;COUNT=10' });
  const keys = (now: string, states: StateMap = {}) =>
    planTick({ requests: [WEEKLY], states, policy: POLICY, now: at(now) }).occurrences.map((o) => o.key);

  it.each([
    // Low impact: first reminder P1D, so an occurrence comes into view 8 days before its start.
    ['2027-01-09T01:59:00Z', ['w@2027-01-10T02:00']],
    ['2027-01-09T02:00:00Z', ['w@2027-01-10T02:00', 'w@2027-01-17T02:00']],
    // Ended 7 days ago and never seen: history.
    ['2027-01-17T02:59:00Z', ['w@2027-01-10T02:00', 'w@2027-01-17T02:00', 'w@2027-01-24T02:00']],
    ['2027-01-17T03:00:00Z', ['w@2027-01-17T02:00', 'w@2027-01-24T02:00']],
  ])('at %s', (now, expected) => {
    expect(keys(now)).toEqual(expected);
  });

  it('a recurring occurrence is announced when it comes into view', () => {
    const result = planTick({
      requests: [WEEKLY],
      states: { 'w@2027-01-10T02:00': { state: 'announced', done: ['announce'] } },
      policy: POLICY,
      now: at('2027-01-09T02:05:00Z'),
    });
    expect(brief(result.actions)).toEqual([
      'w@2027-01-10T02:00 remind:P1D 2027-01-09T02:00:00Z',
      'w@2027-01-17T02:00 announce 2027-01-09T02:00:00Z',
    ]);
  });

  it('an open state is looked at however old it is', () => {
    const states: StateMap = { 'w@2027-01-10T02:00': { state: 'announced', done: ['announce'] } };
    expect(keys('2027-03-01T00:00:00Z', states)).toContain('w@2027-01-10T02:00');
    const result = planTick({ requests: [WEEKLY], states, policy: POLICY, now: at('2027-03-01T00:00:00Z') });
    expect(brief(result.actions.filter((a) => a.id === 'w@2027-01-10T02:00'))).toEqual([
      'w@2027-01-10T02:00 skip:remind:P1D 2027-01-09T02:00:00Z',
      'w@2027-01-10T02:00 miss 2027-01-10T05:00:00Z',
    ]);
  });

  it('a settled state out of view is not looked at', () => {
    const states: StateMap = {
      'w@2027-01-10T02:00': { state: 'completed', done: ['announce', 'start', 'complete'] },
    };
    expect(keys('2027-03-01T00:00:00Z', states)).not.toContain('w@2027-01-10T02:00');
  });

  it('a plain request is announced at once however far ahead, and forgotten 7 days after its end', () => {
    const far = file('far', { start: '2027-06-06T02:00' });
    const at1 = planTick({ requests: [far], states: {}, policy: POLICY, now: at('2027-01-04T00:00:00Z') });
    expect(brief(at1.actions)).toEqual(['far announce 2027-01-04T00:00:00Z']);
    const after = planTick({ requests: [far], states: {}, policy: POLICY, now: at('2027-06-13T03:00:00Z') });
    expect(after.occurrences).toEqual([]);
  });
});
