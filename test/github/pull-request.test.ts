// The pull request of an event payload, from GitHub's documented webhook examples: taken whole when
// the payload carries it, refused (so the API is asked) when something the validation needs is missing.
import { describe, expect, it } from 'vitest';
import { pullRequestOfPayload } from '../../src/github/pull-request.ts';
import { webhookExample } from '../e2e/run-action.ts';

describe('pullRequestOfPayload', () => {
  it.each([
    ['pull_request', 'opened'],
    ['pull_request', 'synchronize'],
    ['pull_request_review', 'submitted'],
  ])('reads the pull request of a %s.%s payload', (event, action) => {
    const payload = webhookExample(event, action);
    const raw = payload.pull_request as {
      number: number;
      user: { login: string };
      head: { sha: string; ref: string; repo: { full_name: string } };
      base: { sha: string; ref: string; repo: { full_name: string } };
    };
    expect(pullRequestOfPayload(raw)).toMatchObject({
      number: raw.number,
      author: raw.user.login,
      headSha: raw.head.sha,
      headRef: raw.head.ref,
      headRepo: raw.head.repo.full_name,
      baseSha: raw.base.sha,
      baseRef: raw.base.ref,
      isFork: raw.head.repo.full_name !== raw.base.repo.full_name,
    });
  });

  it.each([
    ['no pull request', undefined],
    ['no head commit', { head: undefined }],
    ['a head that is not a commit SHA', { head: { sha: 'main', ref: 'x', repo: null } }],
    ['no author', { user: null }],
  ])('%s: nothing, so the pull request is read from the API', (_, change) => {
    const raw = change && { ...(webhookExample('pull_request', 'opened').pull_request as object), ...change };
    expect(pullRequestOfPayload(raw)).toBeUndefined();
  });
});
