// A repository to validate pull requests in: acme/app with the default policy (teams renamed to
// acme's), a CODEOWNERS, one scheduled request, people and teams; plus helpers that open a pull
// request adding or changing request files and run the bundled action on it.
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { requestYaml } from '../helpers/requests.ts';
import { pullRequestEvent, runAction, type ActionRun } from './run-action.ts';

export const REPO = 'acme/app';
export const TOKEN = 'ghs_maint_test';

export const POLICY = DEFAULT_POLICY_YAML.replaceAll('org/', 'acme/');

export const CODEOWNERS = `# Who approves maintenance
/maintenance/                      @bob @dave @erin
/maintenance/teams/                @acme/platform
/.github/maintenance-policy.yaml   @bob
/.github/CODEOWNERS                @bob
`;

const DAY = 86_400_000;

/** A Sunday 02:00 UTC at least `days` ahead of the real clock, outside the year-end freeze. */
export function sundayAhead(days: number, hour = 2): string {
  let t = new Date(Date.now() + days * DAY);
  t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  while (t.getUTCDay() !== 0 || isFrozen(t)) t = new Date(t.getTime() + DAY);
  return `${t.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

function isFrozen(day: Date): boolean {
  const md = (day.getUTCMonth() + 1) * 100 + day.getUTCDate();
  return md >= 1220 || md <= 105;
}

export function yearOf(local: string): string {
  return local.slice(0, 4);
}

export interface Repo {
  server: GitHubServer;
  base: string;
  nextPull: number;
}

export async function startRepo(
  files: Record<string, string | Buffer> = {},
  options: { teamAccess?: 'ok' | 403 } = {},
): Promise<Repo> {
  const server = await startGitHubServer();
  server.seed.org('acme');
  for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'ivan', 'mallory'])
    server.seed.user(user);
  server.seed.team('acme', 'platform', { members: ['bob', 'dave'], access: options.teamAccess ?? 'ok' });
  server.seed.team('acme', 'eng-managers', { members: ['carol'], access: options.teamAccess ?? 'ok' });
  server.seed.team('acme', 'cto-office', { members: ['frank'], access: options.teamAccess ?? 'ok' });
  server.seed.team('acme', 'incident-commanders', { members: ['ivan'], access: options.teamAccess ?? 'ok' });
  server.seed.token(TOKEN, { login: 'github-actions[bot]', readTeams: true });
  const scheduled = sundayAhead(60);
  server.seed.repo(REPO, {
    files: {
      '.github/maintenance-policy.yaml': POLICY,
      '.github/CODEOWNERS': CODEOWNERS,
      [`maintenance/${yearOf(scheduled)}/existing-db-upgrade.yaml`]: requestYaml({
        start: scheduled,
        services: '[db]',
        duration: '2h',
        impact: 'medium',
      }),
      'README.md': '# app\n',
      ...files,
    },
  });
  for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'ivan'])
    server.seed.collaborator(REPO, user, 'write');
  const base = server.state.repo(REPO).refs.get('refs/heads/main')!;
  return { server, base, nextPull: 1 };
}

export interface PullRequestSetup {
  files: Record<string, string | Buffer | null>;
  author?: string;
  /** Opens the PR from a fork owned by this user. */
  fork?: string;
}

/** Commits the files on a new branch (or fork) and opens a pull request; returns its number and head. */
export function openPullRequest(
  repo: Repo,
  setup: PullRequestSetup,
): { number: number; head: string; branch: string } {
  const number = repo.nextPull++;
  const branch = `change-${number}`;
  const author = setup.author ?? 'alice';
  if (setup.fork) {
    const forkName = `${setup.fork}/app`;
    if (!repo.server.state.repos.has(forkName.toLowerCase()))
      repo.server.seed.repo(forkName, { parent: REPO });
    const head = repo.server.seed.commit(forkName, { branch, parent: repo.base, files: setup.files, author });
    repo.server.seed.pullRequest(REPO, {
      number,
      head: { ref: branch, sha: head, repo: forkName },
      user: author,
    });
    return { number, head, branch };
  }
  const head = repo.server.seed.commit(REPO, { branch, parent: repo.base, files: setup.files, author });
  repo.server.seed.pullRequest(REPO, { number, head: branch, user: author });
  return { number, head, branch };
}

/** Pushes another commit to a pull request's branch. */
export function push(
  repo: Repo,
  pull: { number: number; branch: string; head: string },
  files: Record<string, string | null>,
): string {
  const head = repo.server.seed.commit(REPO, {
    branch: pull.branch,
    parent: pull.head,
    files,
    author: 'alice',
  });
  const record = repo.server.state.repo(REPO).pulls.get(pull.number)!;
  record.head.sha = head;
  pull.head = head;
  return head;
}

/** Runs the action on an event about the pull request as it is now (its author, base and head). */
export function validate(
  repo: Repo,
  pull: { number: number; head: string },
  eventName = 'pull_request_target',
  token = TOKEN,
  options: { measureMemory?: boolean } = {},
): Promise<ActionRun> {
  const record = repo.server.state.repo(REPO);
  const live = record.pulls.get(pull.number)!;
  const fork = live.head.repo.toLowerCase() !== REPO.toLowerCase() ? live.head.repo.split('/')[0] : undefined;
  return runAction({
    apiUrl: repo.server.url,
    repository: REPO,
    eventName,
    payload: pullRequestEvent('opened', {
      repository: REPO,
      number: pull.number,
      headSha: pull.head,
      baseSha: live.base.sha,
      author: record.issues.get(pull.number)!.user,
      ...(fork ? { forkOwner: fork } : {}),
    }),
    inputs: { mode: 'validate', token },
    ...options,
  });
}

/** A Sunday inside the default policy's year-end freeze (20 December - 5 January), ahead of now. */
export function sundayInFreeze(): string {
  let t = new Date(Date.now() + 2 * DAY);
  t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  while (t.getUTCDay() !== 0 || !isFrozen(t)) t = new Date(t.getTime() + DAY);
  return `${t.toISOString().slice(0, 10)}T02:00`;
}

/** The sticky comments on a pull request. */
export function comments(repo: Repo, number: number): string[] {
  return repo.server.state.comments(REPO, number).map((c) => c.body);
}

/** The latest maintenance/validate check run on a commit. */
export function check(repo: Repo, head: string) {
  const runs = repo.server.state.checkRuns(REPO, head).filter((r) => r.name === 'maintenance/validate');
  return runs[runs.length - 1]!;
}
