// Issue 4 and 6 figures: the bundle's size and cold start, API requests per validation event, and
// API requests per run tick as the history of past maintenance grows.
import { statSync } from 'node:fs';
import { openPullRequest, startRepo, sundayAhead, validate, yearOf, REPO } from '../test/e2e/scenario.ts';
import { requestYaml } from '../test/helpers/requests.ts';
import { seedClosedResult, startWorld } from '../test/run/support.ts';

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
  for (const past of pastCounts) {
    // The past closes 60 days before the tick.
    const world = await startWorld('2027-04-02T00:07:00Z');
    const files: Record<string, string> = {};
    for (let i = 0; i < past; i++) {
      const id = `past-${i}`;
      files[`maintenance/2027/${id}.yaml`] = requestYaml({
        start: '2027-03-07T02:00',
        steps: '[{name: patch, run: ./patch.sh}]',
      });
      seedClosedResult(world.server, id, { state: 'completed', done: ['announce', 'start', 'complete'] });
    }
    if (past > 0) world.push(files, 'Past maintenance');
    world.clock.now = Date.parse('2027-06-01T00:07:00Z');
    world.server.resetLog();
    await world.tick();
    out[past] = world.server.requests.length;
    await world.server.close();
  }
  return out;
}
