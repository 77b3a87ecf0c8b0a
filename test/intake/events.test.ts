// Which issue an intake event is about, which pull request a dispatched validation is about, and
// who counts as the author of an intake pull request.
import { describe, expect, it } from 'vitest';
import { intakeBranch, issueOfIntakeBranch } from '../../src/intake/branch.ts';
import { GitHubApiError, type PullRequestInfo } from '../../src/github/port.ts';
import { issueOfEvent } from '../../src/modes/intake.ts';
import { withRequesterAsAuthor } from '../../src/modes/intake-author.ts';
import { pullRequestOfEvent } from '../../src/modes/validate.ts';
import type { MaintenanceRepo } from '../../src/github/port.ts';

const noRepo = {} as MaintenanceRepo;
/** Answers any pull request by its number, as the API would. */
const anyPull = {
  pullRequest: (number: number) => Promise.resolve({ number } as PullRequestInfo),
} as unknown as MaintenanceRepo;

describe('events', () => {
  it.each([
    ['opened', { number: 7 }, 7],
    ['edited', { number: 12 }, 12],
    ['labeled', { number: 7 }, undefined],
    ['closed', { number: 7 }, undefined],
  ])('issues.%s is %s', (action, issue, expected) => {
    expect(issueOfEvent('issues', { action, issue })).toBe(expected);
  });

  it.each([
    ['pull_request', { action: 'opened' }, /runs on issues events/],
    ['issues', { action: 'opened', issue: { number: '7; rm -rf /' } }, /no issue number/],
    ['issues', { action: 'opened', issue: { number: -1 } }, /no issue number/],
    ['issues', { action: 'opened' }, /no issue number/],
  ])('%s %j is refused', (name, payload, message) => {
    expect(() => issueOfEvent(name, payload)).toThrow(message);
  });

  it.each([
    [{ pull_request: '12' }, 12],
    [{ pull_request: ' 12 ' }, 12],
    [{ pull_request: 12 }, 12],
  ])('workflow_dispatch with %j validates #%i', async (inputs, number) => {
    expect((await pullRequestOfEvent('workflow_dispatch', { inputs }, anyPull)).number).toBe(number);
  });

  it.each([
    [{}],
    [{ pull_request: '' }],
    [{ pull_request: '0' }],
    [{ pull_request: '12abc' }],
    [{ pull_request: '-3' }],
    [{ pull_request: '1e3' }],
  ])('workflow_dispatch with %j is refused, naming the input', async (inputs) => {
    await expect(pullRequestOfEvent('workflow_dispatch', { inputs }, noRepo)).rejects.toThrow(
      /input pull_request/,
    );
  });

  it.each([
    ['maint/intake-7', 7],
    ['maint/intake-0', undefined],
    ['maint/intake-07', undefined],
    ['maint/intake-7-x', undefined],
    ['feature/maint/intake-7', undefined],
    ['maint/intake-', undefined],
  ])('branch %s belongs to issue %s', (branch, issue) => {
    expect(issueOfIntakeBranch(branch)).toBe(issue);
  });

  it('the branch of an issue is made from its number and read back', () => {
    expect(intakeBranch(42)).toBe('maint/intake-42');
    expect(issueOfIntakeBranch(intakeBranch(42))).toBe(42);
  });
});

describe('who counts as the author of an intake pull request', () => {
  const pr: PullRequestInfo = {
    number: 3,
    author: 'github-actions[bot]',
    authorType: 'Bot',
    state: 'open',
    draft: false,
    title: 't',
    htmlUrl: '',
    headSha: 'a',
    headRef: 'maint/intake-7',
    headRepo: 'acme/app',
    isFork: false,
    baseSha: 'b',
    baseRef: 'main',
  };
  const issues = (author: string | Error) => ({
    submittedIssue: async () => {
      if (author instanceof Error) throw author;
      return { number: 7, title: '', body: '', author, state: 'open' as const, labels: [], htmlUrl: '' };
    },
  });

  it.each([
    ['the bot on an intake branch: the issue author', pr, 'bob'],
    ['a person on an intake branch: themselves', { ...pr, author: 'mallory', authorType: 'User' }, 'mallory'],
    ['the bot on another branch: the bot', { ...pr, headRef: 'feature' }, 'github-actions[bot]'],
    ['a fork: its author', { ...pr, isFork: true }, 'github-actions[bot]'],
  ])('%s', async (_name, given, author) => {
    expect((await withRequesterAsAuthor(issues('bob'), given)).author).toBe(author);
  });

  it('an intake branch whose issue is gone keeps the pull request author; other failures stop', async () => {
    const gone = new GitHubApiError('GET /repos/{owner}/{repo}/issues/{issue_number}', 404, 'Not Found');
    expect((await withRequesterAsAuthor(issues(gone), pr)).author).toBe('github-actions[bot]');
    const down = new GitHubApiError('GET /repos/{owner}/{repo}/issues/{issue_number}', 502, 'Bad Gateway');
    await expect(withRequesterAsAuthor(issues(down), pr)).rejects.toThrow('Bad Gateway');
  });
});
