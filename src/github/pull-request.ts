// A pull request as GitHub describes it (an API answer, or the `pull_request` of a webhook payload,
// which has the same shape) in maint's terms.
import type { PullRequestInfo } from './port.ts';

export interface RawPullRequest {
  number: number;
  user: { login: string; type: string } | null;
  state: string;
  draft?: boolean;
  title: string;
  html_url: string;
  head: { sha: string; ref: string; repo: { full_name: string; fork: boolean } | null };
  base: { sha: string; ref: string; repo: { full_name: string } };
}

export function toPullRequestInfo(pr: RawPullRequest): PullRequestInfo {
  return {
    number: pr.number,
    author: pr.user?.login ?? 'ghost',
    authorType: pr.user?.type ?? 'User',
    state: pr.state === 'closed' ? 'closed' : 'open',
    draft: pr.draft === true,
    title: pr.title,
    htmlUrl: pr.html_url,
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    headRepo: pr.head.repo?.full_name ?? pr.base.repo.full_name,
    isFork: pr.head.repo !== null && pr.head.repo.full_name !== pr.base.repo.full_name,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
  };
}

const SHA = /^[0-9a-f]{40}$/;

/** The pull request of an event payload, or undefined when the payload does not carry a whole one. */
export function pullRequestOfPayload(value: unknown): PullRequestInfo | undefined {
  const pr = value as Partial<RawPullRequest> | undefined;
  const complete =
    typeof pr?.number === 'number' &&
    typeof pr.user?.login === 'string' &&
    typeof pr.head?.sha === 'string' &&
    SHA.test(pr.head.sha) &&
    typeof pr.head.ref === 'string' &&
    typeof pr.base?.sha === 'string' &&
    SHA.test(pr.base.sha) &&
    typeof pr.base.ref === 'string' &&
    typeof pr.base.repo?.full_name === 'string';
  return complete ? toPullRequestInfo(pr as RawPullRequest) : undefined;
}
