// A 3-hour maintenance executes in its own run while the scheduler keeps ticking every 15 minutes on
// a simulated clock: other requests are announced and reminded on time, another maintenance executes
// beside it, and the long one's outcome is recorded (and its silence lifted) as soon as it ends.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import type { Executor } from '../../src/modes/execute.ts';
import { executeRun, REPO, startWorld, succeed, type World } from './support.ts';

let world: World;
afterEach(async () => {
  expect(world.server.violations).toEqual([]);
  await world.server.close();
});

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

function stateByKey(): Map<string, { state: string; done: string[] }> {
  const states = new Map<string, { state: string; done: string[] }>();
  for (const issue of world.issues()) {
    const marker = decodeStateMarker(issue.body ?? '');
    if (marker.kind === 'found') states.set(marker.key, marker.state);
  }
  return states;
}

describe('a 3 h maintenance', () => {
  it('runs in its own job while ticks every 15 minutes announce, remind and run the others', async () => {
    world = await startWorld('2027-01-06T09:07:00Z');
    world.server.seed.team('org', 'eng-managers', { members: ['carol'] });
    // Sunday 17 January 02:00-05:00 in the 02:00-06:00 production window, medium impact.
    world.land(
      'db-upgrade',
      {
        start: '2027-01-17T02:00',
        duration: '3h',
        impact: 'medium',
        steps: '[{name: upgrade, run: ./upgrade.sh}]',
      },
      { approvers: ['bob', 'carol'] },
    );
    // Development work (any time): reminders fall due, and one runs, during the long one.
    world.land('cache-flush', { environment: 'development', start: '2027-01-18T02:30', duration: '30m' });
    world.land('log-rotate', { environment: 'development', start: '2027-01-18T04:00', duration: '30m' });
    world.land('index-rebuild', {
      environment: 'development',
      start: '2027-01-17T03:00',
      duration: '30m',
      steps: '[{name: rebuild, run: ./rebuild.sh}]',
    });
    await world.tick();
    world.clock.now = at('2027-01-16T02:07:00Z');
    await world.tick(); // db-upgrade's P1D reminder

    let released: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (released = resolve));
    let longEnded = false;
    const threeHours: Executor = async (work, context) => {
      await context.beforeEach({ phase: 'step', index: 0, name: 'upgrade', key: 'step:0' });
      await gate; // the upgrade takes its three hours
      return { outcome: 'completed', reason: 'All steps passed.', windowEndReached: false, items: [] };
    };

    const timeline: { at: string; actions: string[] }[] = [];
    let longRun: Promise<unknown> | undefined;
    for (let t = at('2027-01-17T02:07:00Z'); t <= at('2027-01-17T05:07:00Z'); t += 15 * MINUTE) {
      world.clock.now = t;
      if (t === at('2027-01-17T03:07:00Z'))
        world.land('new-request', { environment: 'development', start: '2027-01-20T10:00', duration: '30m' });
      if (t >= at('2027-01-17T04:52:00Z')) released();
      const tick = await world.tick();
      expect(tick.problems).toEqual([]);
      timeline.push({
        at: new Date(t).toISOString().slice(11, 16),
        actions: tick.actions.filter((a) => a.done).map((a) => `${a.id}:${a.action}`),
      });
      // GitHub starts the runs the tick dispatched: the long one in the background, others at once.
      for (const run of world.runs()) {
        if (run.status !== 'queued') continue;
        run.status = 'in_progress';
        if ((run.inputs as Record<string, string>).request === 'db-upgrade') {
          longRun = executeRun(world.server, world.github, run, threeHours, () => world.clock.now).then(
            (outcome) => {
              longEnded = true;
              world.server.completeRun(REPO, run.id, outcome.outcome === 'completed' ? 'success' : 'failure');
            },
          );
        } else {
          await executeRun(world.server, world.github, run, succeed, () => world.clock.now);
          world.server.completeRun(REPO, run.id, 'success');
        }
      }
      if (t < at('2027-01-17T04:52:00Z')) {
        expect(longEnded).toBe(false);
        expect(stateByKey().get('db-upgrade')?.state).toBe('in-progress');
      } else await longRun;
    }

    const did = (what: string) => timeline.find((t) => t.actions.includes(what))?.at;
    expect(did('db-upgrade:start')).toBe('02:07');
    expect(did('cache-flush:remind:P1D')).toBe('02:37'); // due 02:30
    expect(did('index-rebuild:start')).toBe('03:07');
    expect(did('index-rebuild:complete')).toBe('03:22'); // ran beside the long one
    expect(did('new-request:announce')).toBe('03:07');
    expect(did('log-rotate:remind:P1D')).toBe('04:07'); // due 04:00
    expect(did('db-upgrade:complete')).toBe('05:07');
    expect(did('db-upgrade:unsilence')).toBe('05:07');
    // Every tick in those three hours ran: none waited for the work.
    expect(timeline).toHaveLength(13);
    const states = stateByKey();
    expect(states.get('db-upgrade')).toMatchObject({ state: 'completed' });
    expect(states.get('index-rebuild')).toMatchObject({ state: 'completed' });
    expect(
      world.server.state
        .dispatches(REPO)
        .map((d) => d.inputs.request)
        .sort(),
    ).toEqual(['db-upgrade', 'index-rebuild']);
  });
});
