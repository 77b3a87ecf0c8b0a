// One review of next-slot suggestions per head commit. GitHub cannot delete a submitted review,
// only its comments, so a new head's suggestions replace the previous ones: their comments are
// deleted (found by their marker, made by a bot) and one new comment-only review, without text of
// its own, holds the new ones. The sticky comment records a fingerprint of what was posted, so a
// run with nothing to suggest and nothing posted before, or with the very suggestions already
// standing, makes no request about them, and a first suggestion costs one request (the review).
import { createHash } from 'node:crypto';
import {
  GitHubApiError,
  type NewReviewComment,
  type PullRequestInfo,
  type PullRequestReviewer,
  type ReviewCommentInfo,
} from '../github/port.ts';
import { SUGGESTION_MARKER } from './slot-suggestions.ts';

const POSTED = /<!-- maint:slot-suggestions ([0-9a-f]{16}) -->/;
/** Recorded when posting failed half-way: never equal to a fingerprint, so the next run looks. */
const UNSURE = '0'.repeat(16);

/** The hidden line of the sticky comment that says which suggestions stand. */
export function postedLine(fingerprint: string): string {
  return `<!-- maint:slot-suggestions ${fingerprint} -->`;
}

/** The fingerprint the sticky comment recorded, if any. */
export function postedFingerprint(stickyBody: string | undefined): string | undefined {
  return stickyBody === undefined ? undefined : POSTED.exec(stickyBody)?.[1];
}

export function fingerprintOf(headSha: string, comments: readonly NewReviewComment[]): string {
  const canonical = comments.map((c) => [c.path, c.startLine ?? null, c.line, c.body]);
  return createHash('sha256')
    .update(JSON.stringify([headSha, canonical]))
    .digest('hex')
    .slice(0, 16);
}

const isOurs = (c: ReviewCommentInfo) =>
  c.body.includes(SUGGESTION_MARKER) && (c.userType === 'Bot' || c.user.toLowerCase().endsWith('[bot]'));

/** Whether the standing comments are exactly the wanted ones, on this head. */
function standing(ours: readonly ReviewCommentInfo[], wanted: readonly NewReviewComment[], head: string) {
  if (ours.length !== wanted.length) return false;
  return wanted.every((w) =>
    ours.some(
      (c) =>
        c.commitId === head &&
        c.path === w.path &&
        c.line === w.line &&
        c.startLine === (w.startLine ?? null) &&
        c.body === w.body,
    ),
  );
}

export interface PublishedSuggestions {
  /** What the sticky comment should record as standing (undefined: nothing). */
  fingerprint?: string;
  /** The new review, when one was submitted. */
  reviewUrl?: string;
  /** Why the suggestions could not be posted (the validation itself stands). */
  failure?: string;
}

export async function publishSuggestions(
  repo: PullRequestReviewer,
  pr: PullRequestInfo,
  wanted: readonly NewReviewComment[],
  previous: string | undefined,
): Promise<PublishedSuggestions> {
  const fingerprint = wanted.length > 0 ? fingerprintOf(pr.headSha, wanted) : undefined;
  if (fingerprint === previous) return fingerprint ? { fingerprint } : {};
  try {
    // Without a fingerprint the comment says nothing stands (or there is no comment yet): nothing
    // to look up. Posting happens before the comment records it, so a run that failed between the
    // two is the one way this misses a standing review (the check failed, visibly).
    const ours = previous === undefined ? [] : (await repo.reviewComments(pr.number)).filter(isOurs);
    if (standing(ours, wanted, pr.headSha)) return fingerprint ? { fingerprint } : {};
    for (const comment of ours) await repo.deleteReviewComment(comment.id);
    if (wanted.length === 0) return {};
    const reviewUrl = await repo.commentReview(pr.number, { commitId: pr.headSha, comments: [...wanted] });
    return { fingerprint: fingerprint!, reviewUrl };
  } catch (error) {
    // A suggestion is help, not the verdict: the check and the comment still report the slot.
    if (!(error instanceof GitHubApiError)) throw error;
    return { fingerprint: UNSURE, failure: error.message };
  }
}
