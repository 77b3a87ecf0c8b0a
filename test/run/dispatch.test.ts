// The dispatch of a maintenance's work and the execute run's admission: sent once per occurrence
// (repeated, concurrent and failing ticks), a lost dispatch found by its run's name, runs that never
// ran or died recorded as failed, and an execute run that refuses anything the scheduler did not
// record for it.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeExecutionLog } from '../../src/lifecycle/execution-log.ts';
import { decodeStateMarker, encodeStateMarker } from '../../src/lifecycle/marker.ts';
import type { Executor } from '../../src/modes/execute.ts';
import { requestYaml } from '../helpers/requests.ts';
import { REPO, executeRun, startWorld, succeed, tickOnce, type World } from './support.ts';

let world: World;
afterEach(async () => {
  expect(world.server.violations).toEqual([]);
  await world.server.close();
});

const at = (iso: string) => Date.parse(iso);
const stateOf = (body: string | null | undefined) => {
  const marker = decodeStateMarker(body ?? '');
  if (marker.kind !== 'found') throw new Error('no state');
  return marker.state;
};
const deploy = { start: '2027-01-17T02:00', steps: '[{name: deploy, run: ./deploy.sh}]' };
const DISPATCH = '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';

/** Lands `deploy`, announces it, and moves the clock into its window. */
async function dueInWindow(fields: Record<string, string> = deploy): Promise<void> {
  world.land('deploy', fields);
  await world.tick();
  world.clock.now = at('2027-01-17T02:07:00Z');
}

describe('the dispatch', () => {
  it('is sent once however many times the tick repeats', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    for (let i = 0; i < 3; i++) await world.tick();
    world.clock.now += 60_000;
    await world.tick();
    expect(world.server.state.dispatches(REPO)).toHaveLength(1);
    expect(world.runs()).toHaveLength(1);
  });

  it('is sent once by concurrent ticks: the claim read back after a pause decides who sends', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    const ticks = await Promise.all(
      [0, 1, 2].map(() =>
        tickOnce(world.server, world.github, () => world.clock.now, { claimSettleMs: 300 }),
      ),
    );
    expect(world.server.state.dispatches(REPO)).toHaveLength(1);
    const notes = ticks.flatMap((t) => t.actions.filter((a) => a.action === 'start'));
    expect(notes.filter((a) => a.done)).toHaveLength(1);
    // One start notice, one run, and the run the state records is the one that exists.
    const [issue] = world.issues();
    expect(
      world.comments(issue!.number).filter((c) => c.includes('<!-- maint:notice start -->')),
    ).toHaveLength(1);
    expect(stateOf(issue!.body).dispatch?.run).toBe(world.runs()[0]!.id);
  });

  it('whose answer was lost is found by its run name and not sent again', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    world.server.fail({ route: DISPATCH, status: 502, afterHandling: true });
    const lost = await world.tick();
    expect(lost.problems.join('\n')).toMatch(/dispatches failed \(HTTP 502\)/);
    expect(stateOf(world.issues()[0]!.body).dispatch?.run).toBeUndefined();
    world.clock.now += 15 * 60_000;
    await world.tick();
    expect(world.server.state.dispatches(REPO)).toHaveLength(1);
    expect(stateOf(world.issues()[0]!.body).dispatch?.run).toBe(world.runs()[0]!.id);
    // The found run is the occurrence's: it is admitted and its outcome read back.
    await world.execute(succeed);
    await world.tick();
    expect(stateOf(world.issues()[0]!.body).state).toBe('completed');
  });

  it('that never reached GitHub (no run carries its name) is sent again, once', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    world.server.fail({ route: DISPATCH, status: 502 });
    await world.tick();
    expect(world.runs()).toHaveLength(0);
    world.clock.now += 15 * 60_000;
    const again = await world.tick();
    expect(again.actions).toEqual([expect.objectContaining({ action: 'dispatch', done: true })]);
    world.clock.now += 15 * 60_000;
    await world.tick();
    expect(world.runs()).toHaveLength(1);
    expect(stateOf(world.issues()[0]!.body).dispatch).toMatchObject({ sent: 2, run: world.runs()[0]!.id });
  });
});

describe('execute runs that do not finish', () => {
  it('a run held (waiting for the environment reviewers) past the window is cancelled and the maintenance failed', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    await world.tick();
    const run = world.runs()[0]!;
    run.status = 'waiting';
    world.clock.now = at('2027-01-17T06:07:00Z');
    const tick = await world.tick();
    expect(tick.actions.filter((a) => a.done).map((a) => a.action)).toEqual(['fail', 'unsilence']);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    const state = stateOf(world.issues()[0]!.body);
    expect(state).toMatchObject({ state: 'failed' });
    expect(state.log?.find((e) => e.action === 'fail')?.note).toMatch(/still waiting when the window closed/);
    // Had it started after all, it would have refused: the maintenance is no longer in progress.
    run.status = 'queued';
    run.run_attempt = 2;
    expect(await world.execute(succeed)).toEqual([expect.objectContaining({ admitted: false })]);
  });

  it('a run cancelled before it began ends the maintenance as failed, with nothing begun', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    await world.tick();
    world.server.completeRun(REPO, world.runs()[0]!.id, 'cancelled');
    world.clock.now += 5 * 60_000;
    await world.tick();
    const state = stateOf(world.issues()[0]!.body);
    expect(state.state).toBe('failed');
    expect(state.log?.find((e) => e.action === 'fail')?.note).toMatch(
      /ended cancelled before it reported an outcome, before it began any check or step/,
    );
  });
});

describe('the execute run trusts no input', () => {
  const refusal = async (edit: (inputs: Record<string, string>) => void, reason: RegExp) => {
    const run = world.runs()[0]!;
    const inputs = { ...(run.inputs as Record<string, string>) };
    edit(inputs);
    const decoy = world.server.seed.run(REPO, {
      workflow_id: run.workflow_id,
      status: 'queued',
      conclusion: null,
      head_branch: 'main',
      inputs,
    });
    let ran = false;
    const outcome = await executeRun(
      world.server,
      world.github,
      decoy,
      async (work, context) => {
        ran = true;
        return succeed(work, context);
      },
      () => world.clock.now,
    );
    expect(outcome).toMatchObject({ admitted: false, reason: expect.stringMatching(reason) });
    expect(ran).toBe(false);
  };

  it('refuses hand dispatches: another sha, another occurrence, another run, another branch', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    await world.tick();
    const main = world.push({ 'README.md': 'later\n' });
    await refusal((i) => (i.sha = main), /scheduler dispatched [0-9a-f]{7}, not/);
    await refusal((i) => (i.environment = 'development'), /recorded run \d+ as its dispatch, not this run/);
    await refusal((i) => (i.occurrence = 'other'), /does not track other/);
    const run = world.runs()[0]!;
    // A run of the workflow started on a feature branch (whose workflow file its author controls).
    const onBranch = await executeRun(
      world.server,
      world.github,
      { ...run, id: run.id + 1000, head_branch: 'feature' },
      succeed,
      () => world.clock.now,
    );
    expect(onBranch).toMatchObject({
      admitted: false,
      reason: 'it runs on refs/heads/feature, not on the default branch main',
    });
    // None of them wrote over the run's log: the real run still runs.
    const [outcome] = await world.execute(succeed, { only: (r) => r.id === run.id });
    expect(outcome).toMatchObject({ admitted: true, outcome: 'completed' });
  });

  it('refuses a sha the result issue was edited to record, when that content was never approved', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    await world.tick();
    // A writer pushes other steps and edits the marker to record that commit as the dispatch.
    const pushed = world.push({
      'maintenance/2027/deploy.yaml': `${requestYaml({ ...deploy, requester: 'alice', steps: '[{name: exfiltrate, run: ./x.sh}]' })}\n`,
    });
    const [issue] = world.issues();
    const state = stateOf(issue!.body);
    const blob = (await world.github.blobAt('maintenance/2027/deploy.yaml', pushed))!;
    const forged = { ...state, dispatch: { ...state.dispatch!, sha: pushed, blob } };
    world.server.state.issue(REPO, issue!.number)!.body = encodeStateMarker('deploy', forged);
    const run = world.runs()[0]!;
    const outcome = await executeRun(
      world.server,
      world.github,
      { ...run, inputs: { ...(run.inputs as object), sha: pushed } },
      succeed,
      () => world.clock.now,
    );
    expect(outcome).toMatchObject({
      admitted: false,
      reason: expect.stringMatching(
        /its content is not approved: added by a direct push|changed by [0-9a-f]{7} after approval/,
      ),
    });
  });

  it('reports its refusal as the outcome when it is the recorded run: the window closed while it waited', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    await dueInWindow();
    await world.tick();
    world.clock.now = at('2027-01-17T06:30:00Z');
    const [outcome] = await world.execute(succeed);
    expect(outcome).toMatchObject({ admitted: false, reason: 'its window closed at 2027-01-17T06:00:00Z' });
    const log = world.comments(world.issues()[0]!.number).find((c) => c.includes('maint:execution deploy'))!;
    expect(decodeExecutionLog(log)).toMatchObject({ kind: 'found', log: { outcome: 'refused' } });
    world.clock.now += 60_000;
    await world.tick();
    const state = stateOf(world.issues()[0]!.body);
    expect(state.state).toBe('failed');
    expect(state.log?.find((e) => e.action === 'fail')?.note).toBe(
      'The execute run refused to run it: its window closed at 2027-01-17T06:00:00Z',
    );
  });
});

describe('workflow steps', () => {
  const withWorkflow = (ref = '') => ({
    ...deploy,
    steps: `[{name: migrate, workflow: migrate.yml${ref}}]`,
  });

  it('run the called workflow only as approved: not when the file changed on the default branch since', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.push({ '.github/workflows/migrate.yml': 'on: workflow_dispatch\n' });
    await dueInWindow(withWorkflow());
    await world.tick();
    expect(world.server.state.dispatches(REPO)[0]!.inputs.workflows).toBe('true');
    world.push({ '.github/workflows/migrate.yml': 'on: workflow_dispatch\njobs: {}\n' });
    let ran = false;
    const spy: Executor = async (work, context) => {
      ran = true;
      return succeed(work, context);
    };
    const [outcome] = await world.execute(spy);
    expect(ran).toBe(false);
    expect(outcome!.reason).toBe(
      ".github/workflows/migrate.yml on main differs from the approved commit's: it changed after approval",
    );
  });

  it('name only the default branch as their ref', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.push({ '.github/workflows/migrate.yml': 'on: workflow_dispatch\n' });
    await dueInWindow(withWorkflow(', ref: feature'));
    await world.tick();
    const [outcome] = await world.execute(succeed);
    expect(outcome!.reason).toBe('a workflow step names ref feature: workflow steps run only on main');
  });
});
