// A repository with result issues on the local GitHub server, and ticks run against it in process
// with a controllable clock: what the scheduled workflow does, minus the process around it.
import { createMaintenanceRepo } from '../../src/github/octokit.ts';
import type { MaintenanceRepo } from '../../src/github/port.ts';
import { encodeStateMarker } from '../../src/lifecycle/marker.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { RequestParse } from '../../src/model/request.ts';
import type { OccurrenceState } from '../../src/lifecycle/state.ts';
import type { Policy } from '../../src/model/types.ts';
import { builtInTemplatesDir, readTemplateFolder } from '../../src/notices/template-loader.ts';
import { runTick, type Executor, type TickReport } from '../../src/modes/run.ts';
import type { Outbound } from '../../src/outbound/port.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';

export const REPO = 'acme/ops';
export const TEMPLATES = readTemplateFolder(builtInTemplatesDir(), 'templates');

export interface World {
  server: GitHubServer;
  clock: { now: number };
  tick(
    files: readonly RequestParse[],
    options?: {
      execute?: Executor;
      policy?: Policy;
      outbound?: Outbound;
      codeowners?: string;
      pullRequests?: Map<string, number>;
      secrets?: (name: string) => string | undefined;
    },
  ): Promise<TickReport>;

  issues(): ReturnType<GitHubServer['state']['issues']>;
  comments(number: number): string[];
}

export const succeed: Executor = async () => ({
  outcome: 'completed',
  reason: 'All steps passed.',
  windowEndReached: false,
  items: [],
});

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
export function seedClosedResult(server: GitHubServer, id: string, state: OccurrenceState): void {
  server.seed.issue(REPO, {
    title: id,
    labels: ['maintenance'],
    state: 'closed',
    body: encodeStateMarker(id, state),
  });
}

export async function startWorld(now: string): Promise<World> {
  const clock = { now: Date.parse(now) };
  const server = await startGitHubServer({ clock: () => new Date(clock.now) });
  server.seed.repo(REPO, { files: { 'README.md': '# ops\n' } });
  for (const user of ['alice', 'bob', 'mallory']) server.seed.user(user);
  const github = testRepo(server);
  return {
    server,
    clock,
    tick: (files, options = {}) =>
      runTick(
        {
          github,
          ...(options.outbound ? { outbound: options.outbound } : {}),
          execute: options.execute ?? succeed,
          now: () => clock.now,
          log: () => undefined,
        },
        {
          files,
          policy: options.policy ?? defaultPolicy(),
          templates: TEMPLATES,
          codeowners: options.codeowners ?? '/maintenance/ @bob\n',
          ...(options.pullRequests ? { pullRequests: options.pullRequests } : {}),

          repo: { owner: 'acme', name: 'ops' },
          serverUrl: 'https://github.com',
          runUrl: 'https://github.com/acme/ops/actions/runs/1',
          defaultRef: 'main',
          workspace: process.cwd(),
          stepEnv: { PATH: process.env.PATH ?? '' },
          secrets: [],
          secret: options.secrets ?? (() => undefined),
        },
      ),
    issues: () => server.state.issues(REPO),
    comments: (number) => server.state.comments(REPO, number).map((c) => c.body),
  };
}
