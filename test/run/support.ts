// A repository on the local GitHub server whose requests arrive as GitHub sees them (merged pull
// requests with reviews and a validate check, or direct pushes), ticks run against it in process with
// a controllable clock, and the execute workflow's runs played as GitHub would run them: the
// scheduler's whole loop, minus the processes around it.
import { createMaintenanceRepo } from '../../src/github/octokit.ts';
import type { MaintenanceRepo } from '../../src/github/port.ts';
import { encodeStateMarker } from '../../src/lifecycle/marker.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { parseRequest, type RequestParse } from '../../src/model/request.ts';
import type { OccurrenceState } from '../../src/lifecycle/state.ts';
import type { Policy } from '../../src/model/types.ts';
import { builtInTemplatesDir, readTemplateFolder } from '../../src/notices/template-loader.ts';
import type { TemplateSource } from '../../src/notices/template-source.ts';
import { runExecute, type ExecuteOutcome, type Executor } from '../../src/modes/execute.ts';
import { runTick, type TickReport } from '../../src/modes/run.ts';
import type { Outbound } from '../../src/outbound/port.ts';
import { gitBlobSha } from '../../src/provenance/blob.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import type { RunRecord } from '../harness/state.ts';
import { requestYaml } from '../helpers/requests.ts';

export const REPO = 'acme/ops';
export const TEMPLATES = readTemplateFolder(builtInTemplatesDir(), 'templates');
export const CHECK = 'maintenance/validate';
export const EXECUTE_INPUTS = ['request', 'occurrence', 'sha', 'environment', 'issue', 'workflows'];

export interface Landing {
  /** How the request reaches the default branch (default: a merged pull request). */
  via?: 'merge' | 'squash' | 'push';
  /** The validate check's conclusion on the pull request's head; null: none ran (default success). */
  check?: string | null;
  /** Who approves the pull request (default bob, the code owner); [] for nobody. */
  approvers?: string[];
  author?: string;
}

export interface Landed {
  /** The commit on the default branch. */
  sha: string;
  pull?: number;
  blob: string;
  path: string;
}

export interface TickOptions {
  policy?: Policy;
  outbound?: Outbound;
  pullRequests?: Map<string, number>;
  secrets?: (name: string) => string | undefined;
  ref?: string;
  /** Templates with the repository's overrides (default: the built-in ones). */
  templates?: TemplateSource;
}

export interface World {
  server: GitHubServer;
  github: MaintenanceRepo;
  clock: { now: number };
  /** Brings a request file to the default branch. */
  land(id: string, fields: Record<string, string | undefined>, landing?: Landing): Landed;
  /** Any file change on the default branch, pushed directly. */
  push(files: Record<string, string | null>, message?: string): string;
  /** The requests on the default branch now, as the tick's checkout has them. */
  files(): RequestParse[];
  tick(options?: TickOptions): Promise<TickReport>;
  /** The execute workflow's runs not yet run: run them now, as GitHub would, with this executor. */
  execute(executor: Executor, options?: ExecuteRunOptions): Promise<ExecuteOutcome[]>;
  issues(): ReturnType<GitHubServer['state']['issues']>;
  comments(number: number): string[];
  runs(): RunRecord[];
}

export interface ExecuteRunOptions {
  /** How the run ends on GitHub once the execute mode returned (default: success when completed). */
  conclusion?: RunRecord['conclusion'];
  /** Runs the work for only these runs. */
  only?: (run: RunRecord) => boolean;
}

export const succeed: Executor = async (work, context) => {
  const items = [];
  for (const [index, step] of work.steps.entries()) {
    const ref = { phase: 'step' as const, index, name: step.name, key: `step:${index}` };
    await context.beforeEach(ref);
    items.push({ ...ref, status: 'passed' as const, detail: 'exit code 0' });
  }
  return { outcome: 'completed', reason: 'All steps passed.', windowEndReached: false, items };
};

/** The Octokit adapter for acme/ops on the test server, without the pauses GitHub asks writes for. */
export function testRepo(server: GitHubServer): MaintenanceRepo {
  return createMaintenanceRepo({
    token: 'ghs_test',
    owner: 'acme',
    repo: 'ops',
    baseUrl: server.url,
    writeSpacingMs: 0,
    notificationSpacingMs: 0,
  });
}

/** A result issue closed in the past, carrying the state a finished maintenance left. */
export function seedClosedResult(
  server: GitHubServer,
  id: string,
  state: OccurrenceState,
  labels: readonly string[] = [],
): void {
  server.seed.issue(REPO, {
    title: id,
    labels: ['maintenance', ...labels],
    state: 'closed',
    body: encodeStateMarker(id, state),
  });
}

const parsedTrees = new WeakMap<
  GitHubServer,
  Map<string, { files: RequestParse[]; blobs: Map<string, string> }>
>();

/** The request files of a commit's tree (parsed once per commit: commits never change). */
export function requestsAt(
  server: GitHubServer,
  sha: string,
): { files: RequestParse[]; blobs: Map<string, string> } {
  let cache = parsedTrees.get(server);
  if (!cache) parsedTrees.set(server, (cache = new Map()));
  const known = cache.get(sha);
  if (known) return known;
  const parsed = parseTree(server, sha);
  cache.set(sha, parsed);
  return parsed;
}

function parseTree(server: GitHubServer, sha: string): { files: RequestParse[]; blobs: Map<string, string> } {
  const tree = server.state.git.get(sha)?.tree ?? new Map<string, Buffer>();
  const files: RequestParse[] = [];
  const blobs = new Map<string, string>();
  for (const [path, content] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.startsWith('maintenance/') || !/\.ya?ml$/.test(path)) continue;
    const parsed = parseRequest({ path, text: content.toString('utf8') });
    files.push(parsed);
    if (parsed.request) blobs.set(parsed.id, gitBlobSha(content));
  }
  return { files, blobs };
}

const mainOf = (server: GitHubServer) => server.state.repo(REPO).refs.get('refs/heads/main')!;

/** Brings a request file's text to the default branch as `landing` says. */
export function landRequest(server: GitHubServer, id: string, text: string, landing: Landing = {}): Landed {
  const path = `maintenance/2027/${id}.yaml`;
  const blob = gitBlobSha(text);
  if (landing.via === 'push') {
    const sha = server.seed.commit(REPO, {
      files: { [path]: text },
      message: `Add ${id}`,
      author: 'mallory',
    });
    return { sha, blob, path };
  }
  const branch = `request-${id}-${server.state.id()}`;
  const head = server.seed.commit(REPO, {
    branch,
    parent: mainOf(server),
    files: { [path]: text },
    message: `Request ${id}`,
    author: landing.author ?? 'alice',
  });
  const pull = server.seed.pullRequest(REPO, {
    head: branch,
    user: landing.author ?? 'alice',
    title: `Maintenance ${id}`,
  });
  for (const user of landing.approvers ?? ['bob'])
    server.seed.review(REPO, pull.number, { user, state: 'APPROVED', commit_id: head });
  const check = landing.check === undefined ? 'success' : landing.check;
  if (check !== null) server.seed.checkRun(REPO, { name: CHECK, head_sha: head, conclusion: check });
  const sha = server.seed.merge(REPO, pull.number, { method: landing.via === 'squash' ? 'squash' : 'merge' });
  return { sha, pull: pull.number, blob, path };
}

/** One scheduler tick on the default branch's head, as the scheduled workflow runs it. */
export function tickOnce(
  server: GitHubServer,
  github: MaintenanceRepo,
  now: () => number,
  options: TickOptions & { claimSettleMs?: number } = {},
): Promise<TickReport> {
  const head = mainOf(server);
  const { files, blobs } = requestsAt(server, head);
  return runTick(
    {
      github,
      ...(options.outbound ? { outbound: options.outbound } : {}),
      now,
      log: () => undefined,
      claimSettleMs: options.claimSettleMs ?? 0,
    },
    {
      files,
      blobs,
      policy: options.policy ?? defaultPolicy(),
      templates: options.templates ?? TEMPLATES,
      codeowners: '/maintenance/ @bob\n',
      ...(options.pullRequests ? { pullRequests: options.pullRequests } : {}),
      repo: { owner: 'acme', name: 'ops' },
      serverUrl: 'https://github.com',
      runUrl: 'https://github.com/acme/ops/actions/runs/1',
      defaultRef: 'main',
      ref: options.ref ?? 'refs/heads/main',
      head,
      checkName: CHECK,
      secret: options.secrets ?? (() => undefined),
    },
  );
}

/** The execute mode for one dispatched run, in process, on a checkout of the run's `sha` input. */
export function executeRun(
  server: GitHubServer,
  github: MaintenanceRepo,
  run: RunRecord,
  executor: Executor,
  now: () => number,
): Promise<ExecuteOutcome> {
  const inputs = run.inputs as Record<string, string>;
  const { files } = requestsAt(server, inputs.sha!);
  const tree = server.state.git.get(inputs.sha!)?.tree ?? new Map<string, Buffer>();
  return runExecute(
    {
      github,
      execute: executor,
      now,
      sleep: async () => undefined,
      log: () => undefined,
      recordWait: { tries: 0, intervalMs: 0 },
    },
    {
      inputs: {
        request: inputs.request!,
        occurrence: inputs.occurrence!,
        sha: inputs.sha!,
        environment: inputs.environment!,
        issue: Number(inputs.issue),
        workflows: inputs.workflows === 'true',
      },
      defaultRef: 'main',
      ref: `refs/heads/${run.head_branch}`,
      run: run.id,
      attempt: run.run_attempt,
      checkName: CHECK,
      checkout: {
        head: inputs.sha!,
        root: process.cwd(),
        files,
        policy: defaultPolicy(),
        blobOf: (path) => {
          const content = tree.get(path);
          return content ? gitBlobSha(content) : undefined;
        },
      },
      stepEnv: {},
      secrets: [],
    },
  );
}

/** A repository as the world starts it: CODEOWNERS naming bob, writers, the execute workflow. */
export function seedRepository(server: GitHubServer): void {
  server.seed.repo(REPO, {
    files: { 'README.md': '# ops\n', '.github/CODEOWNERS': '/maintenance/ @bob\n' },
  });
  for (const user of ['alice', 'bob', 'carol', 'mallory']) server.seed.user(user);
  for (const user of ['alice', 'bob', 'carol']) server.seed.collaborator(REPO, user, 'write');
  server.seed.workflow(REPO, {
    path: 'maintenance-execute.yml',
    name: 'maintenance-execute',
    inputs: EXECUTE_INPUTS,
    runName: 'maintenance ${{ inputs.occurrence }}',
  });
}

export async function startWorld(now: string): Promise<World> {
  const clock = { now: Date.parse(now) };
  const server = await startGitHubServer({ clock: () => new Date(clock.now) });
  seedRepository(server);
  const github = testRepo(server);
  const executed = new Set<string>();

  const land = (id: string, fields: Record<string, string | undefined>, landing: Landing = {}) =>
    landRequest(server, id, `${requestYaml({ requester: 'alice', ...fields })}\n`, landing);

  const tick = (options: TickOptions = {}) =>
    tickOnce(server, github, () => clock.now, { claimSettleMs: 0, ...options });

  const execute = async (executor: Executor, options: ExecuteRunOptions = {}) => {
    const outcomes: ExecuteOutcome[] = [];
    for (const run of server.state.runs(REPO)) {
      const attempt = `${run.id}.${run.run_attempt}`;
      if (executed.has(attempt) || run.status === 'completed' || (options.only && !options.only(run)))
        continue;
      executed.add(attempt);
      run.status = 'in_progress';
      const outcome = await executeRun(server, github, run, executor, () => clock.now);
      outcomes.push(outcome);
      server.completeRun(
        REPO,
        run.id,
        options.conclusion ?? (outcome.admitted && outcome.outcome === 'completed' ? 'success' : 'failure'),
      );
    }
    return outcomes;
  };

  return {
    server,
    github,
    clock,
    land,
    push: (files, message) =>
      server.seed.commit(REPO, { files, message: message ?? 'Direct push', author: 'mallory' }),
    files: () => requestsAt(server, mainOf(server)).files,
    tick,
    execute,
    issues: () => server.state.issues(REPO),
    comments: (number) => server.state.comments(REPO, number).map((c) => c.body),
    runs: () => server.state.runs(REPO),
  };
}
