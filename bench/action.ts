// Issue 4, 6 and 12 figures: the bundle's size and cold start, API requests per validation for the
// common pull request shapes, the action's memory on a large base branch, and API requests per run
// tick as the history of past maintenance grows.
import { statSync } from 'node:fs';
import {
  openPullRequest,
  push,
  startRepo,
  sundayAhead,
  validate,
  yearOf,
  REPO,
} from '../test/e2e/scenario.ts';
import { tarball } from '../test/harness/tarball.ts';
import { prng } from '../test/helpers/prng.ts';
import { requestYaml } from '../test/helpers/requests.ts';
import { seedClosedResult, startWorld } from '../test/run/support.ts';

type Repo = Awaited<ReturnType<typeof startRepo>>;
type Pull = ReturnType<typeof openPullRequest>;

interface Shape {
  name: string;
  target: number;
  /** Opens the pull request, reviews it, and returns it. */
  arrange: (repo: Repo, path: string, start: string) => Pull;
}

const approve = (repo: Repo, pull: Pull, user: string, commit = pull.head) =>
  repo.server.seed.review(REPO, pull.number, { user, state: 'APPROVED', commit_id: commit });

const SHAPES: Shape[] = [
  {
    name: 'no request, policy or CODEOWNERS changed (nothing to check)',
    target: 3,
    arrange: (repo) => openPullRequest(repo, { files: { 'README.md': '# app\n\nNew words.\n' } }),
  },
  {
    name: 'one low-impact request, no review yet',
    target: 10,
    arrange: (repo, path, start) => openPullRequest(repo, { files: { [path]: requestYaml({ start }) } }),
  },
  {
    name: 'one low-impact request, approved on its latest commit',
    target: 8,
    arrange: (repo, path, start) => {
      const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
      approve(repo, pull, 'bob');
      return pull;
    },
  },
  {
    name: 'one low-impact request, approved, then a commit to an unowned README',
    target: 10,
    arrange: (repo, path, start) => {
      const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start }) } });
      approve(repo, pull, 'bob');
      push(repo, pull, { 'README.md': '# app\n\nLater words.\n' });
      return pull;
    },
  },
  {
    name: 'one high-impact request, 3 approvals',
    target: 10,
    arrange: (repo, path, start) => {
      const pull = openPullRequest(repo, { files: { [path]: requestYaml({ start, impact: 'high' }) } });
      for (const user of ['bob', 'dave', 'frank']) approve(repo, pull, user);
      return pull;
    },
  },
];

export async function benchValidation(): Promise<{
  bundleKiB: number;
  coldStartMs: number;
  apiRequests: { name: string; count: number; target: number }[];
}> {
  const bundleKiB = Math.round(statSync('dist/index.js').size / 1024);
  const apiRequests: { name: string; count: number; target: number }[] = [];
  let coldStartMs = Infinity;
  for (const shape of SHAPES) {
    const repo = await startRepo();
    const start = sundayAhead(21);
    const pull = shape.arrange(repo, `maintenance/${yearOf(start)}/bench.yaml`, start);
    repo.server.resetLog();
    const spawned = Date.now();
    const run = await validate(repo, pull);
    if (run.code !== 0) throw new Error(`validation failed: ${run.stdout}`);
    const api = repo.server.requests.filter((r) => r.route !== 'codeload');
    apiRequests.push({ name: shape.name, count: api.length, target: shape.target });
    const first = repo.server.requests[0]?.receivedAt;

    if (first !== undefined) coldStartMs = Math.min(coldStartMs, first - spawned);
    await repo.server.close();
  }
  return { bundleKiB, coldStartMs, apiRequests };
}

export interface LargeBaseFigures {
  otherFiles: number;
  requests: number;
  archiveMiB: number;
  maxRssMiB: number;
}

/**
 * The action's peak memory validating a one-request PR against a large base branch: `otherFiles`
 * files maint does not read (about 8 KiB each, hardly compressible) and `requests` scheduled requests.
 */
export async function benchLargeBase(otherFiles: number, requests: number): Promise<LargeBaseFigures> {
  const rand = prng(7);
  const noise = (bytes: number) =>
    Array.from({ length: Math.ceil(bytes / 8) }, () => Math.floor(rand() * 2 ** 32).toString(36)).join(' ');
  const files: Record<string, string> = {};
  for (let i = 0; i < otherFiles; i++) files[`src/module-${Math.floor(i / 100)}/file-${i}.ts`] = noise(8192);
  const first = Date.parse(`${sundayAhead(14, 4)}:00Z`);
  for (let i = 0; i < requests; i++) {
    // Sundays at 04:00 over the next two years, on 200 services (the PR's request is at 02:00).
    const start = new Date(first + (i % 100) * 7 * 86_400_000).toISOString().slice(0, 16);
    files[`maintenance/${start.slice(0, 4)}/scheduled-${i}.yaml`] = requestYaml({
      start,
      duration: '30m',
      services: `[svc-${i % 200}]`,
    });
  }
  const repo = await startRepo(files);
  const start = sundayAhead(21);
  const pull = openPullRequest(repo, {
    files: { [`maintenance/${yearOf(start)}/bench.yaml`]: requestYaml({ start, services: '[bench]' }) },
  });
  approve(repo, pull, 'bob');
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const run = await validate(repo, pull, 'pull_request_target', undefined, { measureMemory: true });
    if (run.code !== 0) throw new Error(`validation failed: ${run.stdout}`);
    best = Math.min(best, run.maxRssKiB ?? Infinity);
  }
  const base = repo.server.state.git.get(repo.base)!;
  const archive = tarball(base.tree, { root: 'size', commitSha: base.sha, mtime: new Date(0) });
  await repo.server.close();
  return { otherFiles, requests, archiveMiB: archive.length / 1024 / 1024, maxRssMiB: best / 1024 };
}

export interface QuietTick {
  /** Past maintenance, all completed with no review due. */
  quiet: number;
  /** The same, with a tenth of them rolled back and their reviews overdue, plus three rolled back last week whose reviews await their formal reminder. */
  withReviews: number;
}

/** API requests of a quiet tick (nothing due) with N past maintenance closed as issues. */
export async function benchTicks(pastCounts: readonly number[]): Promise<Record<number, QuietTick>> {
  const out: Record<number, QuietTick> = {};
  for (const past of pastCounts)
    out[past] = { quiet: await quietTick(past, false), withReviews: await quietTick(past, true) };
  return out;
}

async function quietTick(past: number, reviews: boolean): Promise<number> {
  // The past closes 60 days before the tick.
  const world = await startWorld('2027-04-02T00:07:00Z');
  const files: Record<string, string> = {};
  const steps = '[{name: patch, run: ./patch.sh}]';
  for (let i = 0; i < past; i++) {
    const id = `past-${i}`;
    files[`maintenance/2027/${id}.yaml`] = requestYaml({ start: '2027-03-07T02:00', steps });
    if (reviews && i % 10 === 0)
      seedClosedResult(
        world.server,
        id,
        {
          state: 'rolled-back',
          done: ['announce', 'start', 'rollback', 'review', 'review-remind:P1D', 'review-remind:P7D'],
          review: { since: '2027-03-07T02:40:00Z', due: ['rolled-back'], seen: 0 },
        },
        ['maintenance:review-due'],
      );
    else seedClosedResult(world.server, id, { state: 'completed', done: ['announce', 'start', 'complete'] });
  }
  if (reviews) {
    // Rolled back on Friday 28 May: reminded the day after; the formal review is due on 4 June.
    world.clock.now = Date.parse('2027-05-29T03:00:00Z');
    for (let i = 0; i < 3; i++) {
      const id = `recent-${i}`;
      files[`maintenance/2027/${id}.yaml`] = requestYaml({ start: '2027-05-28T02:00', steps });
      seedClosedResult(
        world.server,
        id,
        {
          state: 'rolled-back',
          done: ['announce', 'start', 'rollback', 'review', 'review-remind:P1D'],
          review: { since: '2027-05-28T02:40:00Z', due: ['rolled-back'], seen: 0 },
        },
        ['maintenance:review-due'],
      );
    }
  }
  if (Object.keys(files).length > 0) world.push(files, 'Past maintenance');
  world.clock.now = Date.parse('2027-06-01T00:07:00Z');
  world.server.resetLog();
  const tick = await world.tick();
  if (tick.actions.length > 0) throw new Error(`not a quiet tick: ${JSON.stringify(tick.actions)}`);
  const count = world.server.requests.length;
  await world.server.close();
  return count;
}
