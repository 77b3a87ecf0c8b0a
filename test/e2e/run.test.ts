// End to end: the bundled action as the scheduler (mode run) and as the execute job (mode execute),
// on real git checkouts of a repository mirrored into the local GitHub API server. The scheduler
// refuses other refs, runs nothing whose content was not approved (and says why), dispatches approved
// work exactly once; the execute job runs exactly the approved commit, in a process tree of its own
// holding none of the scheduler's secrets.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import { REPO, dueRequest, startMaintenance, type Maintenance } from './maintenance.ts';

let repo: Maintenance;
afterEach(async () => {
  expect(repo.server.violations).toEqual([]);
  await repo.server.close();
});

const stateOf = (body: string | null | undefined) => {
  const marker = decodeStateMarker(body ?? '');
  if (marker.kind !== 'found') throw new Error('no state');
  return marker.state;
};
const issueOf = (id: string) =>
  repo.server.state.issues(REPO).find((i) => i.title.includes(id) || i.body?.includes(id))!;
const commentsOf = (number: number) => repo.server.state.comments(REPO, number).map((c) => c.body);
const writes = () => repo.server.count({ method: 'POST' }) + repo.server.count({ method: 'PATCH' });

describe('mode run (the scheduler)', () => {
  it('refuses to run on a feature branch, with a clear error, and writes nothing', async () => {
    repo = await startMaintenance();
    repo.merge({
      'maintenance/deploy.yaml': dueRequest({ title: 'Deploy', steps: "[{name: deploy, run: 'true'}]" }),
    });
    const run = await repo.tick({ ref: 'refs/heads/feature' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::mode: run runs only on the default branch (refs/heads/main), not on refs/heads/feature',
    );
    expect(writes()).toBe(0);
    expect(repo.runs()).toEqual([]);
  }, 60_000);

  it('runs nothing added by a direct push, red at merge, or changed after approval, and says why in each result issue', async () => {
    repo = await startMaintenance();
    const steps = "[{name: deploy, run: 'touch ran'}]";
    const pushed = repo.push({ 'maintenance/pushed.yaml': dueRequest({ title: 'Pushed', steps }) });
    const red = repo.merge(
      { 'maintenance/red.yaml': dueRequest({ title: 'Red', steps }) },
      { check: 'failure' },
    );
    const approved = repo.merge({ 'maintenance/changed.yaml': dueRequest({ title: 'Changed', steps }) });
    const change = repo.push({
      'maintenance/changed.yaml': dueRequest({
        title: 'Changed',
        steps: "[{name: deploy, run: 'touch other'}]",
      }),
    });
    const run = await repo.tick();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(repo.runs()).toEqual([]);
    const reasons = {
      pushed: `added by a direct push (${pushed.slice(0, 7)}), not by a merged pull request`,
      red: `validate check was \`failure\` at merge (#${red.pull})`,
      changed: `changed by ${change.slice(0, 7)} after approval: that commit came from no pull request (#${approved.pull} brought the reviewed version)`,
    };
    for (const [id, reason] of Object.entries(reasons)) {
      const issue = issueOf(id);
      expect(stateOf(issue.body).provenance, id).toMatchObject({ ok: false, reason });
      expect(stateOf(issue.body).done).not.toContain('start');
      const said = commentsOf(issue.number).join('\n');
      expect(said).toContain(reason);
      expect(said).toContain('This maintenance will not run its checks and steps');
    }
  }, 60_000);

  it('dispatches approved work exactly once, under duplicate and concurrent ticks', async () => {
    repo = await startMaintenance();
    const approved = repo.merge({
      'maintenance/deploy.yaml': dueRequest({ title: 'Deploy', steps: "[{name: deploy, run: 'true'}]" }),
    });
    const concurrent = await Promise.all([
      repo.tick({ env: { GITHUB_RUN_ID: '11' } }),
      repo.tick({ env: { GITHUB_RUN_ID: '12' } }),
    ]);
    for (const run of concurrent) expect(run.code, run.stdout + run.stderr).toBe(0);
    const again = await repo.tick({ env: { GITHUB_RUN_ID: '13' } });
    expect(again.code, again.stdout).toBe(0);
    expect(repo.server.state.dispatches(REPO)).toEqual([
      expect.objectContaining({
        ref: 'main',
        inputs: expect.objectContaining({ request: 'deploy', occurrence: 'deploy', sha: approved.sha }),
      }),
    ]);
    expect(repo.runs()).toHaveLength(1);
    expect(repo.runs()[0]!.display_title).toBe('maintenance deploy');
  }, 90_000);
});

describe('mode execute (the work, in its own job)', () => {
  it("runs the approved commit's script even though the default branch changed it since; the scheduler records the outcome", async () => {
    repo = await startMaintenance();
    const approved = repo.merge({
      'scripts/deploy.sh': 'echo "approved version" > result.txt\n',
      'maintenance/deploy.yaml': dueRequest({
        title: 'Deploy',
        steps: "[{name: deploy, run: 'bash scripts/deploy.sh'}]",
      }),
    });
    repo.push({ 'scripts/deploy.sh': 'echo "changed after approval" > result.txt\n' });
    expect((await repo.tick()).code).toBe(0);
    const [run] = repo.runs();
    expect((run!.inputs as Record<string, string>).sha).toBe(approved.sha);

    const executed = await repo.execute(run!);
    expect(executed.code, executed.stdout + executed.stderr).toBe(0);
    expect(executed.outputs.outcome).toBe('completed');
    // Its checkout is exactly the approved commit: the approved script ran.
    const checkout = executed.workspace;
    expect(readFileSync(join(checkout, 'result.txt'), 'utf8')).toBe('approved version\n');
    repo.server.completeRun(REPO, run!.id, 'success');

    // The run's end starts a tick (workflow_run): the outcome is recorded and the issue closed.
    const after = await repo.tick();
    expect(JSON.parse(after.outputs.actions!).map((a: { action: string }) => a.action)).toContain('complete');
    const issue = issueOf('deploy');
    expect(issue.state).toBe('closed');
    expect(stateOf(issue.body)).toMatchObject({
      state: 'completed',
      begun: ['step:0'],
      provenance: { ok: true, sha: approved.sha, pull: approved.pull },
      dispatch: { sha: approved.sha, run: run!.id },
    });
  }, 90_000);

  it('refuses a hand dispatch of a later commit and runs nothing', async () => {
    repo = await startMaintenance();
    repo.merge({
      'maintenance/deploy.yaml': dueRequest({ title: 'Deploy', steps: "[{name: deploy, run: 'touch ran'}]" }),
    });
    expect((await repo.tick()).code).toBe(0);
    const later = repo.push({ 'README.md': 'later\n' });
    const [dispatched] = repo.runs();
    const hand = repo.server.seed.run(REPO, {
      workflow_id: dispatched!.workflow_id,
      status: 'in_progress',
      conclusion: null,
      inputs: { ...(dispatched!.inputs as object), sha: later },
      actor: 'mallory',
    });
    const refused = await repo.execute(hand);
    expect(refused.code).toBe(1);
    expect(refused.outputs.outcome).toBe('refused');
    expect(refused.stdout).toMatch(/refused: the scheduler dispatched [0-9a-f]{7}, not [0-9a-f]{7}/);
    expect(existsSync(join(refused.workspace, 'ran'))).toBe(false);
  }, 90_000);

  it('runs the steps, stops one at its timeout, rolls back, and reports it with secrets masked', async () => {
    repo = await startMaintenance();
    repo.merge({
      'maintenance/cache-rebuild.yaml': dueRequest({
        title: 'Rebuild the cache',
        steps: `[{name: prepare, run: 'echo "preparing $MAINT_ID with $DEPLOY_TOKEN" && touch prepared'}, {name: rebuild, run: 'sleep 30', timeout: 2s}]`,
        rollback_steps: `[{name: restore, run: 'touch restored'}]`,
      }),
    });
    expect((await repo.tick()).code).toBe(0);
    const executed = await repo.execute(repo.runs()[0]!, { env: { DEPLOY_TOKEN: 'hunter2-very-secret' } });
    expect(executed.outputs.outcome).toBe('rolled-back');
    expect(existsSync(join(executed.workspace, 'prepared'))).toBe(true);
    expect(existsSync(join(executed.workspace, 'restored'))).toBe(true);
    const report = commentsOf(issueOf('cache-rebuild').number).find((c) =>
      c.includes('maint:execution cache-rebuild'),
    )!;
    expect(report).toMatch(/timed out/i);
    expect(report, report).toContain('preparing cache-rebuild with ***');
    expect(report).not.toContain('hunter2-very-secret');
  }, 90_000);

  it("a step that reads env, /proc/$PPID/environ and every /proc/*/environ finds none of the scheduler's secrets", async () => {
    repo = await startMaintenance();
    // Slack answers from here; the other services are configured in no policy, so never called.
    const slack = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    const port = (slack.address() as AddressInfo).port;
    const secret = () => randomBytes(12).toString('hex');
    const scheduler = {
      SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}/${secret()}`,
      STATUSPAGE_API_KEY: secret(),
      PAGERDUTY_TOKEN: secret(),
      DATADOG_API_KEY: secret(),
      MAINT_WEBHOOK_SECRET: secret(),
      MAINT_TOKEN: `ghs_${secret()}`, // the scheduler's token input
    };
    const probe = [
      'env > probe.txt',
      'echo "--- parent" >> probe.txt',
      'tr "\\0" "\\n" < /proc/$PPID/environ >> probe.txt',
      'for f in /proc/[0-9]*/environ; do tr "\\0" "\\n" < "$f" >> probe.txt 2>/dev/null || true; done',
      'echo probed',
    ].join('\n');
    repo.merge({
      'scripts/probe.sh': `${probe}\n`,
      'maintenance/probe.yaml': dueRequest({
        title: 'Probe',
        steps: "[{name: probe, run: 'bash scripts/probe.sh'}]",
      }),
    });
    const { MAINT_TOKEN, ...services } = scheduler;
    const tick = await repo.tick({ env: services, token: MAINT_TOKEN });
    slack.close();
    expect(tick.code, tick.stdout + tick.stderr).toBe(0);
    // The job: its own token and its environment's secret, in a process tree of its own.
    const jobToken = `ghs_${secret()}`;
    const executed = await repo.execute(repo.runs()[0]!, {
      token: jobToken,
      env: { DEPLOY_TOKEN: 'deploy-credential-1234' },
      detached: true,
    });
    expect(executed.code, executed.stdout + executed.stderr).toBe(0);
    const seen = readFileSync(join(executed.workspace, 'probe.txt'), 'utf8');
    // The probe works: it read the action's own environment (its parent) and its own.
    expect(seen).toContain(jobToken);
    expect(seen).toContain('DEPLOY_TOKEN=deploy-credential-1234');
    for (const [name, value] of Object.entries(scheduler)) expect(seen, name).not.toContain(value);
    const report = commentsOf(issueOf('probe').number).join('\n');
    for (const value of Object.values(scheduler)) expect(report).not.toContain(value);
  }, 90_000);
});
