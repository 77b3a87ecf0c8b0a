// Issue 4 and 6 figures: the bundle's size and cold start, API requests per validation event, and
// API requests per run tick as the history of past maintenance grows.
import { statSync } from 'node:fs';
import { createMaintenanceRepo } from '../src/github/octokit.ts';
import { encodeStateMarker } from '../src/lifecycle/marker.ts';
import { defaultPolicy } from '../src/model/policy.ts';
import { runTick } from '../src/modes/run.ts';
import { builtInTemplatesDir, readTemplateFolder } from '../src/notices/template-loader.ts';
import { openPullRequest, startRepo, sundayAhead, validate, yearOf, REPO } from '../test/e2e/scenario.ts';
import { startGitHubServer } from '../test/harness/github-server.ts';
import { requestFile, requestYaml } from '../test/helpers/requests.ts';

export async function benchValidation(): Promise<{
  bundleKiB: number;
  coldStartMs: number;
  apiRequests: Record<string, number>;
}> {
  const bundleKiB = Math.round(statSync('dist/index.js').size / 1024);
  const apiRequests: Record<string, number> = {};
  let coldStartMs = Infinity;
  for (const [name, setup] of [
    ['low impact, no review yet', { reviews: [] as string[], impact: 'low' }],
    ['low impact, approved', { reviews: ['bob'], impact: 'low' }],
    ['high impact, 3 approvals', { reviews: ['bob', 'dave', 'frank'], impact: 'high' }],
  ] as const) {
    const repo = await startRepo();
    const start = sundayAhead(21);
    const pull = openPullRequest(repo, {
      files: { [`maintenance/${yearOf(start)}/bench.yaml`]: requestYaml({ start, impact: setup.impact }) },
    });
    for (const user of setup.reviews)
      repo.server.seed.review(REPO, pull.number, { user, state: 'APPROVED', commit_id: pull.head });
    repo.server.resetLog();
    const spawned = Date.now();
    const run = await validate(repo, pull);
    if (run.code !== 0) throw new Error(`validation failed: ${run.stdout}`);
    const api = repo.server.requests.filter((r) => r.route !== 'codeload');
    apiRequests[name] = api.length;
    const first = repo.server.requests[0]?.receivedAt;

    if (first !== undefined) coldStartMs = Math.min(coldStartMs, first - spawned);
    await repo.server.close();
  }
  return { bundleKiB, coldStartMs, apiRequests };
}

/** API requests of a quiet tick (nothing due) with N past maintenance closed as issues. */
export async function benchTicks(pastCounts: readonly number[]): Promise<Record<number, number>> {
  const out: Record<number, number> = {};
  const templates = readTemplateFolder(builtInTemplatesDir(), 'templates');
  for (const past of pastCounts) {
    const now = Date.parse('2027-06-01T00:07:00Z');
    const server = await startGitHubServer({ clock: () => new Date(now - 60 * 86_400_000) });
    server.seed.repo('acme/ops', { files: { 'README.md': 'x' } });
    const files = [];
    for (let i = 0; i < past; i++) {
      const id = `past-${i}`;
      files.push(requestFile(id, { start: '2027-03-07T02:00' }));
      server.seed.issue('acme/ops', {
        title: id,
        labels: ['maintenance'],
        state: 'closed',
        body: encodeStateMarker(id, { state: 'completed', done: ['announce', 'start', 'complete'] }),
      });
    }
    const github = createMaintenanceRepo({
      token: 't',
      owner: 'acme',
      repo: 'ops',
      baseUrl: server.url,
      writeSpacingMs: 0,
      notificationSpacingMs: 0,
    });
    server.resetLog();
    await runTick(
      {
        github,
        execute: async () => ({ outcome: 'completed', reason: '', windowEndReached: false, items: [] }),
        now: () => now,
        log: () => undefined,
      },
      {
        files,
        policy: defaultPolicy(),
        templates,
        codeowners: null,
        repo: { owner: 'acme', name: 'ops' },
        serverUrl: 'https://github.com',
        defaultRef: 'main',
        workspace: '.',
        stepEnv: {},
        secrets: [],
        secret: () => undefined,
      },
    );
    out[past] = server.requests.length;
    await server.close();
  }
  return out;
}
