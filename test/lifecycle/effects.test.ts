// The tick's plan as data (lifecycle/effects.ts): which facts a tick gathers, and each occurrence's
// effects in order, every one that reaches another service preceded by the record that makes it safe.
import { describe, expect, it } from 'vitest';
import {
  factsWanted,
  planEffects,
  type Effect,
  type ExecutionFacts,
  type TickFacts,
} from '../../src/lifecycle/effects.ts';
import { planTick } from '../../src/lifecycle/plan.ts';
import type { OccurrenceState, StateMap } from '../../src/lifecycle/state.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { requestFile } from '../helpers/requests.ts';

const sha = (c: string) => c.repeat(40);
const BLOB = sha('b');
const policy = defaultPolicy();
// Sunday 17 January 2027, 02:00-03:00 UTC, production (window 02:00-06:00).
const automated = requestFile('deploy', {
  start: '2027-01-17T02:00',
  steps: '[{name: deploy, run: ./d.sh}]',
});
const at = (iso: string) => Date.parse(iso);
const approvedRecord = {
  ok: true as const,
  blob: BLOB,
  sha: sha('a'),
  pull: 4,
  commit: sha('c'),
  checked: '2027-01-10T09:07:00Z',
};
const announced: OccurrenceState = {
  state: 'announced',
  done: ['announce', 'remind:P1D'],
  provenance: approvedRecord,
  issue: 3,
};
const inProgress: OccurrenceState = {
  state: 'in-progress',
  done: ['announce', 'remind:P1D', 'silence', 'start'],
  actual: { start: '2027-01-17T02:07:00Z' },
  provenance: approvedRecord,
  dispatch: { sha: sha('a'), blob: BLOB, at: '2027-01-17T02:07:00Z', run: 55, sent: 1 },
  issue: 3,
};

function facts(now: string, state: OccurrenceState | undefined, more: Partial<TickFacts> = {}): TickFacts {
  const states: StateMap = state ? { deploy: state } : {};
  return {
    now: at(now),
    plan: planTick({ requests: [automated], states, policy, now: at(now) }),
    states,
    blobs: new Map([['deploy', BLOB]]),
    provenance: new Map(),
    manual: new Map(),
    executions: new Map(),
    policy,
    ...more,
  };
}

const kinds = (effects: Effect[]) =>
  effects.map((e) =>
    e.kind === 'record'
      ? `record${e.claim ? '(claim)' : ''}:${e.state.state}`
      : e.kind === 'comment'
        ? `comment:${e.name}`
        : e.kind,
  );
const approvedFact = {
  decision: { ok: true as const, blob: BLOB, sha: sha('a'), pull: 4, commit: sha('c') },
  comment: 'approved',
};
const execution = (e: ExecutionFacts) => new Map([['deploy', e]]);

describe('the facts a tick gathers', () => {
  it('a quiet tick wants none: the blob it has is the one established', () => {
    const f = facts('2027-01-12T09:07:00Z', announced);
    expect(factsWanted(f.plan, f.states, f.blobs)).toEqual({
      provenance: new Map(),
      manual: [],
      executions: [],
      reviews: [],
      pullRequests: new Map(),
    });
  });

  it.each<[string, string, OccurrenceState | undefined, string]>([
    ['at the announcement', '2027-01-10T09:07:00Z', undefined, BLOB],
    ['when the file changed', '2027-01-12T09:07:00Z', announced, sha('9')],
    ['once when the work becomes due', '2027-01-17T02:07:00Z', announced, BLOB],
  ])('wants provenance %s', (_name, now, state, blob) => {
    const f = facts(now, state, { blobs: new Map([['deploy', blob]]) });
    expect([...factsWanted(f.plan, f.states, f.blobs).provenance.keys()]).toEqual(['deploy']);
  });

  it('wants the execute run of work in progress, and not provenance any more', () => {
    const f = facts('2027-01-17T02:22:00Z', inProgress);
    const wanted = factsWanted(f.plan, f.states, f.blobs);
    expect(wanted.executions.map((o) => o.key)).toEqual(['deploy']);
    expect(wanted.provenance.size).toBe(0);
  });
});

describe('the effects of an occurrence', () => {
  it('dispatches approved work after recording the start as a claim, with its notices in between', () => {
    const [plan] = planEffects(
      facts('2027-01-17T02:07:00Z', announced, { provenance: new Map([['deploy', approvedFact]]) }),
    );
    expect(kinds(plan!.effects)).toEqual([
      'record:announced', // the silence
      'silence',
      'record(claim):in-progress',
      'comment:start',
      'record:in-progress',
      'notify',
      'dispatch',
    ]);
    const claim = plan!.effects[2] as Effect & { kind: 'record' };
    expect(claim.state).toMatchObject({ owed: ['start'], dispatch: { sha: sha('a'), blob: BLOB, sent: 1 } });
    expect(plan!.effects.at(-1)).toEqual({
      kind: 'dispatch',
      inputs: {
        request: 'deploy',
        occurrence: 'deploy',
        sha: sha('a'),
        environment: 'production',
        workflows: 'false',
      },
    });
  });

  it('dispatches on the decision recorded for this content when the fresh check could not be made', () => {
    const [plan] = planEffects(facts('2027-01-17T02:07:00Z', announced));
    expect(kinds(plan!.effects)).toContain('dispatch');
    const [changed] = planEffects(
      facts('2027-01-17T02:07:00Z', announced, { blobs: new Map([['deploy', sha('9')]]) }),
    );
    expect(kinds(changed!.effects)).not.toContain('dispatch');
  });

  it('dispatches nothing for content whose provenance fails, and says so once per content', () => {
    const refused = {
      decision: {
        ok: false as const,
        blob: BLOB,
        reason: 'added by a direct push (ccccccc), not by a merged pull request',
      },
      comment: 'refused',
    };
    const [plan] = planEffects(
      facts('2027-01-17T02:07:00Z', announced, { provenance: new Map([['deploy', refused]]) }),
    );
    expect(kinds(plan!.effects)).not.toContain('dispatch');
    expect(kinds(plan!.effects)).toEqual(
      expect.arrayContaining([
        `comment:provenance:${BLOB.slice(0, 12)}:refused`,
        `comment:not-run:${BLOB.slice(0, 12)}`,
      ]),
    );
  });

  it.each<[string, ExecutionFacts, string, string[]]>([
    [
      'a completed run',
      {
        run: { id: 55, status: 'completed', conclusion: 'success', url: 'u' },
        log: {
          key: 'deploy',
          run: 55,
          attempt: 1,
          sha: sha('a'),
          begun: ['step:0'],
          started: '2027-01-17T02:09:00Z',
          ended: '2027-01-17T02:40:00Z',
          outcome: 'completed',
          reason: 'All passed.',
        },
      },
      'completed',
      ['complete'],
    ],
    [
      'a refusal',
      {
        run: { id: 55, status: 'completed', conclusion: 'failure', url: 'u' },
        log: {
          key: 'deploy',
          run: 55,
          attempt: 1,
          sha: sha('a'),
          begun: [],
          started: '2027-01-17T02:09:00Z',
          outcome: 'refused',
          reason: 'its window closed',
        },
      },
      'failed',
      ['fail'],
    ],
    [
      'a run that timed out mid-step',
      {
        run: { id: 55, status: 'completed', conclusion: 'timed_out', url: 'u' },
        log: {
          key: 'deploy',
          run: 55,
          attempt: 1,
          sha: sha('a'),
          begun: ['step:0'],
          started: '2027-01-17T02:09:00Z',
        },
      },
      'failed',
      ['fail'],
    ],
  ])('records %s as its outcome and lifts the silence at once', (_name, run, state, actions) => {
    const [plan] = planEffects(facts('2027-01-17T02:52:00Z', inProgress, { executions: execution(run) }));
    expect(plan!.actions.filter((a) => a.done).map((a) => a.action)).toEqual([...actions, 'unsilence']);
    const records = plan!.effects.filter((e): e is Effect & { kind: 'record' } => e.kind === 'record');
    expect(records.at(-1)!.state.state).toBe(state);
    // The silence is lifted first; the review report, which says so, comes last.
    expect(kinds(plan!.effects).slice(-4)).toEqual([
      `record:${state}`,
      'lift',
      'comment:review',
      `record:${state}`,
    ]);
  });

  it('uses the times the run reported: work began when its log began, ended when it ended', () => {
    const [plan] = planEffects(
      facts('2027-01-17T03:22:00Z', inProgress, {
        executions: execution({
          run: { id: 55, status: 'completed', conclusion: 'success', url: 'u' },
          log: {
            key: 'deploy',
            run: 55,
            attempt: 1,
            sha: sha('a'),
            begun: ['step:0'],
            started: '2027-01-17T02:09:00Z',
            ended: '2027-01-17T02:40:00Z',
            outcome: 'completed',
          },
        }),
      }),
    );
    const last = plan!.effects.filter((e): e is Effect & { kind: 'record' } => e.kind === 'record').at(-1)!;
    expect(last.state.actual).toEqual({ start: '2027-01-17T02:09:00Z', end: '2027-01-17T02:40:00Z' });
  });

  it('cancels a run still held at the window end, after recording that it failed', () => {
    const [plan] = planEffects(
      facts('2027-01-17T06:07:00Z', inProgress, {
        executions: execution({ run: { id: 55, status: 'waiting', conclusion: null, url: 'u' } }),
      }),
    );
    const order = kinds(plan!.effects);
    expect(order).toContain('cancel-run');
    expect(order.indexOf('record:failed')).toBeLessThan(order.indexOf('cancel-run'));
  });

  it('sends a lost dispatch again while the window is open, under a new claim; fails it after', () => {
    const lost: OccurrenceState = {
      ...inProgress,
      dispatch: { ...inProgress.dispatch!, run: undefined } as never,
    };
    delete (lost.dispatch as { run?: number }).run;
    const [open] = planEffects(facts('2027-01-17T02:22:00Z', lost, { executions: execution({}) }));
    expect(kinds(open!.effects)).toEqual(['record(claim):in-progress', 'dispatch']);
    expect((open!.effects[0] as Effect & { kind: 'record' }).state.dispatch?.sent).toBe(2);
    const [closed] = planEffects(facts('2027-01-17T06:07:00Z', lost, { executions: execution({}) }));
    expect(closed!.actions.filter((a) => a.done).map((a) => a.action)).toEqual(['fail', 'unsilence']);
  });

  it('never lets an effect that reaches another service come before a record', () => {
    const scenarios: TickFacts[] = [
      facts('2027-01-10T09:07:00Z', undefined, { provenance: new Map([['deploy', approvedFact]]) }),
      facts('2027-01-16T02:07:00Z', { ...announced, done: ['announce'] }),
      facts('2027-01-17T02:07:00Z', announced, { provenance: new Map([['deploy', approvedFact]]) }),
      facts('2027-01-17T06:07:00Z', inProgress, {
        executions: execution({ run: { id: 55, status: 'queued', conclusion: null, url: 'u' } }),
      }),
    ];
    for (const scenario of scenarios)
      for (const plan of planEffects(scenario)) {
        const first = plan.effects.findIndex((e) => e.kind !== 'record' && e.kind !== 'comment');
        if (first >= 0) expect(plan.effects.slice(0, first).some((e) => e.kind === 'record')).toBe(true);
      }
  });
});

describe('manual work still in progress at its hard limit', () => {
  // The same window, done by hand: in progress since 02:05, the window closes at 06:00.
  const manual = requestFile('deploy', { start: '2027-01-17T02:00' });
  const running: OccurrenceState = {
    state: 'in-progress',
    done: ['announce', 'remind:P1D', 'silence', 'start'],
    actual: { start: '2027-01-17T02:05:00Z' },
    issue: 3,
  };
  const manualFacts = (now: string, state: OccurrenceState, more: Partial<TickFacts> = {}): TickFacts => ({
    ...facts(now, state, more),
    plan: planTick({ requests: [manual], states: { deploy: state }, policy, now: at(now) }),
  });

  it('records the stop, with the comment it owes, before posting the comment', () => {
    const [plan] = planEffects(manualFacts('2027-01-17T06:07:00Z', running));
    expect(kinds(plan!.effects)).toEqual(['record:in-progress', 'comment:stop', 'record:in-progress']);
    const [owing, comment, settled] = plan!.effects as [
      Effect & { kind: 'record' },
      Effect,
      Effect & { kind: 'record' },
    ];
    expect(owing.state.done).toContain('stop');
    expect(owing.state.owed).toEqual(['stop']);
    expect(comment).toMatchObject({ content: { text: expect.stringContaining('The window has closed') } });
    expect(settled.state.owed).toBeUndefined();
  });

  it('a tick that died after the record posts the comment next, even when the outcome came meanwhile', () => {
    const owing: OccurrenceState = { ...running, done: [...running.done, 'stop'], owed: ['stop'] };
    const [plan] = planEffects(
      manualFacts('2027-01-17T06:22:00Z', owing, {
        manual: new Map([['deploy', { outcome: 'complete', by: '@alice' }]]),
      }),
    );
    const order = kinds(plan!.effects);
    expect(order.slice(0, 2)).toEqual(['comment:stop', 'record:in-progress']);
    expect(order).toContain('record:completed');
    expect(order.filter((k) => k === 'comment:stop')).toHaveLength(1);
  });
});
