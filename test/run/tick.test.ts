// The scheduler's tick against the local GitHub API server: result issues carry the state, every
// notice goes out once, late and repeated ticks are safe, a fresh run rebuilds the state, and work is
// handed to the execute workflow (played here in process) and its outcome read back.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker, encodeStateMarker } from '../../src/lifecycle/marker.ts';
import type { Executor } from '../../src/modes/execute.ts';
import { startWorld, succeed, type World } from './support.ts';

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
const kernelPatch = { start: '2027-01-17T02:00', title: 'Kernel patch' };
const automated = { ...kernelPatch, steps: '[{name: patch, run: ./patch.sh}]' };

describe('a tick', () => {
  it('announces a new maintenance with a result issue carrying its state, once', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', kernelPatch);
    const first = await world.tick();
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
    const again = await world.tick();
    expect(again.actions).toEqual([]);
    expect(world.server.count({ method: 'POST' }) + world.server.count({ method: 'PATCH' })).toBe(writes);
    expect(world.issues()).toHaveLength(1);
  });

  it('reminds, dispatches the work, reads its outcome back, closes: one notice each, in order', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const landed = world.land('kernel-patch', automated);
    await world.tick();
    world.clock.now = at('2027-01-16T02:07:00Z'); // T-1 day (7 minutes late)
    expect((await world.tick()).actions.map((a) => a.action)).toEqual(['remind:P1D']);
    world.clock.now = at('2027-01-17T02:22:00Z'); // 22 minutes late: the work still fits in the window
    const started = await world.tick();
    expect(started.problems).toEqual([]);
    expect(started.actions.map((a) => a.action)).toEqual(['silence', 'start']);
    // The tick ran nothing: it dispatched the execute workflow with the approved merge commit.
    expect(world.server.state.dispatches('acme/ops')).toEqual([
      expect.objectContaining({
        ref: 'main',
        inputs: {
          request: 'kernel-patch',
          occurrence: 'kernel-patch',
          sha: landed.sha,
          environment: 'production',
          workflows: 'false',
          issue: String(world.issues()[0]!.number),
        },
      }),
    ]);
    expect(world.issues()[0]!.body).toContain(
      `**Approved content:** pull request ${landed.pull}, merged as ${landed.sha.slice(0, 7)}`,
    );
    expect(world.issues()[0]!.body).toContain(
      `[Pull request](https://github.com/acme/ops/pull/${landed.pull})`,
    );
    expect(stateOf(world.issues()[0]!.body ?? '')).toMatchObject({
      state: 'in-progress',
      provenance: { ok: true, sha: landed.sha, pull: landed.pull, blob: landed.blob },
      dispatch: { sha: landed.sha, blob: landed.blob, run: world.runs()[0]!.id },
    });

    world.clock.now += 10 * 60_000;
    await world.execute(succeed);
    const ended = await world.tick();
    expect(ended.actions.map((a) => a.action)).toEqual(['complete', 'unsilence']);
    const [issue] = world.issues();
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(stateOf(issue!.body ?? '')).toMatchObject({ state: 'completed', begun: ['step:0'] });
    const comments = world.comments(issue!.number);
    expect(comments.map((c) => c.split('\n')[0])).toEqual([
      expect.stringMatching(/Scheduled maintenance|announc/i),
      expect.stringMatching(/approved/i),
      expect.stringMatching(/remind/i),
      expect.stringMatching(/start/i),
      expect.stringMatching(/^Approved commit/),
      expect.stringMatching(/complet/i),
      expect.stringMatching(/Maintenance Review Report/), // kept for the record: no review is due
    ]);
    expect(comments[4]).toContain('Maintenance completed');
    expect(comments[6]).toContain('No review is required for this maintenance');
    expect(issue!.labels).not.toContain('maintenance:review-due');
    // The silence was lifted as soon as the work ended: a later tick has nothing to do.
    world.clock.now = at('2027-01-17T03:37:00Z');
    expect((await world.tick()).actions).toEqual([]);
  });

  it('marks missed a window that closed unstarted, and closes the issue as not planned', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', kernelPatch);
    await world.tick();
    world.clock.now = at('2027-01-17T07:52:00Z'); // after the 02:00-06:00 window
    const late = await world.tick();
    expect(late.actions.map((a) => a.action)).toEqual(['skip:remind:P1D', 'miss']);
    const [issue] = world.issues();
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(world.comments(issue!.number).at(-1)).toMatch(/did not take place|missed/i);
  });

  it('a cancellation after the announcement sends one notice and closes the issue', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', kernelPatch);
    await world.tick();
    world.clock.now += HOUR;
    world.land('kernel-patch', { ...kernelPatch, status: 'cancelled' });
    expect((await world.tick()).actions.map((a) => a.action)).toEqual(['cancel']);
    expect((await world.tick()).actions).toEqual([]);
    const [issue] = world.issues();
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(world.comments(issue!.number)).toHaveLength(2);
  });

  it('a rolled-back run: the outcome recorded, its report in the issue, and nothing run again', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', {
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
    await world.tick();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    await world.execute(rollsBack);
    await world.tick();
    await world.tick();
    // Re-running the same run (GitHub's "Re-run jobs") runs nothing again.
    const run = world.runs()[0]!;
    run.status = 'queued';
    run.run_attempt = 2;
    const rerun = await world.execute(rollsBack);
    expect(rerun).toEqual([expect.objectContaining({ admitted: false })]);
    expect(runs).toBe(1);
    const [issue] = world.issues();
    const state = stateOf(issue!.body ?? '');
    expect(state).toMatchObject({ state: 'rolled-back', begun: ['step:0'] });
    const report = world.comments(issue!.number).find((c) => c.includes('<!-- maint:execution deploy -->'))!;
    expect(report).toContain('Maintenance rolled back');
    // Output sits in a fence its own backticks cannot close, where nothing is rendered.
    expect(report).toMatch(/ {2}```text\n {2}error: `boom` @everyone <b>x<\/b>\n {2}```/);
  });

  it('manual maintenance: in progress until the requester or an owner records the outcome', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', kernelPatch);
    await world.tick();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    expect(world.runs()).toEqual([]); // nothing to execute
    const [issue] = world.issues();
    expect(stateOf(issue!.body ?? '').state).toBe('in-progress');
    expect(issue!.body).toContain('- [ ] Backups current');
    world.server.seed.comment('acme/ops', issue!.number, { user: 'mallory', body: '/maint complete' });
    world.clock.now += 15 * 60_000;
    expect((await world.tick()).actions).toEqual([]);
    world.server.seed.comment('acme/ops', issue!.number, { user: 'bob', body: 'Done.\n/maint rolled-back' });
    world.clock.now += 15 * 60_000;
    expect((await world.tick()).actions.map((a) => a.action)).toEqual(['rollback', 'unsilence']);
    expect(world.issues()[0]).toMatchObject({ state: 'closed' });
    expect(stateOf(world.issues()[0]!.body ?? '')).toMatchObject({ state: 'rolled-back' });
  });

  it('links the pull request that scheduled it', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', kernelPatch);
    await world.tick({ pullRequests: new Map([['kernel-patch', 42]]) });
    expect(world.issues()[0]!.body).toContain('[Pull request](https://github.com/acme/ops/pull/42)');
  });

  it('a file that no longer parses is reported and skipped; the others go on', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('broken', { start: 'soon' });
    world.land('kernel-patch', kernelPatch);
    const tick = await world.tick();
    expect(tick.actions.map((a) => a.id)).toEqual(['kernel-patch']);
    expect(tick.problems.join('\n')).toContain('broken');
  });

  it('refuses to run on any ref but the default branch, before anything else', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', automated);
    const tick = await world.tick({ ref: 'refs/heads/feature' });
    // In process the tick still announces (mode run refuses earlier, see the end-to-end test); the
    // work is not allowed to run, and the issue says why.
    expect(stateOf(world.issues()[0]!.body ?? '').provenance).toMatchObject({
      ok: false,
      reason: 'it ran on refs/heads/feature, not on the default branch main',
    });
    expect(tick.actions.map((a) => a.action)).toEqual(['announce']);
  });
});

describe('exactly once, when a tick fails half way', () => {
  it('a notice recorded by a run that died before commenting is posted by the next run, once', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', kernelPatch);
    // A run recorded the announcement with the comment it owed, and died.
    const issue = world.server.seed.issue('acme/ops', {
      title: '[PRODUCTION] Maintenance: Kernel patch (2027-01-17)',
      labels: ['maintenance', 'maintenance:announced'],
      body: encodeStateMarker('kernel-patch', { state: 'announced', done: ['announce'], owed: ['announce'] }),
    });
    world.clock.now += 15 * 60_000;
    expect((await world.tick()).actions).toEqual([]);
    const comments = world.comments(issue.number);
    expect(comments.filter((c) => c.includes('<!-- maint:notice announce -->'))).toHaveLength(1);
    expect(stateOf(world.issues()[0]!.body ?? '').owed).toBeUndefined();
    await world.tick();
    expect(world.comments(issue.number)).toHaveLength(1);
  });

  it('a notice comment already posted (the record was lost) is not posted again', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('kernel-patch', kernelPatch);
    await world.tick();
    const [issue] = world.issues();
    // A tick posted the reminder, then died before recording it.
    world.server.seed.comment('acme/ops', issue!.number, {
      user: 'github-actions[bot]',
      body: 'Reminder\n\n<!-- maint:notice remind:P1D -->',
    });
    world.clock.now = at('2027-01-16T02:07:00Z');
    expect((await world.tick()).actions.map((a) => a.action)).toEqual(['remind:P1D']);
    const reminders = world
      .comments(issue!.number)
      .filter((c) => c.includes('<!-- maint:notice remind:P1D -->'));
    expect(reminders).toHaveLength(1);
    expect(stateOf(world.issues()[0]!.body ?? '').done).toContain('remind:P1D');
  });

  it('an outcome the execute run reported is recorded by whichever tick comes next', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', { start: '2027-01-17T02:00', steps: '[{name: deploy, run: ./deploy.sh}]' });
    await world.tick();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    await world.execute(succeed);
    // Ticks were dropped for hours: the outcome waits in the run's log.
    world.clock.now = at('2027-01-17T06:37:00Z');
    const late = await world.tick();
    expect(late.actions.map((a) => a.action)).toContain('complete');
    expect(stateOf(world.issues()[0]!.body ?? '')).toMatchObject({ state: 'completed' });
  });

  it('an execute run that died without an outcome ends as failed for a person to check, and is never run again', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', { start: '2027-01-17T02:00', steps: '[{name: deploy, run: ./deploy.sh}]' });
    await world.tick();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    let runs = 0;
    const dies: Executor = async (_work, context) => {
      runs++;
      await context.beforeEach({ phase: 'step', index: 0, name: 'deploy', key: 'step:0' });
      throw new Error('runner lost');
    };
    await expect(world.execute(dies, { conclusion: 'timed_out' })).rejects.toThrow('runner lost');
    world.server.completeRun('acme/ops', world.runs()[0]!.id, 'timed_out');
    world.clock.now = at('2027-01-17T02:22:00Z');
    const after = await world.tick();
    expect(after.actions.map((a) => a.action)).toEqual(['fail', 'unsilence']);
    world.clock.now = at('2027-01-17T06:07:00Z');
    await world.tick();
    expect(runs).toBe(1);
    const [issue] = world.issues();
    expect(stateOf(issue!.body ?? '')).toMatchObject({ state: 'failed', begun: ['step:0'] });
    expect(world.comments(issue!.number).at(-1)).toMatch(
      /timed\\?_out before it reported an outcome, after it began step 1 'deploy'/,
    );
  });
});
