// An end-to-end maintenance repository: a real git repository mirrored into the local GitHub API
// server (same SHAs), requests brought by pull requests (reviews, a validate check, a real merge) or
// pushed directly, and the bundled action run as the scheduler's tick and as the execute job would
// run it: on a checkout of the default branch, or of exactly the dispatched commit.
import { LocalGit } from '../harness/local-git.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import type { RunRecord } from '../harness/state.ts';
import { requestYaml } from '../helpers/requests.ts';
import { runAction, type ActionRun } from './run-action.ts';

export const REPO = 'acme/ops';
const CHECK = 'maintenance/validate';

export interface Maintenance {
  server: GitHubServer;
  git: LocalGit;
  /** A pull request that adds or changes files, reviewed, checked and merged; returns the merge commit. */
  merge(
    files: Record<string, string | null>,
    options?: { check?: string; approvers?: string[]; squash?: boolean },
  ): { sha: string; pull: number };
  /** A direct push to the default branch. */
  push(files: Record<string, string | null>): string;
  main(): string;
  tick(options?: { env?: Record<string, string>; ref?: string; token?: string }): Promise<ActionRun>;
  execute(
    run: RunRecord,
    options?: { env?: Record<string, string>; sha?: string; detached?: boolean; token?: string },
  ): Promise<ActionRun>;
  runs(): RunRecord[];
}

/** A request due now in the development environment (work there may happen at any time). */
export function dueRequest(fields: Record<string, string>): string {
  const started = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
  return `${requestYaml({
    environment: 'development',
    start: started,
    timezone: 'UTC',
    duration: '20m',
    requester: 'alice',
    ...fields,
  })}\n`;
}

export async function startMaintenance(): Promise<Maintenance> {
  const server = await startGitHubServer();
  server.seed.repo(REPO);
  for (const user of ['alice', 'bob', 'mallory']) server.seed.user(user);
  for (const user of ['alice', 'bob']) server.seed.collaborator(REPO, user, 'write');
  server.seed.workflow(REPO, {
    path: 'maintenance-execute.yml',
    name: 'maintenance-execute',
    inputs: ['request', 'occurrence', 'sha', 'environment', 'issue', 'workflows'],
    runName: 'maintenance ${{ inputs.occurrence }}',
  });
  const git = LocalGit.init();
  git.commit(
    'main',
    { 'README.md': '# ops\n', '.github/CODEOWNERS': '/maintenance/ @bob\n' },
    'Initial commit',
  );
  git.mirror(server, REPO);
  let branches = 0;

  const main = () => git.run(['rev-parse', 'main']);
  return {
    server,
    git,
    main,
    merge(files, options = {}) {
      const branch = `change-${++branches}`;
      git.run(['branch', branch, 'main']);
      const head = git.commit(branch, files, `Change ${branches}`, 'alice');
      git.mirror(server, REPO);
      const pull = server.seed.pullRequest(REPO, {
        head: branch,
        user: 'alice',
        title: `Change ${branches}`,
      });
      for (const user of options.approvers ?? ['bob'])
        server.seed.review(REPO, pull.number, { user, state: 'APPROVED', commit_id: head });
      const check = options.check ?? 'success';
      server.seed.checkRun(REPO, { name: CHECK, head_sha: head, conclusion: check });
      const sha = git.merge(
        branch,
        'main',
        `Merge pull request #${pull.number} from acme/${branch}`,
        options.squash,
      );
      git.mirror(server, REPO);
      server.seed.merge(REPO, pull.number, { commit: sha });
      return { sha, pull: pull.number };
    },
    push(files) {
      const sha = git.commit('main', files, 'Direct push', 'mallory');
      git.mirror(server, REPO);
      return sha;
    },
    tick(options = {}) {
      const head = main();
      const ref = options.ref ?? 'refs/heads/main';
      return runAction({
        apiUrl: server.url,
        repository: REPO,
        eventName: 'workflow_dispatch',
        payload: { inputs: {}, ref, repository: { default_branch: 'main', full_name: REPO } },
        inputs: { mode: 'run', token: options.token ?? 'ghs_scheduler' },
        workspace: git.checkout(head),
        env: {
          GITHUB_REF: ref,
          GITHUB_REF_NAME: ref.replace('refs/heads/', ''),
          GITHUB_SHA: head,
          GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/maintenance-run.yml@${ref}`,
          ...options.env,
        },
      });
    },
    execute(run, options = {}) {
      const inputs = run.inputs as Record<string, string>;
      const sha = options.sha ?? inputs.sha!;
      return runAction({
        apiUrl: server.url,
        repository: REPO,
        eventName: 'workflow_dispatch',
        payload: { inputs, ref: 'refs/heads/main', repository: { default_branch: 'main', full_name: REPO } },
        inputs: {
          mode: 'execute',
          token: options.token ?? 'ghs_execute_job',
          request: inputs.request!,
          occurrence: inputs.occurrence!,
          sha: inputs.sha!,
          environment: inputs.environment!,
          issue: inputs.issue!,
          workflows: inputs.workflows!,
        },
        workspace: git.checkout(sha),
        env: {
          GITHUB_REF: 'refs/heads/main',
          GITHUB_REF_NAME: 'main',
          GITHUB_SHA: main(),
          GITHUB_RUN_ID: String(run.id),
          GITHUB_RUN_ATTEMPT: String(run.run_attempt),
          GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/maintenance-execute.yml@refs/heads/main`,
          ...options.env,
        },
        ...(options.detached ? { detached: true } : {}),
      });
    },
    runs: () => server.state.runs(REPO),
  };
}
