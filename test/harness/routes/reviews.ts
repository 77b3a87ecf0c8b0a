// Review routes: submit a review (with comments on lines of the diff, checked as GitHub checks them:
// the line must be in a hunk of the file's diff at that commit, a range must lie in one hunk), list
// the review comments (outdated ones without `line` and `position`), delete one. A submitted review
// cannot be deleted, only its comments, as on GitHub.
import { ApiError, notFound, paginate, type Reply, type RequestContext } from '../context.ts';
import type { PullRecord, RepoRecord, ReviewCommentRecord, ReviewRecord, ReviewState } from '../state.ts';

type Side = 'LEFT' | 'RIGHT';

/** One line of a patch: its position (GitHub's 1-based index after the first hunk header). */
interface PatchRow {
  position: number;
  hunk: number;
  text: string;
  old?: number;
  new?: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

function patchRows(patch: string): { rows: PatchRow[]; headers: Map<number, number> } {
  const rows: PatchRow[] = [];
  const headers = new Map<number, number>(); // hunk -> position of its header
  let hunk = -1;
  let position = 0;
  let oldLine = 0;
  let newLine = 0;
  for (const text of patch.split('\n')) {
    const header = HUNK.exec(text);
    if (header) {
      hunk++;
      // The first header is position 0; later headers count as lines.
      if (hunk > 0) position++;
      headers.set(hunk, position);
      oldLine = Number(header[1]);
      newLine = Number(header[3]);
      continue;
    }
    if (hunk < 0 || text.startsWith('\\')) continue;
    position++;
    const kind = text[0];
    if (kind === '+') rows.push({ position, hunk, text, new: newLine++ });
    else if (kind === '-') rows.push({ position, hunk, text, old: oldLine++ });
    else if (kind === ' ') rows.push({ position, hunk, text, old: oldLine++, new: newLine++ });
  }
  return { rows, headers };
}

const unprocessable = (message: string) =>
  new ApiError(422, 'Unprocessable Entity', { errors: [message] }, {}, false);

function pullOf(ctx: RequestContext): { repo: RepoRecord; pull: PullRecord } {
  const repo = ctx.repo();
  const pull = repo.pulls.get(ctx.int('pull_number'));
  if (!pull) throw notFound();
  return { repo, pull };
}

/** The file's patch in the pull request's diff as of `commit` (merge base to commit). */
function patchAt(ctx: RequestContext, pull: PullRecord, commit: string, path: string) {
  const base = ctx.state.git.mergeBase(pull.base.sha, commit) ?? pull.base.sha;
  const change = ctx.state.diff(base, commit).find((f) => f.filename === path);
  return change;
}

interface CommentInput {
  path: string;
  body: string;
  position?: number;
  line?: number;
  side?: Side;
  start_line?: number;
  start_side?: Side;
}

interface ReviewInput {
  commit_id?: string;
  body?: string;
  event?: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
  comments?: CommentInput[];
}

const STATES: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

function createReview(ctx: RequestContext): Reply {
  const { repo, pull } = pullOf(ctx);
  const input = ctx.json<ReviewInput>();
  const commit = input.commit_id ?? pull.head.sha;
  if (!ctx.state.pullCommits(pull).includes(commit))
    throw unprocessable(`No commit found for SHA: ${commit}`);
  const comments = input.comments ?? [];
  const author = repo.issues.get(pull.number)?.user ?? '';
  const login = ctx.caller.policy.login;
  if ((input.event === 'APPROVE' || input.event === 'REQUEST_CHANGES') && login === author)
    throw unprocessable(
      `Can not ${input.event === 'APPROVE' ? 'approve' : 'request changes on'} your own pull request`,
    );
  if (
    (input.event === 'COMMENT' || input.event === 'REQUEST_CHANGES') &&
    !input.body &&
    comments.length === 0
  )
    throw unprocessable('Review body is required when there are no review comments');

  const now = ctx.state.now();
  const review: ReviewRecord = {
    id: ctx.state.id(),
    user: login,
    state: input.event ? STATES[input.event]! : 'PENDING',
    body: input.body ?? '',
    commit_id: commit,
    submitted_at: input.event ? now : null,
  };
  // All or nothing, as on GitHub: every comment is checked before any is kept.
  const made = comments.map((c): ReviewCommentRecord => {
    const change = patchAt(ctx, pull, commit, c.path);
    if (!change) throw unprocessable('Path could not be resolved');
    const { rows, headers } = patchRows(change.patch ?? '');
    const side = c.side ?? 'RIGHT';
    const lineOf = (row: PatchRow) => (side === 'RIGHT' ? row.new : row.old);
    if (c.line === undefined)
      throw new ApiError(
        422,
        'the test server takes review comments by `line`, not `position`',
        {},
        {},
        true,
      );
    const end = rows.find(
      (r) => lineOf(r) === c.line && (side === 'RIGHT' ? r.text[0] !== '-' : r.text[0] !== '+'),
    );
    if (!end) throw unprocessable('Pull request review thread line must be part of the diff');
    if (c.start_line !== undefined) {
      if ((c.start_side ?? side) !== side)
        throw new ApiError(422, 'the test server takes ranges on one side only', {}, {}, true);
      if (c.start_line >= c.line) throw unprocessable('start_line must precede the end line.');
      const start = rows.find((r) => lineOf(r) === c.start_line && r.hunk === end.hunk);
      if (!start)
        throw unprocessable(
          'Pull request review thread start line must be part of the same hunk as the line.',
        );
    }
    const header = (change.patch ?? '').split('\n').filter((l) => HUNK.test(l))[end.hunk]!;
    const hunkRows = rows.filter((r) => r.hunk === end.hunk && r.position <= end.position);
    return {
      id: ctx.state.id(),
      review_id: review.id,
      user: login,
      body: c.body,
      path: c.path,
      commit_id: commit,
      side,
      line: c.line,
      start_line: c.start_line ?? null,
      diff_hunk: [header, ...hunkRows.map((r) => r.text)].join('\n'),
      position: end.position - (headers.get(0) ?? 0),
      created_at: now,
      updated_at: now,
    };
  });
  pull.reviews.push(review);
  pull.reviewComments.push(...made);
  return { status: 200, body: ctx.render.review(repo, pull, review) };
}

/**
 * Where a comment is on the current head: the same lines when their text there is what it was
 * commented on, else nowhere (outdated, as GitHub shows it).
 */
function currentPlace(ctx: RequestContext, pull: PullRecord, c: ReviewCommentRecord) {
  if (c.side !== 'RIGHT')
    return c.commit_id === pull.head.sha ? { line: c.line, position: c.position } : undefined;
  const lines = (sha: string) => ctx.state.git.get(sha)?.tree.get(c.path)?.toString('utf8').split('\n');
  const then = lines(c.commit_id);
  const now = lines(pull.head.sha);
  if (!then || !now) return undefined;
  for (let l = c.start_line ?? c.line; l <= c.line; l++) if (then[l - 1] !== now[l - 1]) return undefined;
  const change = patchAt(ctx, pull, pull.head.sha, c.path);
  const row = patchRows(change?.patch ?? '').rows.find((r) => r.new === c.line && r.text[0] !== '-');
  return row ? { line: c.line, position: row.position } : undefined;
}

function listReviewComments(ctx: RequestContext): Reply {
  const { repo, pull } = pullOf(ctx);
  return paginate(ctx, pull.reviewComments, (c) =>
    ctx.render.reviewComment(repo, pull, c, currentPlace(ctx, pull, c)),
  );
}

function deleteReviewComment(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const id = ctx.int('comment_id');
  for (const pull of repo.pulls.values()) {
    const index = pull.reviewComments.findIndex((c) => c.id === id);
    if (index === -1) continue;
    pull.reviewComments.splice(index, 1);
    return { status: 204 };
  }
  throw notFound();
}

export const reviewRoutes = {
  'pulls/create-review': createReview,
  'pulls/list-review-comments': listReviewComments,
  'pulls/delete-review-comment': deleteReviewComment,
};
