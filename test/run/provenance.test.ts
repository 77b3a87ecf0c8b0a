// Provenance in the tick: work runs only when its content came from a merged pull request whose
// validate check passed and whose approval, rebuilt, holds; otherwise nothing runs, the result issue
// says why, a person may record the outcome by hand, and an unrecorded window is missed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import { cli } from '../helpers/cli.ts';
import { requestYaml } from '../helpers/requests.ts';
import { startWorld, succeed, type World } from './support.ts';

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
const short = (sha: string) => sha.slice(0, 7);

/** Announce a week ahead, then tick through the window (02:07, 02:37) and after it (06:07). */
async function throughTheWindow(): Promise<void> {
  await world.tick();
  for (const moment of ['2027-01-17T02:07:00Z', '2027-01-17T02:37:00Z', '2027-01-17T06:07:00Z']) {
    world.clock.now = at(moment);
    await world.tick();
  }
}

function expectNothingRan(reason: string): void {
  expect(world.server.state.dispatches('acme/ops')).toEqual([]);
  const [issue] = world.issues();
  const state = stateOf(issue!.body);
  expect(state).toMatchObject({ state: 'missed', provenance: { ok: false, reason } });
  expect(state.done).not.toContain('start');
  const comments = world.comments(issue!.number);
  expect(comments.some((c) => c.includes('will not run as it is') && c.includes(reason))).toBe(true);
  expect(comments.some((c) => c.includes('This maintenance will not run its checks and steps'))).toBe(true);
  expect(issue!.body).toContain('**⚠️ Its checks and steps will not run:**');
  expect(state.log?.find((e) => e.action === 'miss')?.note).toContain(
    `its work was not allowed to run: ${reason}`,
  );
}

describe('work runs only from approved content', () => {
  it('a request added by a direct push runs nothing and says so', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const pushed = world.land('deploy', deploy, { via: 'push' });
    await throughTheWindow();
    expectNothingRan(`added by a direct push (${short(pushed.sha)}), not by a merged pull request`);
  });

  it('a red validate check at merge runs nothing and says so', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const landed = world.land('deploy', deploy, { check: 'failure' });
    await throughTheWindow();
    expectNothingRan(`validate check was \`failure\` at merge (#${landed.pull})`);
  });

  it('a change after approval runs nothing and says which commit made it', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const approved = world.land('deploy', deploy);
    await world.tick();
    expect(stateOf(world.issues()[0]!.body).provenance).toMatchObject({ ok: true, sha: approved.sha });
    world.clock.now += 3_600_000;
    const change = world.push({
      'maintenance/2027/deploy.yaml': `${requestYaml({ ...deploy, requester: 'alice', steps: '[{name: deploy, run: ./other.sh}]' })}\n`,
    });
    await throughTheWindow();
    expectNothingRan(
      `changed by ${short(change)} after approval: that commit came from no pull request (#${approved.pull} brought the reviewed version)`,
    );
  });

  it('a green check without the approvals it needs runs nothing: the approval is rebuilt, not trusted', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const landed = world.land('deploy', deploy, { approvers: ['mallory'] });
    await throughTheWindow();
    expectNothingRan(
      `the approval rebuilt for #${landed.pull} does not hold: 1 more from code owners of maintenance/2027/deploy.yaml`,
    );
  });

  it('work not allowed to run may be recorded as done by hand during its window', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', deploy, { via: 'push' });
    await world.tick();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    const [issue] = world.issues();
    world.server.seed.comment('acme/ops', issue!.number, {
      user: 'alice',
      body: 'Done by hand.\n/maint complete',
    });
    world.clock.now = at('2027-01-17T02:22:00Z');
    const tick = await world.tick();
    expect(tick.actions.map((a) => a.action)).toEqual(expect.arrayContaining(['complete']));
    expect(world.server.state.dispatches('acme/ops')).toEqual([]);
    expect(stateOf(world.issues()[0]!.body)).toMatchObject({ state: 'completed' });
  });

  it('a squash merge is approved content: the squash commit is dispatched', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const landed = world.land('deploy', deploy, { via: 'squash' });
    await world.tick();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    expect(world.server.state.dispatches('acme/ops').map((d) => d.inputs.sha)).toEqual([landed.sha]);
    await world.execute(succeed);
    world.clock.now += 600_000;
    await world.tick();
    expect(stateOf(world.issues()[0]!.body).state).toBe('completed');
  });

  it('a request changed again through a reviewed pull request runs its newest approved version', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', deploy);
    await world.tick();
    world.clock.now += 86_400_000;
    const second = world.land('deploy', { ...deploy, steps: '[{name: deploy v2, run: ./deploy2.sh}]' });
    await world.tick();
    expect(stateOf(world.issues()[0]!.body).provenance).toMatchObject({
      ok: true,
      sha: second.sha,
      pull: second.pull,
    });
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    expect(world.server.state.dispatches('acme/ops').map((d) => d.inputs.sha)).toEqual([second.sha]);
  });

  it('the approval snapshot kept in the result issue replays with maint approvals --snapshot', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', deploy);
    await world.tick();
    const comment = world.comments(world.issues()[0]!.number).find((c) => c.includes('is approved'))!;
    const json = /```json\n([\s\S]*?)\n`{3,}/.exec(comment)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'maint-snapshot-'));
    writeFileSync(join(dir, 'snapshot.json'), json);
    const replay = await cli(['approvals', '--snapshot', 'snapshot.json', '--format', 'json'], { cwd: dir });
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ approved: true });
  });
});

describe('what provenance costs a tick', () => {
  it('is established at the announcement and once when the work is due; quiet ticks ask nothing more', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    world.land('deploy', deploy);
    world.server.resetLog();
    await world.tick();
    const announcing = world.server.requests.length;
    world.server.resetLog();
    world.clock.now += 15 * 60_000;
    await world.tick();
    const quiet = world.server.requests.map((r) => r.route);
    expect(quiet).toEqual(['/repos/{owner}/{repo}/issues', '/repos/{owner}/{repo}/issues']);
    world.server.resetLog();
    world.clock.now = at('2027-01-17T02:07:00Z');
    await world.tick();
    const starting = world.server.requests.filter(
      (r) => r.route === '/repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    );
    expect(starting).toHaveLength(1); // established again, once, as the work became due
    expect(announcing).toBeGreaterThan(quiet.length);
    world.server.resetLog();
    world.clock.now += 15 * 60_000;
    await world.tick();
    expect(world.server.count({ route: '/repos/{owner}/{repo}/commits/{commit_sha}/pulls' })).toBe(0);
  });
});
