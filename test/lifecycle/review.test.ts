// The post-maintenance review in the pure core: which outcomes get one (and how the policy widens or
// narrows that), when its two reminders fall, that a completed review stops them, and that late or
// repeated ticks neither skip nor repeat one; plus the action items people write as task lists.
import { describe, expect, it } from 'vitest';
import { applyActions } from '../../src/lifecycle/apply.ts';
import {
  planEffects,
  type Effect,
  type ExecutionFacts,
  type TickFacts,
} from '../../src/lifecycle/effects.ts';
import { planTick } from '../../src/lifecycle/plan.ts';
import { countActionItems, reviewReasons } from '../../src/lifecycle/review.ts';
import { parseOccurrenceState } from '../../src/lifecycle/state-parse.ts';
import { isSettled, type OccurrenceState, type StateMap } from '../../src/lifecycle/state.ts';
import type { Policy, ReviewTrigger } from '../../src/model/types.ts';
import { DAY, MINUTE, POLICY, at, file } from './support.ts';

const sha = (c: string) => c.repeat(40);
const BLOB = sha('b');
// Sunday 17 January 2027, 02:00-03:00 UTC, production (window 02:00-06:00).
const steps = '[{name: deploy, run: ./d.sh}]';

const approved = {
  ok: true as const,
  blob: BLOB,
  sha: sha('a'),
  pull: 4,
  commit: sha('c'),
  checked: '2027-01-10T09:07:00Z',
};
const inProgress: OccurrenceState = {
  state: 'in-progress',
  done: ['announce', 'remind:P1D', 'start'],
  actual: { start: '2027-01-17T02:07:00Z' },
  provenance: approved,
  dispatch: { sha: sha('a'), blob: BLOB, at: '2027-01-17T02:07:00Z', run: 55, sent: 1 },
  issue: 3,
};
const ended = (
  outcome: 'completed' | 'failed' | 'rolled-back',
  end = '2027-01-17T02:40:00Z',
): ExecutionFacts => ({
  run: { id: 55, status: 'completed', conclusion: outcome === 'completed' ? 'success' : 'failure', url: 'u' },
  log: {
    key: 'x',
    run: 55,
    attempt: 1,
    sha: sha('a'),
    begun: ['step:0'],
    started: '2027-01-17T02:07:00Z',
    ended: end,
    outcome,
    reason: `it ${outcome}`,
  },
});

function tickFacts(
  id: string,
  fields: Record<string, string>,
  now: string,
  state: OccurrenceState | undefined,
  more: Partial<TickFacts> = {},
  policy: Policy = POLICY,
): TickFacts {
  const states: StateMap = state ? { [id]: state } : {};
  return {
    now: at(now),
    plan: planTick({ requests: [file(id, fields)], states, policy, now: at(now) }),
    policy,
    states,
    blobs: new Map([[id, BLOB]]),
    provenance: new Map(),
    manual: new Map(),
    executions: new Map(),
    ...more,
  };
}

const records = (effects: Effect[]) =>
  effects.filter((e): e is Effect & { kind: 'record' } => e.kind === 'record').map((e) => e.state);
const comments = (effects: Effect[]) =>
  effects.filter((e): e is Effect & { kind: 'comment' } => e.kind === 'comment').map((e) => e.name);

describe('which maintenance get a review', () => {
  type Row = [
    string,
    Record<string, string>,
    string,
    OccurrenceState | undefined,
    Partial<TickFacts>,
    string[] | undefined,
  ];
  const execution = (e: ExecutionFacts, id = 'x') => ({ executions: new Map([[id, e]]) });
  it.each<Row>([
    [
      'completed, low impact: the report only',
      { steps },
      '2027-01-17T02:52:00Z',
      inProgress,
      execution(ended('completed')),
      [],
    ],
    [
      'rolled back',
      { steps },
      '2027-01-17T02:52:00Z',
      inProgress,
      execution(ended('rolled-back')),
      ['rolled-back'],
    ],
    ['failed', { steps }, '2027-01-17T02:52:00Z', inProgress, execution(ended('failed')), ['failed']],
    [
      'missed: the window closed before it could start',
      {},
      '2027-01-17T05:30:00Z',
      { state: 'reminded', done: ['announce', 'remind:P1D'], issue: 3 },
      {},
      ['missed'],
    ],
    [
      'cancelled after its announcement: never ran, nothing to review',
      { status: 'cancelled' },
      '2027-01-12T09:07:00Z',
      { state: 'announced', done: ['announce'], issue: 3 },
      {},
      undefined,
    ],
    [
      'a manual maintenance a person recorded as rolled back',
      {},
      '2027-01-17T02:37:00Z',
      { state: 'in-progress', done: ['announce', 'remind:P1D', 'start'], issue: 3 },
      { manual: new Map([['x', { outcome: 'rollback' as const, by: '@bob' }]]) },
      ['rolled-back'],
    ],
    [
      'completed, high impact',
      { steps, impact: 'high' },
      '2027-01-17T02:52:00Z',
      inProgress,
      execution(ended('completed')),
      ['high-impact'],
    ],
    [
      'completed, an emergency',
      { steps, type: 'emergency', justification: 'CVE-2027-0001' },
      '2027-01-17T02:52:00Z',
      inProgress,
      execution(ended('completed')),
      ['emergency'],
    ],
  ])('%s', (_name, fields, now, state, more, due) => {
    const [plan] = planEffects(tickFacts('x', fields, now, state, more));
    const last = records(plan!.effects).at(-1)!;
    if (due === undefined) {
      expect(last.review).toBeUndefined();
      expect(comments(plan!.effects)).not.toContain('review');
      return;
    }
    expect(last.review?.due).toEqual(due);
    expect(last.done).toContain('review');
    // Opened in the outcome's own record, owed until its report is posted, posted once.
    const outcome = records(plan!.effects).find((s) => s.review !== undefined)!;
    expect(outcome.owed).toContain('review');
    expect(comments(plan!.effects).filter((c) => c === 'review')).toHaveLength(1);
    expect(last.owed).toBeUndefined();
    expect(isSettled(last)).toBe(due.length === 0);
  });

  const completedHigh: OccurrenceState = {
    state: 'completed',
    done: ['announce', 'start', 'complete'],
    actual: { start: '2027-01-17T02:00:00Z', end: '2027-01-17T03:20:00Z' }, // 20 min over the hour
  };
  it.each<[string, ReviewTrigger[], string[]]>([
    [
      'the default: high impact',
      ['failed', 'rolled-back', 'missed', 'emergency', 'high-impact'],
      ['high-impact'],
    ],
    ['widened to every completed one and overruns', ['completed', 'overrun'], ['completed', 'overrun']],
    ['narrowed to rollbacks only', ['rolled-back'], []],
    ['narrowed to none', [], []],
  ])('the policy decides: %s', (_name, requiredFor, due) => {
    const request = file('x', { impact: 'high' }).request!;
    const planned = { start: at('2027-01-17T02:00:00Z'), end: at('2027-01-17T03:00:00Z') };
    expect(reviewReasons(request, planned, completedHigh, { review: { requiredFor } })).toEqual(due);
  });
});

describe('the two reminders', () => {
  const T = at('2027-01-17T02:40:00Z');
  const rolledBack: OccurrenceState = {
    state: 'rolled-back',
    done: ['announce', 'remind:P1D', 'start', 'rollback', 'review'],
    actual: { start: '2027-01-17T02:07:00Z', end: '2027-01-17T02:40:00Z' },
    review: { since: '2027-01-17T02:40:00Z', due: ['rolled-back'], seen: 5 },
    issue: 3,
  };
  const request = file('x', { steps });
  const planAt = (now: number, state: OccurrenceState = rolledBack) =>
    planTick({ requests: [request], states: { x: state }, policy: POLICY, now }).actions.map(
      (a) => `${a.action} ${a.at}`,
    );

  it.each<[string, number, string[]]>([
    ['nothing just after the end', T + 15 * MINUTE, []],
    ['nothing a minute before T+24 h', T + DAY - MINUTE, []],
    ['the immediate review at T+24 h', T + DAY, ['review-remind:P1D 2027-01-18T02:40:00Z']],
    [
      'a tick 3 hours late sends it late',
      T + DAY + 3 * 60 * MINUTE,
      ['review-remind:P1D 2027-01-18T02:40:00Z'],
    ],
    [
      'a tick 8 days late sends both, in order, skipping neither',
      T + 8 * DAY,
      ['review-remind:P1D 2027-01-18T02:40:00Z', 'review-remind:P7D 2027-01-24T02:40:00Z'],
    ],
  ])('%s', (_name, now, expected) => {
    expect(planAt(now)).toEqual(expected);
  });

  it('ticks every 15 minutes for ten days send each exactly once, at its moment', () => {
    let states: StateMap = { x: rolledBack };
    const sent: string[] = [];
    for (let now = T; now <= T + 10 * DAY; now += 15 * MINUTE) {
      // Every tick runs twice (a repeated tick): the second finds nothing left to do.
      for (const run of [1, 2]) {
        const actions = planTick({ requests: [request], states, policy: POLICY, now }).actions;
        if (run === 2) expect(actions).toEqual([]);
        sent.push(...actions.map((a) => `${a.action} sent ${new Date(now).toISOString().slice(0, 16)}`));
        states = applyActions(states, actions, now);
      }
    }
    expect(sent).toEqual([
      'review-remind:P1D sent 2027-01-18T02:40',
      'review-remind:P7D sent 2027-01-24T02:40',
    ]);
  });

  it('a completed review has no reminder left, and nothing more is due', () => {
    const done: OccurrenceState = {
      ...rolledBack,
      review: { ...rolledBack.review!, done: { at: '2027-01-17T09:00:00Z', by: '@bob' } },
    };
    expect(planAt(T + 8 * DAY, done)).toEqual([]);
    expect(isSettled(done)).toBe(true);
    expect(isSettled(rolledBack)).toBe(false);
  });

  it('a reminder goes through the outbox: recorded as owed, posted, cleared', () => {
    const [plan] = planEffects(tickFacts('x', { steps }, '2027-01-18T02:52:00Z', rolledBack));
    expect(plan!.effects.map((e) => (e.kind === 'comment' ? `comment:${e.name}` : e.kind))).toEqual([
      'record',
      'comment:review-remind:P1D',
      'record',
    ]);
    expect(records(plan!.effects)[0]!.owed).toEqual(['review-remind:P1D']);
    expect(records(plan!.effects)[1]!.owed).toBeUndefined();
    const text = (plan!.effects[1] as Effect & { kind: 'comment'; content: { text: string } }).content.text;
    expect(text).toContain('@alice, this maintenance ended Sunday 17 January 2027, 02:40 UTC');
  });

  it.each<[string, { at: string; by: string }]>([
    ["an owner's /maint reviewed", { at: '2027-01-18T01:00:00Z', by: '@bob' }],
    ['the label removed', { at: '2027-01-18T02:45:00Z', by: 'removing the label maintenance:review-due' }],
  ])('%s completes it: recorded, and the reminder due at the same tick is not sent', (_name, done) => {
    const facts = tickFacts('x', { steps }, '2027-01-18T02:52:00Z', rolledBack, {
      reviews: new Map([['x', { done, actions: { open: 2, done: 1 }, seen: 7 }]]),
    });
    expect(facts.plan.actions.map((a) => a.action)).toEqual(['review-remind:P1D']);
    const [plan] = planEffects(facts);
    expect(comments(plan!.effects)).toEqual([]);
    expect(plan!.actions).toEqual([
      { action: 'reviewed', done: true, note: `by ${done.by}` },
      { action: 'review-remind:P1D', done: false, note: 'the immediate review is due' },
    ]);
    const last = records(plan!.effects).at(-1)!;
    expect(last.review).toEqual({ ...rolledBack.review, done, actions: { open: 2, done: 1 }, seen: 7 });
    expect(last.log?.at(-1)).toEqual({ at: done.at, action: 'reviewed', note: `by ${done.by}` });
  });
});

describe('action items', () => {
  it.each<[string, string[], { open: number; done: number }]>([
    [
      'none in the template',
      ['✍️ One task-list line each, `- [ ] action — @owner — due date`'],
      { open: 0, done: 0 },
    ],
    ['open and ticked, any bullet', ['- [ ] a\n* [x] b\n+ [X] c\n1. [ ] d'], { open: 2, done: 2 }],
    ['indented under a heading', ['### Action Items\n  - [ ] a — @bob — 2027-02-01'], { open: 1, done: 0 }],
    ['across comments', ['- [ ] a', '- [x] b\r\n- [ ] c'], { open: 2, done: 1 }],
    ['not empty boxes or text mentioning one', ['- [ ]', '- [] a', 'use - [ ] b'], { open: 0, done: 0 }],
    [
      'not inside code blocks',
      ['```\n- [ ] a\n```\n~~~~\n- [x] b\n~~~\n~~~~\n- [ ] c'],
      { open: 1, done: 0 },
    ],
  ])('%s', (_name, texts, expected) => {
    expect(countActionItems(texts)).toEqual(expected);
  });
});

describe('the review as recorded in the state marker', () => {
  const full = {
    state: 'rolled-back',
    done: ['announce', 'start', 'rollback', 'review', 'review-remind:P1D', 'reviewed'],
    results: { 'step:0': 'failed', 'rollback:0': 'passed' },
    review: {
      since: '2027-01-17T02:40:00Z',
      due: ['rolled-back'],
      done: { at: '2027-01-18T09:00:00Z', by: '@bob' },
      seen: 9,
      actions: { open: 1, done: 2 },
    },
    delivery: { slack: { announce: 'sent', 'remind:P1D': 'failed' } },
    pullRequest: { number: 4, opened: '2027-01-08T10:00:00Z', merged: '2027-01-09T09:00:00Z' },
  };

  it('reads back what maint writes', () => {
    expect(parseOccurrenceState(full)).toEqual({ ok: true, value: full });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a review without its end', { review: { due: [] } }, '$.review.since', 'expected a string'],
    ['an unknown review field', { review: { ...full.review, late: true } }, '$.review.late', 'unknown field'],
    ['a negative comment count', { review: { ...full.review, seen: -1 } }, '$.review.seen', 'whole number'],
    [
      'a delivery that is neither',
      { delivery: { slack: { announce: 'maybe' } } },
      '$.delivery.slack.announce',
      'sent or failed',
    ],
    [
      'a delivery of no action',
      { delivery: { slack: { hello: 'sent' } } },
      '$.delivery.slack.hello',
      'is not an action',
    ],
    ['a result of no item', { results: { 'step:x': 'passed' } }, '$.results["step:x"]', 'check or step key'],
    [
      'a result maint never writes',
      { results: { 'step:0': 'great' } },
      '$.results["step:0"]',
      'is not a result',
    ],
    [
      'a pull request without its merge',
      { pullRequest: { number: 4, opened: '2027-01-08T10:00:00Z' } },
      '$.pullRequest.merged',
      'expected a string',
    ],
  ])('refuses %s, saying where', (_name, change, path, message) => {
    const parsed = parseOccurrenceState({ ...full, ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.path).toBe(path);
      expect(parsed.message).toContain(message);
    }
  });
});

describe('a review whose comments could not be read', () => {
  it('sends no reminder that tick, and records nothing', () => {
    const rolledBack: OccurrenceState = {
      state: 'rolled-back',
      done: ['announce', 'start', 'rollback', 'review'],
      review: { since: '2027-01-17T02:40:00Z', due: ['rolled-back'], seen: 5 },
      issue: 3,
    };
    const facts = tickFacts('x', { steps }, '2027-01-18T02:52:00Z', rolledBack, {
      reviews: new Map([['x', { unread: true }]]),
    });
    const [plan] = planEffects(facts);
    expect(plan!.effects).toEqual([]);
    expect(plan!.actions).toEqual([
      { action: 'review-remind:P1D', done: false, note: 'the immediate review is due' },
    ]);
  });
});
