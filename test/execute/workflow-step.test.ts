// `workflow:` steps through the Octokit adapter against the local GitHub server: dispatch with
// return_run_details, the exact run followed to its conclusion, a timeout that cancels the run, a
// dispatch that is never retried, and the cancel route's 202 and 409.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runWorkflowStep, type WorkflowStepOptions } from '../../src/execute/workflow-step.ts';
import { createMaintenanceRepo } from '../../src/github/octokit.ts';
import type { MaintenanceRepo } from '../../src/github/port.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { testOctokit } from '../harness/octokit.ts';

const REPO = 'acme/app';
let server: GitHubServer;
let github: MaintenanceRepo;
let clock: number;
let onSleep: () => void;

beforeAll(async () => {
  // Runs complete with success on the third read, unless a test completes or cancels them first.
  server = await startGitHubServer({
    checkResponses: true,
    autoCompleteRuns: { afterPolls: 3, conclusion: 'success' },
  });
  server.seed.org('acme');
  server.seed.repo(REPO, { files: { 'README.md': '# app\n' } });
  server.seed.commit(REPO, { branch: 'release', files: { 'CHANGELOG.md': '1.0\n' } });
  server.seed.workflow(REPO, { path: 'deploy.yml', name: 'Deploy' });
  github = createMaintenanceRepo({
    token: 'ghs_test',
    owner: 'acme',
    repo: 'app',
    baseUrl: server.url,
    writeSpacingMs: 0,
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.resetLog();
  server.clearFaults();
  clock = 1_000_000;
  onSleep = () => undefined;
});

afterEach(() => {
  expect(server.violations).toEqual([]);
});

function options(extra: Partial<WorkflowStepOptions> = {}): WorkflowStepOptions {
  return {
    workflows: github,
    defaultRef: 'main',
    timeoutMs: 60_000,
    pollIntervalMs: 1000,
    graceMs: 5000,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      onSleep();
    },
    ...extra,
  };
}

const lastRun = () => server.state.repo(REPO).runs.at(-1)!;

describe('workflow steps', () => {
  it('dispatches on the default branch with string inputs and passes when the run succeeds', async () => {
    const result = await runWorkflowStep(
      { name: 'deploy', workflow: 'deploy.yml', inputs: { version: 42, dry_run: false, env: 'prod' } },
      options(),
    );
    const run = lastRun();
    expect(result).toEqual({
      status: 'passed',
      detail: `run ${run.id} concluded success`,
      runUrl: `https://github.com/acme/app/actions/runs/${run.id}`,
    });
    expect(server.state.dispatches(REPO).at(-1)).toMatchObject({
      ref: 'main',
      inputs: { version: '42', dry_run: 'false', env: 'prod' },
      run_id: run.id,
    });
    expect(server.count({ route: 'actions/get-workflow-run' })).toBe(3);
  });

  it('follows the exact run the dispatch returned, never a newer one of the same workflow', async () => {
    const workflow = server.state.repo(REPO).workflows[0]!;
    onSleep = () => {
      // Someone else's run of the same workflow appears and succeeds; ours fails.
      if (server.state.repo(REPO).runs.at(-1)!.conclusion === null) {
        const ours = lastRun();
        server.seed.run(REPO, { workflow_id: workflow.id, status: 'completed', conclusion: 'success' });
        server.completeRun(REPO, ours.id, 'failure');
      }
    };
    const result = await runWorkflowStep(
      { name: 'deploy', workflow: 'deploy.yml', ref: 'release' },
      options(),
    );
    const ours = server.state.dispatches(REPO).at(-1)!;
    expect(ours.ref).toBe('release');
    expect(result).toMatchObject({ status: 'failed', detail: `run ${ours.run_id} concluded failure` });
    expect(
      server.requests.filter((r) => r.operationId === 'actions/get-workflow-run').map((r) => r.path),
    ).toEqual([`/repos/acme/app/actions/runs/${ours.run_id}`, `/repos/acme/app/actions/runs/${ours.run_id}`]);
    expect(server.count({ route: /\/actions\/(workflows\/[^/]+\/)?runs$/ })).toBe(0);
  });

  it('times out a run that has not completed, and cancels it', async () => {
    const result = await runWorkflowStep(
      { name: 'deploy', workflow: 'deploy.yml' },
      options({ timeoutMs: 1000, pollIntervalMs: 1000 }),
    );
    const run = lastRun();
    expect(result).toMatchObject({
      status: 'timed-out',
      detail: `run ${run.id} was in_progress; it was cancelled`,
    });
    expect(run).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(clock - 1_000_000).toBe(1000);
    expect(server.count({ route: 'actions/cancel-workflow-run', status: 202 })).toBe(1);
  });

  it('keeps following the run through a failed read', async () => {
    server.fail({ route: 'actions/get-workflow-run', status: 404 });
    const result = await runWorkflowStep({ name: 'deploy', workflow: 'deploy.yml' }, options());
    expect(result.status).toBe('passed');
    expect(server.count({ route: 'actions/get-workflow-run' })).toBe(4);
  });

  it('fails without retrying a dispatch answered 502: a retry could start a second run', async () => {
    server.fail({ route: 'actions/create-workflow-dispatch', status: 502, times: 5 });
    const result = await runWorkflowStep({ name: 'deploy', workflow: 'deploy.yml' }, options());
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(/^could not dispatch deploy\.yml: .*HTTP 502/);
    expect(server.count({ route: 'actions/create-workflow-dispatch' })).toBe(1);
  });

  it('fails when the workflow does not exist', async () => {
    const result = await runWorkflowStep({ name: 'deploy', workflow: 'missing.yml' }, options());
    expect(result).toMatchObject({ status: 'failed', detail: expect.stringMatching(/HTTP 404/) });
  });
});

describe('the local server and the adapter', () => {
  it('answers a dispatch 204 without return_run_details and 200 with the run with it', async () => {
    const octokit = testOctokit(server);
    const plain = await octokit.rest.actions.createWorkflowDispatch({
      owner: 'acme',
      repo: 'app',
      workflow_id: 'deploy.yml',
      ref: 'main',
    });
    expect(plain.status).toBe(204);
    const detailed = await github.dispatchWorkflow('deploy.yml', 'main', {});
    expect(detailed).toEqual({
      runId: lastRun().id,
      htmlUrl: `https://github.com/acme/app/actions/runs/${lastRun().id}`,
    });
  });

  it('cancels a run in progress (202), and says false for one already completed (409)', async () => {
    const { runId } = await github.dispatchWorkflow('deploy.yml', 'main', {});
    expect(await github.cancelWorkflowRun(runId)).toBe(true);
    expect(await github.workflowRun(runId)).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(await github.cancelWorkflowRun(runId)).toBe(false);
    expect(server.count({ route: 'actions/cancel-workflow-run', status: 409 })).toBe(1);
  });
});
