// Pull request routes: get, list (state/head/base filters), files (GitHub's 3000-file cap), commits, reviews.
import { notFound, paginate, type Reply, type RequestContext } from '../context.ts';
import type { IssueRecord, PullRecord, RepoRecord } from '../state.ts';

/** GitHub lists at most this many files of a pull request, however many it changes. */
export const MAX_PULL_FILES = 3000;
/** ... and at most this many commits. */
export const MAX_PULL_COMMITS = 250;

function pullOf(ctx: RequestContext): { repo: RepoRecord; pull: PullRecord } {
  const repo = ctx.repo();
  const pull = repo.pulls.get(ctx.int('pull_number'));
  if (!pull) throw notFound();
  return { repo, pull };
}

function get(ctx: RequestContext): Reply {
  const { repo, pull } = pullOf(ctx);
  return { status: 200, body: ctx.render.pullRequest(repo, pull, true) };
}

function list(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const state = String(ctx.query.state ?? 'open');
  const head = ctx.query.head as string | undefined;
  const base = ctx.query.base as string | undefined;
  const sort = String(ctx.query.sort ?? 'created');
  const direction = String(ctx.query.direction ?? (sort === 'created' ? 'desc' : 'asc'));
  const rows = [...repo.pulls.values()]
    .map((pull) => ({ pull, issue: repo.issues.get(pull.number) as IssueRecord }))
    .filter(({ issue }) => state === 'all' || issue.state === state)
    .filter(({ pull }) => base === undefined || pull.base.ref === base)
    .filter(({ pull }) => {
      if (head === undefined) return true;
      const [owner, ref] = head.includes(':') ? head.split(/:(.*)/s) : [repo.owner, head];
      const headOwner = pull.head.repo.split('/')[0] ?? '';
      return headOwner.toLowerCase() === (owner ?? '').toLowerCase() && pull.head.ref === ref;
    });
  const key = (issue: IssueRecord): number =>
    sort === 'updated' ? Date.parse(issue.updated_at) : Date.parse(issue.created_at);
  rows.sort((a, b) => key(a.issue) - key(b.issue) || a.pull.number - b.pull.number);
  if (direction === 'desc') rows.reverse();
  return paginate(ctx, rows, ({ pull }) => ctx.render.pullRequest(repo, pull, false));
}

function listFiles(ctx: RequestContext): Reply {
  const { repo, pull } = pullOf(ctx);
  return paginate(ctx, ctx.state.pullFiles(pull), (f) => ctx.render.diffEntry(repo, pull.head.sha, f), {
    cap: MAX_PULL_FILES,
  });
}

function listCommits(ctx: RequestContext): Reply {
  const { repo, pull } = pullOf(ctx);
  const commits = ctx.state.pullCommits(pull).map((sha) => ctx.state.git.get(sha));
  return paginate(ctx, commits, (c) => ctx.render.commit(repo, c as NonNullable<typeof c>), {
    cap: MAX_PULL_COMMITS,
  });
}

function listReviews(ctx: RequestContext): Reply {
  const { repo, pull } = pullOf(ctx);
  const reviews = pull.reviews.filter((r) => r.state !== 'PENDING' || r.user === ctx.caller.policy.login);
  return paginate(ctx, reviews, (r) => ctx.render.review(repo, pull, r));
}

export const pullRoutes = {
  'pulls/get': get,
  'pulls/list': list,
  'pulls/list-files': listFiles,
  'pulls/list-commits': listCommits,
  'pulls/list-reviews': listReviews,
};
