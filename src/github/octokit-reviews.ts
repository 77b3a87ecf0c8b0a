// The Octokit side of the PullRequestReviewer port: the pull request's review comments, one
// comment-only review holding new ones, and deleting them. A review cannot be deleted once
// submitted, only its comments; so the review carries no text of its own and its comments go
// when they are replaced.
import type { NewReviewComment, PullRequestReviewer, ReviewCommentInfo } from './port.ts';
import { call } from './api-call.ts';
import type { Octokit } from './octokit.ts';

export function createPullRequestReviewer(
  octokit: Octokit,
  base: { owner: string; repo: string },
): PullRequestReviewer {
  const comment = (c: NewReviewComment) => ({
    path: c.path,
    line: c.line,
    side: 'RIGHT',
    ...(c.startLine !== undefined ? { start_line: c.startLine, start_side: 'RIGHT' } : {}),
    body: c.body,
  });

  return {
    reviewComments: (number) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', async () => {
        const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
          ...base,
          pull_number: number,
          per_page: 100,
        });
        return comments.map((c): ReviewCommentInfo => ({
          id: c.id,
          user: c.user?.login ?? 'ghost',
          userType: c.user?.type ?? 'User',
          body: c.body,
          path: c.path,
          line: c.original_line ?? c.line ?? null,
          startLine: c.original_start_line ?? c.start_line ?? null,
          commitId: c.original_commit_id,
        }));
      }),

    commentReview: (number, review) =>
      call('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', async () => {
        // Never retried: a review GitHub made before a timeout would be made twice.
        const { data } = await octokit.rest.pulls.createReview({
          ...base,
          pull_number: number,
          commit_id: review.commitId,
          event: 'COMMENT',
          body: '',
          comments: review.comments.map(comment),
          request: { retries: 0 },
        });
        return data.html_url;
      }),

    deleteReviewComment: (id) =>
      call('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', async () => {
        try {
          await octokit.rest.pulls.deleteReviewComment({ ...base, comment_id: id });
        } catch (error) {
          // Already gone (deleted by hand, or by a run that overlapped): what was wanted.
          if ((error as { status?: number }).status !== 404) throw error;
        }
      }),
  };
}
