// Who counts as the author of a pull request that intake opened: the person who filed the issue,
// not the bot that opened it. The approval rules never count the author, so filing a request
// through the form does not let its requester approve it.
import type { IntakeWriter, PullRequestInfo } from '../github/port.ts';
import { issueOfIntakeBranch } from '../intake/branch.ts';

export async function withRequesterAsAuthor(
  repo: Pick<IntakeWriter, 'submittedIssue'>,
  pr: PullRequestInfo,
): Promise<PullRequestInfo> {
  const issue = issueOfIntakeBranch(pr.headRef);
  if (issue === undefined || pr.isFork || pr.authorType !== 'Bot') return pr;
  try {
    return { ...pr, author: (await repo.submittedIssue(issue)).author };
  } catch (error) {
    // A branch named like intake's whose issue is gone: the pull request's own author stands.
    if ((error as { status?: number }).status === 404) return pr;
    throw error;
  }
}
