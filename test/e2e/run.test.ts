// End to end: the bundled action in mode run executes a maintenance on this machine (real shell
// steps, a timeout, a failing check that triggers the rollback), reporting through its result issue
// on the local GitHub API server. The requests are due now, in an any-time environment.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { requestYaml } from '../helpers/requests.ts';
import { runAction, webhookExample } from './run-action.ts';

let server: GitHubServer;
afterEach(async () => {
  expect(server.violations).toEqual([]);
  await server.close();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().slice(0, 16);

async function tick(workspace: string, env: Record<string, string> = {}) {
  return runAction({
    apiUrl: server.url,
    repository: 'acme/ops',
    eventName: 'schedule',
    payload: { schedule: '7,22,37,52 * * * *', repository: { default_branch: 'main' } },
    inputs: { mode: 'run', token: 'ghs_test' },
    workspace,
    env: { GITHUB_WORKFLOW_REF: 'acme/ops/.github/workflows/maintenance-run.yml@refs/heads/main', ...env },
  });
}

function workspaceWith(id: string, fields: Record<string, string>): string {
  const workspace = mkdtempSync(join(tmpdir(), 'maint-run-'));
  mkdirSync(join(workspace, 'maintenance'), { recursive: true });
  writeFileSync(
    join(workspace, 'maintenance', `${id}.yaml`),
    requestYaml({
      environment: 'development',
      start: minutesAgo(1),
      timezone: 'UTC',
      duration: '20m',
      requester: 'alice',
      ...fields,
    }),
  );
  return workspace;
}

describe('mode: run', () => {
  it('runs the steps, stops one at its timeout, rolls back, and reports it in the result issue', async () => {
    server = await startGitHubServer();
    server.seed.repo('acme/ops', { files: { 'README.md': 'x' } });
    server.seed.user('alice');
    const workspace = workspaceWith('cache-rebuild', {
      title: 'Rebuild the cache',
      steps: `[{name: prepare, run: 'echo "preparing $MAINT_ID with $DEPLOY_TOKEN" && touch prepared'}, {name: rebuild, run: 'sleep 30', timeout: 2s}]`,
      rollback_steps: `[{name: restore, run: 'touch restored'}]`,
    });
    const run = await tick(workspace, { DEPLOY_TOKEN: 'hunter2-very-secret' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(existsSync(join(workspace, 'prepared'))).toBe(true);
    expect(existsSync(join(workspace, 'restored'))).toBe(true);
    const [issue] = server.state.issues('acme/ops');
    expect(issue).toMatchObject({
      state: 'closed',
      title: '[DEVELOPMENT] Maintenance: Rebuild the cache (' + minutesAgo(1).slice(0, 10) + ')',
    });
    const marker = decodeStateMarker(issue!.body ?? '');
    expect(marker.kind === 'found' && marker.state).toMatchObject({
      state: 'rolled-back',
      begun: ['step:0', 'step:1', 'rollback:0'],
    });
    const report = server.state
      .comments('acme/ops', issue!.number)
      .map((c) => c.body)
      .find((b) => b.includes('rolled back'))!;
    expect(report).toMatch(/timed out/i);
    expect(report).toContain('preparing cache-rebuild with ***');
    expect(report).not.toContain('hunter2-very-secret');

    // A later tick runs nothing again.
    const again = await tick(workspace, { DEPLOY_TOKEN: 'hunter2-very-secret' });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.outputs.actions!)).toEqual([]);
  }, 60_000);

  it('a failing check after the steps triggers the rollback, then the check passes again', async () => {
    server = await startGitHubServer();
    server.seed.repo('acme/ops', { files: { 'README.md': 'x' } });
    server.seed.user('alice');
    const workspace = workspaceWith('config-push', {
      title: 'Push the new config',
      steps: `[{name: push, run: 'echo v2 > config'}]`,
      checks: `{after: [{name: config is v1, run: 'grep -q v1 config'}]}`,
      rollback_steps: `[{name: restore v1, run: 'echo v1 > config'}]`,
    });
    const run = await tick(workspace);
    expect(run.code, run.stdout).toBe(0);
    expect(readFileSync(join(workspace, 'config'), 'utf8')).toBe('v1\n');
    const [issue] = server.state.issues('acme/ops');
    const marker = decodeStateMarker(issue!.body ?? '');
    expect(marker.kind === 'found' && marker.state.state).toBe('rolled-back');
    expect(run.summary).toContain('config-push');
  }, 60_000);

  it('a failing check before the steps fails the maintenance and runs nothing', async () => {
    server = await startGitHubServer();
    server.seed.repo('acme/ops', { files: { 'README.md': 'x' } });
    server.seed.user('alice');
    const workspace = workspaceWith('risky', {
      steps: `[{name: change, run: 'touch changed'}]`,
      checks: `{before: [{name: healthy, run: 'exit 3'}]}`,
    });
    await tick(workspace);
    expect(existsSync(join(workspace, 'changed'))).toBe(false);
    const [issue] = server.state.issues('acme/ops');
    const marker = decodeStateMarker(issue!.body ?? '');
    expect(marker.kind === 'found' && marker.state.state).toBe('failed');
    void webhookExample;
  }, 60_000);
});
