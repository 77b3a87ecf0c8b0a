// The run mode's tick against the local GitHub API server: result issues carry the state, every
// notice goes out once, late and repeated ticks are safe, and a fresh run rebuilds the state.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker, encodeStateMarker } from '../../src/lifecycle/marker.ts';

import type { Executor } from '../../src/modes/run.ts';
import { requestFile } from '../helpers/requests.ts';
import { startWorld, type World } from './support.ts';

let world: World;
afterEach(async () => {
  expect(world.server.violations).toEqual([]);
  await world.server.close();
});

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const stateOf = (body: string) => {
  const marker = decodeStateMarker(body);
  if (marker.kind !== 'found') throw new Error(`no state in ${body.slice(0, 80)}`);
  return marker.state;
};

// Sunday 17 January 2027, 02:00-03:00 UTC, low impact: a P1D reminder.
const weeklyPatch = requestFile('kernel-patch', {
  start: '2027-01-17T02:00',
  title: 'Kernel patch',
  requester: 'alice',
});

describe('a tick', () => {
  it('announces a new maintenance with a result issue carrying its state, once', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const first = await world.tick([weeklyPatch]);
    expect(first.problems).toEqual([]);
    expect(first.actions.map((a) => a.action)).toEqual(['announce']);
    const [issue] = world.issues();
    expect(issue).toMatchObject({
      title: '[PRODUCTION] Maintenance: Kernel patch (2027-01-17)',
      state: 'open',
      assignees: ['alice'],
    });
    expect(issue!.labels).toEqual(
      expect.arrayContaining(['maintenance', 'maintenance:announced', 'env:production', 'impact:low']),
    );
    expect(stateOf(issue!.body ?? '')).toMatchObject({ state: 'announced', done: ['announce'] });
    expect(issue!.body).toContain(
      '[Request file](https://github.com/acme/ops/blob/main/maintenance/2027/kernel-patch.yaml)',
    );

    expect(world.comments(issue!.number)).toHaveLength(1);

    const writes = world.server.count({ method: 'POST' }) + world.server.count({ method: 'PATCH' });
    const again = await world.tick([weeklyPatch]);
    expect(again.actions).toEqual([]);
    expect(world.server.count({ method: 'POST' }) + world.server.count({ method: 'PATCH' })).toBe(writes);
    expect(world.issues()).toHaveLength(1);
  });

  it('reminds, starts, completes and closes: one notice each, in order', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const automated = requestFile('kernel-patch', {
      start: '2027-01-17T02:00',
      title: 'Kernel patch',
      steps: '[{name: patch, run: ./patch.sh}]',
    });
    const runs: Executor = async (_work, context) => {
      await context.beforeEach({ phase: 'step', index: 0, name: 'patch', key: 'step:0' });
      return { outcome: 'completed', reason: 'All steps passed.', windowEndReached: false, items: [] };
    };
    await world.tick([automated]);
    world.clock.now = at('2027-01-16T02:07:00Z'); // T-1 day (7 minutes late)
    expect((await world.tick([automated])).actions.map((a) => a.action)).toEqual(['remind:P1D']);
    world.clock.now = at('2027-01-17T02:22:00Z'); // 22 minutes late: the work still fits in the window
    const started = await world.tick([automated], { execute: runs });
    expect(started.actions.map((a) => a.action)).toEqual(['silence', 'start']);
    const [issue] = world.issues();
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(stateOf(issue!.body ?? '')).toMatchObject({ state: 'completed' });
    const comments = world.comments(issue!.number);
    expect(comments.map((c) => c.split('\n')[0])).toEqual([
      expect.stringMatching(/Scheduled maintenance|announc/i),
      expect.stringMatching(/remind/i),
      expect.stringMatching(/start/i),
      expect.stringMatching(/completed/i),
      expect.stringMatching(/complet/i),
    ]);
    // The silence was lifted as soon as the work ended: a later tick has nothing to do.
    expect(stateOf(world.issues()[0]!.body ?? '').done).toContain('unsilence');
    world.clock.now = at('2027-01-17T03:37:00Z');
    expect((await world.tick([automated])).actions).toEqual([]);
  });

  it('marks missed a window that closed unstarted, and closes the issue as not planned', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await world.tick([weeklyPatch]);
    world.clock.now = at('2027-01-17T07:52:00Z'); // after the 02:00-06:00 window
    const late = await world.tick([weeklyPatch]);
    expect(late.actions.map((a) => a.action)).toEqual(['skip:remind:P1D', 'miss']);
    const [issue] = world.issues();
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(world.comments(issue!.number).at(-1)).toMatch(/did not take place|missed/i);
  });

  it('a cancellation after the announcement sends one notice and closes the issue', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await world.tick([weeklyPatch]);
    const cancelled = requestFile('kernel-patch', {
      start: '2027-01-17T02:00',
      title: 'Kernel patch',
      status: 'cancelled',
    });
    world.clock.now += HOUR;
    expect((await world.tick([cancelled])).actions.map((a) => a.action)).toEqual(['cancel']);
    expect((await world.tick([cancelled])).actions).toEqual([]);
    const [issue] = world.issues();
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(world.comments(issue!.number)).toHaveLength(2);
  });

  it('a failed run records the outcome, posts the report, and does not run again', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const automated = requestFile('deploy', {
      start: '2027-01-17T02:00',
      steps: '[{name: deploy, run: ./deploy.sh}]',
      rollback_steps: '[{name: undo, run: ./undo.sh}]',
    });
    let runs = 0;
    const rollsBack: Executor = async (_work, context) => {
      runs++;
      await context.beforeEach({ phase: 'step', index: 0, name: 'deploy', key: 'step:0' });
      return {
        outcome: 'rolled-back',
        reason: "Step 1 'deploy' failed (exit code 1); the rollback steps ran and passed.",
        windowEndReached: false,
        items: [
          {
            phase: 'step',
            index: 0,
            name: 'deploy',
            key: 'step:0',
            status: 'failed',
            detail: 'exit code 1',
            output: 'error: `boom` @everyone <b>x</b>',
            durationMs: 1200,
          },
        ],
      };
    };
    await world.tick([automated], { execute: rollsBack });
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick([automated], { execute: rollsBack });
    await world.tick([automated], { execute: rollsBack });
    expect(runs).toBe(1);
    const [issue] = world.issues();
    const state = stateOf(issue!.body ?? '');
    expect(state).toMatchObject({ state: 'rolled-back', begun: ['step:0'] });
    const report = world.comments(issue!.number).find((c) => c.includes('rolled back'))!;
    // Output sits in a fence its own backticks cannot close, where nothing is rendered.
    expect(report).toMatch(/ {2}```text\n {2}error: `boom` @everyone <b>x<\/b>\n {2}```/);
  });

  it('manual maintenance: in progress until the requester or an owner records the outcome', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await world.tick([weeklyPatch]);
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick([weeklyPatch]);
    const [issue] = world.issues();
    expect(stateOf(issue!.body ?? '').state).toBe('in-progress');
    expect(issue!.body).toContain('- [ ] Backups current');
    world.server.seed.comment('acme/ops', issue!.number, { user: 'mallory', body: '/maint complete' });
    world.clock.now += 15 * 60_000;
    expect((await world.tick([weeklyPatch])).actions).toEqual([]);
    world.server.seed.comment('acme/ops', issue!.number, { user: 'bob', body: 'Done.\n/maint rolled-back' });
    world.clock.now += 15 * 60_000;
    expect((await world.tick([weeklyPatch])).actions.map((a) => a.action)).toEqual(['rollback']);
    expect(world.issues()[0]).toMatchObject({ state: 'closed' });
    expect(stateOf(world.issues()[0]!.body ?? '')).toMatchObject({ state: 'rolled-back' });
  });

  it('links the pull request that scheduled it', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await world.tick([weeklyPatch], { pullRequests: new Map([['kernel-patch', 42]]) });
    expect(world.issues()[0]!.body).toContain('[Pull request](https://github.com/acme/ops/pull/42)');
  });

  it('a file that no longer parses is reported and skipped; the others go on', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const broken = requestFile('broken', { start: 'soon' });
    const tick = await world.tick([broken, weeklyPatch]);
    expect(tick.actions.map((a) => a.id)).toEqual(['kernel-patch']);
    expect(tick.problems.join('\n')).toContain('broken');
  });
});

describe('exactly once, when a tick fails half way', () => {
  it('a notice recorded by a run that died before commenting is posted by the next run, once', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    // A run recorded the announcement with the comment it owed, and died.
    const issue = world.server.seed.issue('acme/ops', {
      title: '[PRODUCTION] Maintenance: Kernel patch (2027-01-17)',
      labels: ['maintenance', 'maintenance:announced'],
      body: encodeStateMarker('kernel-patch', { state: 'announced', done: ['announce'], owed: ['announce'] }),
    });
    world.clock.now += 15 * 60_000;
    expect((await world.tick([weeklyPatch])).actions).toEqual([]);
    const comments = world.comments(issue.number);
    expect(comments.filter((c) => c.includes('<!-- maint:notice announce -->'))).toHaveLength(1);
    expect(stateOf(world.issues()[0]!.body ?? '').owed).toBeUndefined();
    await world.tick([weeklyPatch]);
    expect(world.comments(issue.number)).toHaveLength(1);
  });

  it('a notice comment already posted (the record was lost) is not posted again', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await world.tick([weeklyPatch]);
    const [issue] = world.issues();
    // A tick posted the reminder, then died before recording it.
    world.server.seed.comment('acme/ops', issue!.number, {
      user: 'github-actions[bot]',
      body: 'Reminder\n\n<!-- maint:notice remind:P1D -->',
    });
    world.clock.now = at('2027-01-16T02:07:00Z');
    expect((await world.tick([weeklyPatch])).actions.map((a) => a.action)).toEqual(['remind:P1D']);
    const reminders = world
      .comments(issue!.number)
      .filter((c) => c.includes('<!-- maint:notice remind:P1D -->'));
    expect(reminders).toHaveLength(1);
    expect(stateOf(world.issues()[0]!.body ?? '').done).toContain('remind:P1D');
  });

  it('a run that posted its outcome but could not record it is finished from its comment at the window end', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const automated = requestFile('deploy', {
      start: '2027-01-17T02:00',
      steps: '[{name: deploy, run: ./deploy.sh}]',
    });
    await world.tick([automated]);
    const [issue] = world.issues();
    // The run recorded its start and step, posted its outcome, and died before recording it.
    world.clock.now = at('2027-01-17T02:07:00Z');
    const dies: Executor = async (_work, context) => {
      await context.beforeEach({ phase: 'step', index: 0, name: 'deploy', key: 'step:0' });
      world.server.seed.comment('acme/ops', issue!.number, {
        user: 'github-actions[bot]',
        body: 'Done\n\n<!-- maint:notice complete -->',
      });
      throw new Error('runner lost');
    };
    await expect(world.tick([automated], { execute: dies })).resolves.toMatchObject({
      problems: [expect.stringContaining('runner lost')],
    });
    expect(stateOf(world.issues()[0]!.body ?? '').state).toBe('in-progress');
    world.clock.now = at('2027-01-17T06:07:00Z'); // past the window's end
    const late = await world.tick([automated], { execute: dies });
    expect(late.actions.map((a) => a.action)).toContain('stop');
    expect(stateOf(world.issues()[0]!.body ?? '')).toMatchObject({ state: 'completed' });
  });

  it('an interrupted run without an outcome ends as failed for a person to check, and is never run again', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const automated = requestFile('deploy', {
      start: '2027-01-17T02:00',
      steps: '[{name: deploy, run: ./deploy.sh}]',
    });
    await world.tick([automated]);
    world.clock.now = at('2027-01-17T02:07:00Z');
    let runs = 0;
    const dies: Executor = async (_work, context) => {
      runs++;
      await context.beforeEach({ phase: 'step', index: 0, name: 'deploy', key: 'step:0' });
      throw new Error('runner lost');
    };
    await world.tick([automated], { execute: dies });
    world.clock.now = at('2027-01-17T03:07:00Z');
    await world.tick([automated], { execute: dies });
    world.clock.now = at('2027-01-17T06:07:00Z');
    await world.tick([automated], { execute: dies });
    expect(runs).toBe(1);
    const [issue] = world.issues();
    expect(stateOf(issue!.body ?? '')).toMatchObject({ state: 'failed' });
    expect(world.comments(issue!.number).at(-1)).toMatch(/interrupted/);
  });
});
