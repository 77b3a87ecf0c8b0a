import { describe, expect, it } from 'vitest';
import { applyAction } from '../../src/lifecycle/apply.ts';
import { planTick, type RequestSource } from '../../src/lifecycle/plan.ts';
import { LOOK_AHEAD_MS } from '../../src/lifecycle/select.ts';
import { FINAL_STATES, stateOf, type PlannedAction, type StateMap } from '../../src/lifecycle/state.ts';
import { hardLimit, mayStart, type Timeline } from '../../src/lifecycle/timeline.ts';
import { occurrenceKey } from '../../src/lifecycle/keys.ts';
import { occurrencesBetween } from '../../src/schedule/recurrence.ts';
import { isoUtc } from '../../src/schedule/time.ts';
import { DAY, HOUR, MINUTE, POLICY, at, examples, prng } from './support.ts';

// Random tick sequences over the bundled examples: 15-minute cron ticks that come up to 60 minutes late,
// twice, concurrently (two runs planning from the same state), or not at all for hours; a run mode that
// completes, fails, rolls back, fails its pre-checks or hangs until stopped; and requests cancelled
// midway. Whatever happens, each occurrence ends in one final state, each reminder is sent or
// skipped at most once, the work starts at most once, and only when it may.

const SEQUENCES = 300;
const FINAL_ACTIONS = new Set(['miss', 'cancel', 'complete', 'fail', 'rollback']);

interface Target {
  source: RequestSource;
  key: string;
  start: number;
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const source of examples()) {
    const request = source.request!;
    for (const o of occurrencesBetween(request, at('2026-12-01T00:00:00Z'), at('2027-03-01T00:00:00Z')).slice(
      0,
      2,
    ))
      out.push({ source, key: occurrenceKey(request, o.start), start: o.start });
  }
  return out;
}

interface Tick {
  now: number;
  /** A second run that planned from the same state as this one (concurrent ticks). */
  concurrent?: boolean;
}

function tickTimes(rng: () => number, from: number, to: number, dense: (t: number) => boolean): Tick[] {
  const ticks: Tick[] = [];
  let gapUntil = -Infinity;
  for (let nominal = from; nominal <= to; nominal += 15 * MINUTE) {
    if (!dense(nominal) && nominal % (4 * HOUR) !== 0) continue; // nothing changes far from any moment
    if (nominal < gapUntil) continue;
    const roll = rng();
    if (roll < 0.02) {
      gapUntil = nominal + HOUR + rng() * 7 * HOUR; // an outage of GitHub's scheduler
      continue;
    }
    if (roll < 0.07) continue; // a dropped tick
    const now = nominal + Math.floor((rng() < 0.5 ? rng() * 60 : rng() * 5) * MINUTE);
    ticks.push({ now });
    if (rng() < 0.1) ticks.push({ now }); // the same tick twice
    if (rng() < 0.05) ticks.push({ now: now + Math.floor(rng() * 5 * MINUTE), concurrent: true });
  }
  ticks.push({ now: to });
  return ticks.sort((a, b) => a.now - b.now);
}

type Outcome = { id: string; at: number; action: 'complete' | 'fail' | 'rollback' };

/** The occurrence's timeline, as the tick that plans it sees it. */
function timelineOf(target: Target): Timeline {
  const plan = planTick({ requests: [target.source], states: {}, policy: POLICY, now: target.start });
  return plan.occurrences.find((o) => o.key === target.key)!.timeline;
}

function simulate(seed: number, target: Target, timeline: Timeline) {
  const rng = prng(seed);
  const request = target.source.request!;
  const from = target.start - timeline.leadMs - LOOK_AHEAD_MS - DAY;
  const to = target.start + 2 * request.durationMs + 2 * DAY;
  const moments = [...timeline.reminders.map((r) => r.at), timeline.silenceAt];
  const dense = (t: number) =>
    moments.some((m) => Math.abs(t - m) <= 3 * HOUR) ||
    (t >= timeline.silenceAt && t <= hardLimit(timeline, timeline.end) + 3 * HOUR);
  const cancelAt = rng() < 0.15 ? from + rng() * (to - from) : Infinity;
  const sourceAt = (t: number): RequestSource =>
    t >= cancelAt ? { ...target.source, request: { ...request, status: 'cancelled' } } : target.source;

  let states: StateMap = {};
  const outcomes: Outcome[] = [];
  const record: { now: number; action: PlannedAction; accepted: boolean; concurrent: boolean }[] = [];
  const ticks = tickTimes(rng, from, to, dense);
  let snapshot: StateMap = {};
  for (const tick of ticks) {
    for (const due of outcomes.filter((o) => o.at <= tick.now).sort((a, b) => a.at - b.at)) {
      const applied = applyAction(stateOf(states, due.id), { action: due.action }, due.at);
      if (applied.ok) states = { ...states, [due.id]: applied.state };
      outcomes.splice(outcomes.indexOf(due), 1);
    }
    // A concurrent run read the state when the previous run did.
    const planned = planTick({
      requests: [sourceAt(tick.now)],
      states: tick.concurrent ? snapshot : states,
      policy: POLICY,
      now: tick.now,
    });
    snapshot = states;
    for (let action of planned.actions) {
      let outcome: Outcome | undefined;
      if (action.action === 'start') {
        const roll = rng();
        if (roll < 0.05) action = { ...action, action: 'fail', note: 'pre-checks failed' };
        else if (roll < 0.65)
          outcome = {
            id: action.id,
            at: tick.now + (5 + rng() * 1.3 * (request.durationMs / MINUTE)) * MINUTE,
            action: 'complete',
          };
        else if (roll < 0.75) outcome = { id: action.id, at: tick.now + rng() * 30 * MINUTE, action: 'fail' };
        else if (roll < 0.85)
          outcome = { id: action.id, at: tick.now + rng() * 60 * MINUTE, action: 'rollback' };
        // else: the run hangs until it is stopped
      }
      if (action.action === 'stop')
        outcome = { id: action.id, at: tick.now + rng() * 20 * MINUTE, action: 'rollback' };
      const applied = applyAction(stateOf(states, action.id), action, tick.now);
      record.push({ now: tick.now, action, accepted: applied.ok, concurrent: tick.concurrent === true });
      if (applied.ok) {
        states = { ...states, [action.id]: applied.state };
        if (outcome) outcomes.push(outcome);
      }
    }
  }
  return { states, record, ticks, cancelAt };
}

describe(`${SEQUENCES} random tick sequences over the examples`, () => {
  const all = targets();

  it('the examples give occurrences of every kind', () => {
    expect(all.map((t) => t.key)).toEqual(
      expect.arrayContaining([
        'edge-certificate-renewal', // low, plain
        'emergency-openssh-patch', // emergency: no window, no reminders
        'dev-database-refresh', // any-time environment, Europe/London
        'orders-schema-migration', // high: four reminders, Europe/Berlin
        'search-reindex', // cancelled before its announcement
        'staging-kubernetes-upgrade', // merged staging windows
        'weekly-api-rolling-update@2027-01-10T02:00', // weekly series
        'monthly-postgres-vacuum@2027-02-07T03:00', // monthly series
      ]),
    );
  });

  it('each occurrence ends in one final state; reminders, start and silence at most once', () => {
    const outcomes = new Map<string, number>();
    const count = (name: string) => outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const target = all[seed % all.length]!;
      const timeline = timelineOf(target);
      const { states, record, ticks, cancelAt } = simulate(seed, target, timeline);
      const context = `seed ${seed}, ${target.key}`;

      // A run that plans from the state it read never plans what is done or not allowed.
      for (const r of record.filter((r) => !r.concurrent))
        expect(r.accepted, `${context}: ${isoUtc(r.now)} ${r.action.action} refused`).toBe(true);

      // Every occurrence touched (the target and its neighbours in a series): nothing twice, one end.
      for (const [key, s] of Object.entries(states)) {
        const actions = (s.log ?? []).map((e) => e.action);
        expect(new Set(actions).size, `${context}: ${key} did something twice: ${actions}`).toBe(
          actions.length,
        );
        expect(actions.filter((a) => FINAL_ACTIONS.has(a)).length, `${context}: ${key}`).toBeLessThanOrEqual(
          1,
        );
        for (const a of actions.filter((x) => x.startsWith('remind:')))
          expect(actions, `${context}: ${key} both sent and skipped ${a}`).not.toContain(`skip:${a}`);
        const end = actions.findIndex((a) => FINAL_ACTIONS.has(a));
        if (end >= 0)
          expect(
            actions.slice(end + 1).filter((a) => a !== 'unsilence'),
            `${context}: ${key} acted after its end`,
          ).toEqual([]);
      }

      const state = stateOf(states, target.key);
      if (state === undefined) {
        // Only a request cancelled before any tick saw it gets nothing at all.
        expect(target.source.request!.status === 'cancelled' || cancelAt < Infinity, context).toBe(true);
        count('cancelled before its announcement');
        continue;
      }
      expect(FINAL_STATES.has(state.state), `${context}: ended ${state.state}`).toBe(true);
      expect(
        state.done.filter((a) => FINAL_ACTIONS.has(a)),
        context,
      ).toHaveLength(1);
      expect(state.done.includes('silence'), `${context}: silence left`).toBe(
        state.done.includes('unsilence'),
      );
      count(state.state);
      if (state.state === 'cancelled') continue;

      // Not cancelled: every reminder was sent or deliberately skipped, exactly once.
      for (const reminder of timeline.reminders) {
        const handled = state.done.filter((a) => a === reminder.name || a === `skip:${reminder.name}`);
        expect(handled, `${context}: ${reminder.name}`).toHaveLength(1);
      }
      const started = state.log!.find((e) => e.action === 'start');
      if (started)
        expect(mayStart(timeline, Date.parse(started.at)), `${context}: started at ${started.at}`).toBe(true);
      if (state.state === 'missed') {
        const chance = ticks.find((t) => mayStart(timeline, t.now) && t.now < cancelAt);
        expect(
          chance,
          `${context}: missed although a tick came at ${chance && isoUtc(chance.now)}`,
        ).toBeUndefined();
      }
      const stop = state.log!.find((e) => e.action === 'stop');
      if (started && stop)
        expect(Date.parse(stop.at), context).toBeGreaterThanOrEqual(
          hardLimit(timeline, Date.parse(started.at)),
        );
    }
    // The sequences reached every outcome.
    expect([...outcomes.keys()].sort()).toEqual([
      'cancelled',
      'cancelled before its announcement',
      'completed',
      'failed',
      'missed',
      'rolled-back',
    ]);
  });
});
